"""Acting on the nodes that the nodes list names.

Glance answers "which nodes cache this image" from the database its nodes
share, alive or not, and every other cache call acts only on the node that
receives it. This module closes that loop, for the SDK, ``glance`` and
``openstack`` alike:

- :class:`~glanceclient.common.urlmap.UrlMap` turns a node's reference URL
  (``worker_self_reference_url``, often an internal name) into one that can
  be reached from here;
- :meth:`Fleet.probe` and :meth:`Fleet.check` ask nodes' unauthenticated
  ``/healthcheck`` whether they are alive;
- :func:`~glanceclient.common.bounded.run_bounded` runs one call on many
  nodes, at most ``max_parallel`` at a time, each within a deadline, and
  never lets one node hide another;
- :meth:`Fleet.run` and its helpers send cache calls to named nodes.

The fleet sits above the controllers: for each node it builds only what it
calls there, an HTTP client on the client's own keystoneauth1 session (same
token, same TLS settings) with the node's URL as the endpoint override, and
the cache controller on it; so each call costs what it costs on one node.
"""

from __future__ import annotations

import collections.abc
import logging
import threading
import time
import typing as ty
from urllib import parse

from glanceclient import exc
from glanceclient import vocabulary
from glanceclient._i18n import _
from glanceclient.common import http
from glanceclient.common.bounded import Interrupted as Interrupted
from glanceclient.common.bounded import NodeTimeout as NodeTimeout
from glanceclient.common.bounded import Outcome as Outcome
from glanceclient.common.bounded import RunInterrupted as RunInterrupted
from glanceclient.common.bounded import run_bounded as run_bounded
from glanceclient.common.bounded import run_grouped
from glanceclient.common.urlmap import UrlMap as UrlMap
from glanceclient.common.urlmap import node_url as node_url
from glanceclient.common.urlmap import normalized as normalized
from glanceclient.v2 import cache
from glanceclient.v2 import versions
from glanceclient.v2.nodes import NodeResult as NodeResult
from glanceclient.v2.nodes import NodeStatus as NodeStatus
from glanceclient.v2.nodes import Skipped as Skipped
from glanceclient.v2.nodes import summary as summary

LOG = logging.getLogger(__name__)

T = ty.TypeVar("T")

#: Seconds a probe may take before its node counts as unreachable.
PROBE_TIMEOUT = vocabulary.PROBE_TIMEOUT
#: How many probes run at once: enough that a whole deployment costs about
#: one probe.
PROBE_PARALLEL = 64
#: How many calls run at once by default when acting on several nodes.
MAX_PARALLEL = vocabulary.MAX_PARALLEL
#: Seconds a call on one node may take by default in the front ends, apart
#: from the timeout of each request.
NODE_TIMEOUT = vocabulary.NODE_TIMEOUT
#: The unauthenticated route that says whether a node is in service.
HEALTHCHECK_PATH = "/healthcheck"
#: Seconds all the probes of one round may take together: probes not
#: started by then count as unreachable, so that a long list of dead nodes
#: costs this (and one probe), not its length times the probe timeout.
PROBE_BUDGET = 10.0

#: Node states reported by :meth:`Fleet.probe`.
OK = vocabulary.NODE_OK
DISABLED = vocabulary.NODE_DISABLED
UNREACHABLE = vocabulary.NODE_UNREACHABLE
ERROR = vocabulary.NODE_ERROR


class Node:
    """What the fleet calls on one node: its HTTP client, and the cache
    controller on it.

    :param http_client: sends the requests to the node.
    """

    def __init__(self, http_client: http.SessionClient) -> None:
        #: Sends the requests to the node (the client's session).
        self.http_client = http_client
        #: The node's image cache.
        self.cache = cache.Controller(http_client, versions.VersionGate(http_client))


class Fleet:
    """The nodes of a deployment, reached with one client's session.

    Built by :attr:`glanceclient.v2.client.Client.fleet`.

    :param http_client: the client's HTTP client, whose session, token and
        TLS settings every node call uses.
    :param nodes_list: the client's cache controller, whose nodes list
        names the nodes caching an image.
    :param url_map: maps reference URLs to reachable ones.
    :param allow_http_nodes: send requests to ``http://`` nodes even when
        the client's endpoint is ``https://`` (by default such a node gets
        no request, so that the token never travels in clear).
    """

    def __init__(
        self,
        http_client: http.SessionClient,
        nodes_list: cache.Controller,
        url_map: UrlMap | None = None,
        *,
        allow_http_nodes: bool = False,
    ) -> None:
        self._http = http_client
        self._cache = nodes_list
        self.url_map = url_map or UrlMap()
        self.allow_http_nodes = allow_http_nodes
        self._nodes: dict[str, Node] = {}
        self._lock = threading.Lock()

    def endpoint(self, node: str) -> str:
        """The URL requests for a node are sent to.

        :param node: the node's reference URL.
        :returns: the URL after the URL map.
        """
        return self.url_map(node.rstrip("/"))

    def node_client(self, node: str) -> Node:
        """What acts on one node, sharing the client's session.

        :param node: the node's reference URL (mapped by the URL map).
        :returns: the node's HTTP client and cache controller, whose every
            call goes to that node; the same for the same node.
        """
        endpoint = self.endpoint(node)
        self._check_transport(node, endpoint)
        with self._lock:
            found = self._nodes.get(endpoint)
            if found is None:
                parent = self._http
                found = Node(
                    http.SessionClient(
                        parent.session,
                        endpoint_override=endpoint,
                        global_request_id=parent.adapter.global_request_id,
                        logger=parent.adapter.logger,
                        default_headers=dict(parent.default_headers),
                        max_json_size=parent.max_json_size,
                    )
                )
                self._nodes[endpoint] = found
        return found

    def _check_transport(self, node: str, endpoint: str) -> None:
        """Refuse a node reached over http when the endpoint is https.

        :raises glanceclient.exc.InvalidEndpoint: saying why and what to do.
        """
        if self.allow_http_nodes or parse.urlsplit(endpoint).scheme.lower() != "http":
            return
        if parse.urlsplit(self._http.root).scheme.lower() != "https":
            return
        raise exc.InvalidEndpoint(
            _(
                "%(node)s gets no request: it is reached over http and the endpoint over "
                "https, and the token must not travel in clear. Map it to an https URL "
                "(a node URL map), or allow http nodes (allow_http_nodes; glance "
                "--allow-http-nodes)."
            )
            % {"node": endpoint if endpoint == node.rstrip("/") else "%s (%s)" % (node, endpoint)}
        )

    def probe(self, node: str, timeout: float = PROBE_TIMEOUT) -> NodeStatus:
        """Ask a node's ``/healthcheck`` (without a token) whether it serves.

        :param node: the node's reference URL.
        :param timeout: seconds to wait for the answer.
        :returns: the node's state; a probe never raises for the node's
            sake.
        """
        endpoint = self.endpoint(node)
        began = time.monotonic()
        status, error = OK, None
        try:
            node_http = self.node_client(node).http_client
            response = node_http.request(
                "GET", HEALTHCHECK_PATH, authenticated=False, timeout=timeout
            )
            if not 200 <= response.status_code < 300:
                status = ERROR
                error = _("%(url)s answered HTTP %(status)d, not a health check.") % {
                    "url": response.url,
                    "status": response.status_code,
                }
        except exc.HTTPServiceUnavailable:
            status = DISABLED
        except (exc.Unreachable, exc.Timeout) as e:
            status, error = UNREACHABLE, exc.one_line(e)
        except exc.ClientException as e:
            status, error = ERROR, exc.one_line(e)
        latency = None if status == UNREACHABLE else (time.monotonic() - began) * 1000.0
        if error is not None:
            LOG.debug("Probe of %s (%s): %s: %s", node, endpoint, status, error)
        return NodeStatus(node, endpoint, status, latency, error)

    def probe_all(
        self,
        nodes: collections.abc.Sequence[str],
        *,
        timeout: float = PROBE_TIMEOUT,
        max_parallel: int = PROBE_PARALLEL,
        budget: float | None = None,
    ) -> list[NodeStatus]:
        """Probe nodes concurrently; the whole costs about one probe, and at
        most ``budget`` and one probe however long the list.

        :param nodes: reference URLs.
        :param timeout: seconds each probe may take.
        :param max_parallel: the most probes at once.
        :param budget: seconds after which no probe starts (the nodes left
            count as unreachable; default :data:`PROBE_BUDGET`).
        :returns: one state per node, in the given order.
        """
        outcomes = run_bounded(
            lambda n: self.probe(n, timeout),
            nodes,
            max_parallel=max_parallel,
            timeout=timeout + 0.5,  # probe() keeps to its timeout; this is the backstop
            budget=PROBE_BUDGET if budget is None else budget,
        )
        return [
            o.value or NodeStatus(n, self.endpoint(n), UNREACHABLE, None, str(o.error))
            for n, o in zip(nodes, outcomes, strict=True)
        ]

    def check(
        self,
        image_id: str,
        *,
        timeout: float = PROBE_TIMEOUT,
        max_parallel: int = PROBE_PARALLEL,
    ) -> list[NodeStatus]:
        """List the nodes caching an image, and probe each of them.

        :param image_id: the image's ID.
        :param timeout: seconds each probe may take.
        :param max_parallel: the most probes at once.
        :returns: one state per listed node, sorted by reference URL.
        :raises glanceclient.exc.ClientException: what
            :meth:`~glanceclient.v2.cache.Controller.list_nodes` raises.
        """
        nodes = sorted(normalized(self._cache.list_nodes(image_id)))
        return self.probe_all(nodes, timeout=timeout, max_parallel=max_parallel)

    def run(
        self,
        nodes: collections.abc.Sequence[str],
        call: collections.abc.Callable[[Node], T],
        *,
        max_parallel: int = MAX_PARALLEL,
        timeout: float | None = None,
        skip_unreachable: bool = False,
        probe_timeout: float = PROBE_TIMEOUT,
        progress: collections.abc.Callable[[int, int], None] | None = None,
    ) -> list[NodeResult]:
        """Run one call on each node, concurrently; every node is tried.

        :param nodes: reference URLs.
        :param call: takes the node (:class:`Node`), e.g. ``lambda c: c.cache.clean()``.
        :param max_parallel: the most calls at once.
        :param timeout: seconds each node may take (None: the session's
            timeout bounds each request).
        :param skip_unreachable: probe the nodes first (:meth:`probe_all`)
            and ask only those not unreachable; the results of the others
            carry a :class:`Skipped` error.
        :param probe_timeout: seconds each of those probes may take.
        :param progress: called with the number of nodes done and of all
            nodes, each time a node is done.
        :returns: one result per node, in the given order.
        :raises RunInterrupted: Ctrl-C; its ``results`` are the results,
            :class:`Interrupted` for the calls that had not ended.
        """
        return self.run_per_image(
            nodes,
            [None],
            lambda c, _i: call(c),
            max_parallel=max_parallel,
            timeout=timeout,
            skip_unreachable=skip_unreachable,
            probe_timeout=probe_timeout,
            progress=progress,
        )

    def run_per_image(
        self,
        nodes: collections.abc.Sequence[str],
        images: collections.abc.Sequence[str | None],
        call: collections.abc.Callable[[Node, ty.Any], T],
        *,
        max_parallel: int = MAX_PARALLEL,
        timeout: float | None = None,
        skip_unreachable: bool = False,
        probe_timeout: float = PROBE_TIMEOUT,
        progress: collections.abc.Callable[[int, int], None] | None = None,
    ) -> list[NodeResult]:
        """Run one call per node and image, concurrently.

        :param nodes: reference URLs (see
            :func:`~glanceclient.common.urlmap.normalized`: a node given
            twice is called once).
        :param images: image IDs (None for a call about no image).
        :param call: takes the node (:class:`Node`) and the image ID.
        :param max_parallel: the most calls at once.
        :param timeout: seconds each call may take.
        :param skip_unreachable: as for :meth:`run`.
        :param probe_timeout: as for :meth:`run`.
        :param progress: as for :meth:`run`.
        :returns: one result per node and image, node by node.
        :raises RunInterrupted: as for :meth:`run`.
        """
        nodes = normalized(nodes)
        pairs = [(node, image) for node in nodes for image in images]
        skip = self._unreachable(nodes, probe_timeout) if skip_unreachable else set()
        return self._run_pairs(pairs, call, max_parallel, timeout, skip, progress)

    def _unreachable(self, nodes: collections.abc.Iterable[str], timeout: float) -> set[str]:
        """The nodes whose probe finds them unreachable, without a trailing ``/``."""
        try:
            states = self.probe_all(list(dict.fromkeys(nodes)), timeout=timeout)
        except RunInterrupted:
            raise KeyboardInterrupt from None  # nothing was done yet
        return {s.url.rstrip("/") for s in states if s.status == UNREACHABLE}

    def _run_pairs(
        self,
        pairs: list[tuple[str, ty.Any]],
        call: collections.abc.Callable[[Node, ty.Any], ty.Any],
        max_parallel: int,
        timeout: float | None,
        skipped: set[str],
        progress: collections.abc.Callable[[int, int], None] | None,
    ) -> list[NodeResult]:
        """Run ``call`` on each (node, image) pair but the skipped nodes'
        (given without a trailing ``/``)."""
        unasked = Outcome(None, Skipped(_("unreachable")))
        try:
            outcomes = run_grouped(
                lambda p: call(self.node_client(p[0]), p[1]),
                pairs,
                group=lambda p: p[0],
                skip=lambda p: unasked if p[0].rstrip("/") in skipped else None,
                progress=progress,
                max_parallel=max_parallel,
                timeout=timeout,
            )
        except RunInterrupted as e:
            raise RunInterrupted(self.results(pairs, e.results)) from None
        return self.results(pairs, outcomes)

    def results(
        self, pairs: collections.abc.Sequence[tuple[str, ty.Any]], outcomes: list[Outcome]
    ) -> list[NodeResult]:
        """The outcomes of calls on (node, image) pairs as node results."""
        return [
            NodeResult(node, self.endpoint(node), image, *o)
            for (node, image), o in zip(pairs, outcomes, strict=True)
        ]

    def delete_everywhere(
        self,
        image_ids: collections.abc.Sequence[str],
        *,
        also: collections.abc.Sequence[str] = (),
        max_parallel: int = MAX_PARALLEL,
        timeout: float | None = None,
        skip_unreachable: bool = False,
        probe_timeout: float = PROBE_TIMEOUT,
        progress: collections.abc.Callable[[int, int], None] | None = None,
    ) -> list[NodeResult]:
        """Remove images from the cache of every node the nodes list names.

        The nodes of every image are listed first; if one listing fails,
        nothing is deleted anywhere.

        :param image_ids: image IDs.
        :param also: more nodes to delete the images from (the inventory),
            each once with the listed ones. With them, an image the nodes
            list no longer knows (404: it was deleted, and only the node
            that took the ``DELETE`` evicted it) is deleted from these, and
            a node that answers 404 (nothing of it there) counts as done.
        :param max_parallel: the most deletions at once.
        :param timeout: seconds each deletion may take.
        :param skip_unreachable: as for :meth:`run`.
        :param probe_timeout: as for :meth:`run`.
        :param progress: as for :meth:`run`.
        :returns: one result per image and node, image by image.
        :raises glanceclient.exc.ClientException: a listing failed (e.g.
            :class:`~glanceclient.exc.HTTPForbidden` for a non-admin).
        :raises RunInterrupted: as for :meth:`run`.
        """
        where = {image: self._everywhere(image, also) for image in image_ids}
        pairs = [(node, image) for image in image_ids for node in where[image]]

        def delete(node: Node, image: str) -> None:
            try:
                node.cache.delete(image)
            except exc.HTTPNotFound:
                if not also:
                    raise

        skip = (
            self._unreachable(sum(where.values(), []), probe_timeout) if skip_unreachable else set()
        )
        return self._run_pairs(pairs, delete, max_parallel, timeout, skip, progress)

    def _everywhere(self, image_id: str, also: collections.abc.Sequence[str]) -> list[str]:
        """The listed nodes of an image, sorted, then those of ``also`` not
        among them (compared by the URL requests go to)."""
        try:
            listed = sorted(normalized(self._cache.list_nodes(image_id)))
        except exc.HTTPNotFound:
            if not also:
                raise
            listed = []
        seen = {self.endpoint(n).lower() for n in listed}
        extra = [n for n in also if self.endpoint(n).lower() not in seen]
        return listed + list(dict.fromkeys(extra))

    def wait_cached(
        self,
        image_id: str,
        nodes: collections.abc.Sequence[str],
        *,
        timeout: float,
        interval: float = 1.0,
        progress: collections.abc.Callable[[list[str], float], None] | None = None,
    ) -> list[str]:
        """Wait until the nodes list names every one of ``nodes`` for an image.

        :param image_id: the image's ID.
        :param nodes: reference URLs (compared once normalized).
        :param timeout: seconds to wait in all: each listing may take what
            is left of them, not the session's timeout.
        :param interval: seconds between two listings.
        :param progress: called after each listing with the nodes still
            missing and the seconds waited.
        :returns: the nodes still missing when the time ran out (empty when
            every one is listed).
        :raises glanceclient.exc.ClientException: a listing failed.
        """
        wanted = normalized(nodes)
        began = time.monotonic()
        listed: set[str] = set()
        while True:
            left = timeout - (time.monotonic() - began)
            if left > 0:
                try:
                    listed = set(normalized(self._cache.list_nodes(image_id, timeout=left)))
                except exc.Timeout:
                    pass  # no answer within the time left: the wait is over
            missing = [n for n in wanted if n not in listed]
            waited = time.monotonic() - began
            if progress is not None:
                progress(missing, waited)
            if not missing or waited >= timeout:
                return missing
            time.sleep(max(0.0, min(interval, timeout - waited)))
