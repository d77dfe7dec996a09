"""Acting on the nodes that the nodes list names.

Glance answers "which nodes cache this image" from the database its nodes
share, alive or not, and every other cache call acts only on the node that
receives it. This module closes that loop, for the SDK, ``glance`` and
``openstack`` alike:

- :class:`UrlMap` turns a node's reference URL (``worker_self_reference_url``,
  often an internal name) into one that can be reached from here;
- :meth:`Fleet.probe` and :meth:`Fleet.check` ask nodes' unauthenticated
  ``/healthcheck`` whether they are alive;
- :func:`run_bounded` runs one call on many nodes, at most ``max_parallel``
  at a time, each within a deadline, and never lets one node hide another;
- :meth:`Fleet.run` and its helpers send cache calls to named nodes.

Every request to a node goes through the client's own keystoneauth1 session
(same token, same TLS settings) with the node's URL as the endpoint override,
one client per node, so each call costs what it costs on one node.
"""

from __future__ import annotations

import collections.abc
import logging
import threading
import time
import typing as ty
from urllib import parse

from glanceclient import exc
from glanceclient._i18n import _

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

LOG = logging.getLogger(__name__)

A = ty.TypeVar("A")
T = ty.TypeVar("T")

#: Seconds a probe may take before its node counts as unreachable.
PROBE_TIMEOUT = 3.0
#: How many probes run at once: enough that a whole deployment costs about
#: one probe.
PROBE_PARALLEL = 64
#: How many calls run at once by default when acting on several nodes.
MAX_PARALLEL = 8
#: The unauthenticated route that says whether a node is in service.
HEALTHCHECK_PATH = "/healthcheck"

#: Node states reported by :meth:`Fleet.probe`.
OK = "ok"
DISABLED = "disabled"
UNREACHABLE = "unreachable"
ERROR = "error"


def node_url(text: str) -> str:
    """Check a node URL given by a user and return it without a trailing ``/``.

    A node URL is a root (``http://node_1:60999``): the cache API is reached
    below it.

    :param text: the URL.
    :returns: the URL, without a trailing slash.
    :raises glanceclient.exc.InvalidArgument: not an http(s) URL, or one
        holding a path, a query or a fragment.
    """
    parts = parse.urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise exc.InvalidArgument(
            _("%(url)r is not a node URL: give one like http://node_1:9292.") % {"url": text}
        )
    if parts.path.strip("/") or parts.query or parts.fragment or "?" in text or "#" in text:
        raise exc.InvalidArgument(
            _("%(url)r is not a node URL: it must not hold a path, a query or a fragment.")
            % {"url": text}
        )
    return parse.urlunsplit((parts.scheme, parts.netloc, "", "", ""))


class UrlMap:
    """Maps reference URL prefixes to reachable ones.

    Reference URLs are often internal names (a headless service, a pod
    hostname) that do not resolve where the client runs. Each rule replaces
    a prefix of the reference URL; the longest matching prefix wins, and a
    URL no rule matches is used as it is.

    :param rules: ``{prefix: replacement}``, or ``"PREFIX=REPLACEMENT"``
        strings.
    :raises glanceclient.exc.InvalidArgument: a rule that is not
        ``PREFIX=REPLACEMENT``, or whose replacement is no URL.
    """

    def __init__(
        self, rules: collections.abc.Mapping[str, str] | collections.abc.Iterable[str] = ()
    ) -> None:
        pairs = rules.items() if isinstance(rules, collections.abc.Mapping) else map(_rule, rules)
        self.rules: dict[str, str] = {}
        for prefix, replacement in pairs:
            if not prefix or not parse.urlsplit(replacement).scheme:
                raise exc.InvalidArgument(
                    _("%(rule)r is not a URL mapping: use PREFIX=URL.")
                    % {"rule": "%s=%s" % (prefix, replacement)}
                )
            self.rules[prefix] = replacement
        self._longest_first = sorted(self.rules, key=len, reverse=True)

    @classmethod
    def from_config(cls, value: object) -> UrlMap:
        """Build a map from a configuration value.

        :param value: None; a mapping (as ``image_node_url_map`` in
            clouds.yaml); a list of ``PREFIX=URL`` strings; or one string of
            them separated by spaces or commas (as the environment gives).
        :returns: the map (empty for None).
        :raises glanceclient.exc.InvalidArgument: for anything else.
        """
        if value is None:
            return cls()
        if isinstance(value, str):
            return cls(value.replace(",", " ").split())
        if isinstance(value, collections.abc.Mapping):
            return cls({str(k): str(v) for k, v in value.items()})
        if isinstance(value, collections.abc.Iterable):
            return cls([str(v) for v in value])
        raise exc.InvalidArgument(
            _("%(value)r is not a URL mapping: use PREFIX=URL pairs.") % {"value": value}
        )

    def __bool__(self) -> bool:
        return bool(self.rules)

    def __call__(self, url: str) -> str:
        """Return the reachable URL of a reference URL.

        :param url: a node's reference URL.
        :returns: the URL with its longest mapped prefix replaced.
        """
        for prefix in self._longest_first:
            if url.startswith(prefix):
                return self.rules[prefix] + url[len(prefix) :]
        return url

    def __repr__(self) -> str:
        return "UrlMap(%r)" % self.rules


def _rule(text: str) -> tuple[str, str]:
    prefix, sep, replacement = text.partition("=")
    if not sep:
        raise exc.InvalidArgument(
            _("%(rule)r is not a URL mapping: use PREFIX=URL.") % {"rule": text}
        )
    return prefix.strip(), replacement.strip()


class Outcome(ty.NamedTuple):
    """What one call of :func:`run_bounded` gave: a value or an error."""

    value: ty.Any
    error: Exception | None


def run_bounded(
    func: collections.abc.Callable[[A], T],
    items: collections.abc.Sequence[A],
    *,
    max_parallel: int,
    timeout: float | None = None,
    label: collections.abc.Callable[[A], str] = str,
) -> list[Outcome]:
    """Run ``func`` on every item, at most ``max_parallel`` at a time.

    Each item gets a thread of its own when a slot is free. An item still
    running ``timeout`` seconds after it started is given up: it counts as
    a :class:`~glanceclient.exc.Timeout`, its slot goes to the next item,
    and its (daemon) thread is left to end on its own. So the whole run
    costs at most about ``ceil(len(items) / max_parallel) * timeout``.

    :param func: the call; its exceptions are caught and returned.
    :param items: what to call it on.
    :param max_parallel: the most calls running at once (1 or more).
    :param timeout: seconds each call may take; None for no limit.
    :param label: names an item in the timeout error.
    :returns: one :class:`Outcome` per item, in the items' order.
    :raises glanceclient.exc.InvalidArgument: ``max_parallel`` below 1 or
        ``timeout`` not positive.
    """
    if max_parallel < 1:
        raise exc.InvalidArgument(
            _("The number of parallel calls must be 1 or more, not %(n)s.") % {"n": max_parallel}
        )
    if timeout is not None and not timeout > 0:
        raise exc.InvalidArgument(
            _("A timeout must be a positive number of seconds, not %(t)s.") % {"t": timeout}
        )
    results: list[Outcome | None] = [None] * len(items)
    running: dict[int, float] = {}  # index -> when it started
    done = threading.Condition()
    pending = iter(range(len(items)))

    def start_next() -> None:  # with ``done`` held
        index = next(pending, None)
        if index is not None:
            running[index] = time.monotonic()
            threading.Thread(target=work, args=(index,), daemon=True).start()

    def work(index: int) -> None:
        try:
            outcome = Outcome(func(items[index]), None)
        except Exception as e:  # every error belongs in the item's row
            outcome = Outcome(None, e)
        with done:
            if index in running:  # else it was given up
                del running[index]
                results[index] = outcome
                start_next()
            done.notify_all()

    with done:
        for _slot in range(min(max_parallel, len(items))):
            start_next()
        while running:
            wait = None
            if timeout is not None:
                now = time.monotonic()
                for index, began in list(running.items()):
                    if now - began >= timeout:
                        del running[index]
                        results[index] = Outcome(
                            None,
                            exc.Timeout(
                                _("No answer from %(node)s within %(seconds)g s.")
                                % {"node": label(items[index]), "seconds": timeout}
                            ),
                        )
                        start_next()
                if running:
                    wait = max(0.0, min(running.values()) + timeout - now)
            if running:
                done.wait(wait)
    return [r for r in results if r is not None]


class NodeStatus(ty.NamedTuple):
    """The state of one node, as :meth:`Fleet.probe` found it.

    :ivar url: the node's reference URL (as the nodes list names it).
    :ivar endpoint: the URL the probe was sent to (after the URL map).
    :ivar status: ``ok``, ``disabled`` (its healthcheck answers 503),
        ``unreachable`` (refused, timed out, name not resolved) or
        ``error`` (anything else).
    :ivar latency_ms: the probe's round trip in milliseconds, None when no
        answer came.
    :ivar error: what went wrong, None when the node answered 200 or 503.
    """

    url: str
    endpoint: str
    status: str
    latency_ms: float | None
    error: str | None = None


class NodeResult(ty.NamedTuple):
    """The outcome of one call on one node (and image).

    :ivar node: the node's reference URL.
    :ivar endpoint: the URL the call was sent to (after the URL map).
    :ivar image: the image ID the call was about, if any.
    :ivar value: what the call returned (None on failure).
    :ivar error: the error, None on success.
    """

    node: str
    endpoint: str
    image: str | None
    value: ty.Any
    error: Exception | None

    @property
    def ok(self) -> bool:
        """True when the call succeeded."""
        return self.error is None


class Fleet:
    """The nodes of a deployment, reached with one client's session.

    Built by :attr:`glanceclient.v2.client.Client.fleet`.

    :param client: whose session, token and TLS settings every node call
        uses.
    :param url_map: maps reference URLs to reachable ones.
    """

    def __init__(self, client: v2_client.Client, url_map: UrlMap | None = None) -> None:
        self._client = client
        self.url_map = url_map or UrlMap()
        self._nodes: dict[str, v2_client.Client] = {}
        self._lock = threading.Lock()

    def endpoint(self, node: str) -> str:
        """The URL requests for a node are sent to.

        :param node: the node's reference URL.
        :returns: the URL after the URL map.
        """
        return self.url_map(node.rstrip("/"))

    def node_client(self, node: str) -> v2_client.Client:
        """A client acting on one node, sharing this client's session.

        :param node: the node's reference URL (mapped by the URL map).
        :returns: a client whose every call goes to that node; the same
            client for the same node.
        """
        endpoint = self.endpoint(node)
        with self._lock:
            found = self._nodes.get(endpoint)
            if found is None:
                from glanceclient.v2 import client as v2_client

                http = self._client.http_client
                found = v2_client.Client(
                    endpoint,
                    session=http.session,
                    global_request_id=http.adapter.global_request_id,
                    logger=http.adapter.logger,
                    identity_headers=dict(http.default_headers),
                )
                self._nodes[endpoint] = found
        return found

    def probe(self, node: str, timeout: float = PROBE_TIMEOUT) -> NodeStatus:
        """Ask a node's ``/healthcheck`` (without a token) whether it serves.

        :param node: the node's reference URL.
        :param timeout: seconds to wait for the answer.
        :returns: the node's state; a probe never raises for the node's
            sake.
        """
        endpoint = self.endpoint(node)
        http = self.node_client(node).http_client
        began = time.monotonic()
        status, error = OK, None
        try:
            response = http.request("GET", HEALTHCHECK_PATH, authenticated=False, timeout=timeout)
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
    ) -> list[NodeStatus]:
        """Probe nodes concurrently; the whole costs about one probe.

        :param nodes: reference URLs.
        :param timeout: seconds each probe may take.
        :param max_parallel: the most probes at once.
        :returns: one state per node, in the given order.
        """
        outcomes = run_bounded(
            lambda n: self.probe(n, timeout),
            nodes,
            max_parallel=max_parallel,
            timeout=timeout + 0.5,  # probe() keeps to its timeout; this is the backstop
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
        nodes = sorted(self._client.cache.list_nodes(image_id))
        return self.probe_all(nodes, timeout=timeout, max_parallel=max_parallel)

    def run(
        self,
        nodes: collections.abc.Sequence[str],
        call: collections.abc.Callable[[v2_client.Client], T],
        *,
        max_parallel: int = MAX_PARALLEL,
        timeout: float | None = None,
    ) -> list[NodeResult]:
        """Run one call on each node, concurrently; every node is tried.

        :param nodes: reference URLs.
        :param call: takes the node's client, e.g. ``lambda c: c.cache.clean()``.
        :param max_parallel: the most calls at once.
        :param timeout: seconds each node may take (None: the session's
            timeout bounds each request).
        :returns: one result per node, in the given order.
        """
        return self.run_per_image(
            nodes, [None], lambda c, _i: call(c), max_parallel=max_parallel, timeout=timeout
        )

    def run_per_image(
        self,
        nodes: collections.abc.Sequence[str],
        images: collections.abc.Sequence[str | None],
        call: collections.abc.Callable[[v2_client.Client, ty.Any], T],
        *,
        max_parallel: int = MAX_PARALLEL,
        timeout: float | None = None,
    ) -> list[NodeResult]:
        """Run one call per node and image, concurrently.

        :param nodes: reference URLs.
        :param images: image IDs (None for a call about no image).
        :param call: takes the node's client and the image ID.
        :param max_parallel: the most calls at once.
        :param timeout: seconds each call may take.
        :returns: one result per node and image, node by node.
        """
        pairs = [(node, image) for node in nodes for image in images]
        outcomes = run_bounded(
            lambda p: call(self.node_client(p[0]), p[1]),
            pairs,
            max_parallel=max_parallel,
            timeout=timeout,
            label=lambda p: p[0],
        )
        return [
            NodeResult(node, self.endpoint(node), image, o.value, o.error)
            for (node, image), o in zip(pairs, outcomes, strict=True)
        ]

    def delete_everywhere(
        self,
        image_ids: collections.abc.Sequence[str],
        *,
        max_parallel: int = MAX_PARALLEL,
        timeout: float | None = None,
    ) -> list[NodeResult]:
        """Remove images from the cache of every node the nodes list names.

        The nodes of every image are listed first; if one listing fails,
        nothing is deleted anywhere.

        :param image_ids: image IDs.
        :param max_parallel: the most deletions at once.
        :param timeout: seconds each deletion may take.
        :returns: one result per image and node, image by image.
        :raises glanceclient.exc.ClientException: a listing failed (e.g.
            :class:`~glanceclient.exc.HTTPForbidden` for a non-admin).
        """
        where = {image: sorted(self._client.cache.list_nodes(image)) for image in image_ids}
        pairs = [(node, image) for image in image_ids for node in where[image]]
        outcomes = run_bounded(
            lambda p: self.node_client(p[0]).cache.delete(p[1]),
            pairs,
            max_parallel=max_parallel,
            timeout=timeout,
            label=lambda p: p[0],
        )
        return [
            NodeResult(node, self.endpoint(node), image, None, o.error)
            for (node, image), o in zip(pairs, outcomes, strict=True)
        ]

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
        :param nodes: reference URLs (compared without a trailing ``/``).
        :param timeout: seconds to wait in all.
        :param interval: seconds between two listings.
        :param progress: called after each listing with the nodes still
            missing and the seconds waited.
        :returns: the nodes still missing when the time ran out (empty when
            every one is listed).
        :raises glanceclient.exc.ClientException: a listing failed.
        """
        wanted = [n.rstrip("/") for n in nodes]
        began = time.monotonic()
        while True:
            listed = {n.rstrip("/") for n in self._client.cache.list_nodes(image_id)}
            missing = [n for n in wanted if n not in listed]
            waited = time.monotonic() - began
            if progress is not None:
                progress(missing, waited)
            if not missing or waited >= timeout:
                return missing
            time.sleep(max(0.0, min(interval, timeout - waited)))
