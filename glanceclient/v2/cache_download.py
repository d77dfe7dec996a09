"""Downloading an image from a node that has it in its cache.

Every Glance node serves image data, and a node that has the image in its
cache serves it from there, without reading the store. The nodes route says
which nodes cache an image; this module picks one of them and streams the
data from it, for ``images.data(..., from_cache=...)``:

- :func:`choose` costs the nodes list (one request) and one concurrent round
  of probes (as ``--check``: the whole round is bounded by the probe
  timeout); it keeps the nodes that are ``ok``, preferred nodes first, then
  by latency. When no node can serve (not an administrator, centralized
  caching off, no cache API, no live node, cached nowhere) it says why, and
  the regular endpoint serves: choosing never fails a download.
- :class:`Transfer` streams from the chosen nodes in turn, then the regular
  endpoint: when a source fails before the end (an error, a connection cut,
  a short body), the next one is asked for the remaining bytes with a
  ``Range`` request (Glance serves ranges, though not from its cache). The
  caller checks the whole image's hash.

Requests to a node go through the client's own session (same token, same
TLS settings), to the node's URL after the URL map.
"""

from __future__ import annotations

import collections.abc
import logging
import re
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.common import answers
from glanceclient.common import http
from glanceclient.common import integrity
from glanceclient.common import results
from glanceclient.v2 import fleet

if ty.TYPE_CHECKING:
    import requests

LOG = logging.getLogger(__name__)

_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(\d+)-\d+/(?:\d+|\*)\s*$", re.I)


class Choice(ty.NamedTuple):
    """The nodes to download an image from, or why there are none.

    :ivar nodes: the live nodes caching the image, in the order to try.
    :ivar reason: why the regular endpoint serves instead (None when
        ``nodes`` is not empty).
    """

    nodes: list[fleet.NodeStatus]
    reason: str | None


class Source(ty.NamedTuple):
    """A place to download from.

    :ivar url: the URL requests go to (a node's after the URL map, or the
        regular endpoint's).
    :ivar node: the node's reference URL; None for the regular endpoint.
    :ivar http: the client that sends the requests.
    """

    url: str
    node: str | None
    http: http.SessionClient


def preference(
    from_cache: bool | str, prefer_nodes: collections.abc.Iterable[str] | None
) -> list[str]:
    """The nodes to try first, in order, from the SDK's arguments.

    :param from_cache: True, or a node URL (that node first).
    :param prefer_nodes: more node URLs, in order of preference.
    :returns: checked node URLs, without a trailing ``/``.
    :raises glanceclient.exc.InvalidArgument: ``from_cache`` is neither a
        bool nor a node URL, or a preferred node is no node URL.
    """
    if isinstance(from_cache, str):
        first = [fleet.node_url(from_cache)]
    elif isinstance(from_cache, bool):
        first = []
    else:
        raise exc.InvalidArgument(
            _("from_cache must be False, True or a node URL, not %(value)r.")
            % {"value": from_cache}
        )
    return list(dict.fromkeys(first + [fleet.node_url(n) for n in prefer_nodes or ()]))


def choose(
    nodes: fleet.Fleet,
    image_id: str,
    prefer: collections.abc.Sequence[str] = (),
    timeout: float = fleet.PROBE_TIMEOUT,
) -> Choice:
    """Pick the live nodes that cache an image, best first.

    :param nodes: the client's fleet (its session and URL map).
    :param image_id: the image's ID.
    :param prefer: node URLs to try first, in order (a reference URL, or
        the URL it maps to); a node not caching the image is not tried.
    :param timeout: seconds each probe may take.
    :returns: the nodes, or the reason none can serve; never raises for a
        node's or the nodes list's sake.
    """
    try:
        states = nodes.check(image_id, timeout=timeout)
    except exc.HTTPForbidden:
        return Choice([], _("listing the nodes that cache an image needs an administrator"))
    except exc.HTTPConflict:
        return Choice([], _("centralized caching is not enabled there"))
    except exc.CachingNotEnabled:
        return Choice([], _("image caching is not enabled there"))
    except exc.VersionNotSupported:
        return Choice([], _("the server has no nodes list (it is older than Image API 2.18)"))
    except exc.ClientException as e:
        return Choice([], _("the nodes list failed: %(error)s") % {"error": exc.one_line(e)})
    if not states:
        return Choice([], _("no node has the image in its cache"))
    live = [s for s in states if s.status == fleet.OK]
    if not live:
        return Choice(
            [],
            _("no node caching the image answers its health check (%(nodes)s)")
            % {"nodes": fleet.summary(states)},
        )
    for wanted in prefer:
        if not any(wanted in (s.url.rstrip("/"), s.endpoint.rstrip("/")) for s in live):
            LOG.info("Preferred node %s is not a live node caching image %s.", wanted, image_id)

    def rank(state: fleet.NodeStatus) -> tuple[int, float]:
        for index, wanted in enumerate(prefer):
            if wanted in (state.url.rstrip("/"), state.endpoint.rstrip("/")):
                return (index, 0.0)
        return (len(prefer), state.latency_ms or 0.0)

    return Choice(sorted(live, key=rank), None)


def plan(
    nodes: fleet.Fleet,
    regular: http.SessionClient,
    from_cache: bool | str,
    prefer_nodes: collections.abc.Iterable[str] | None,
) -> collections.abc.Callable[..., Transfer]:
    """What ``images.data(from_cache=..., prefer_nodes=...)`` asks for,
    checked before anything is sent (see :func:`preference`).

    :param nodes: the client's fleet.
    :param regular: the client of the regular endpoint.
    :returns: ``start(image_id, *, path, params, size, probe_timeout)``,
        which chooses the nodes and returns the :class:`Transfer`, not yet
        opened.
    :raises glanceclient.exc.InvalidArgument: ``from_cache`` or a
        preferred node that is no node URL.
    """
    prefer = preference(from_cache, prefer_nodes)

    def start(
        image_id: str,
        *,
        path: str,
        params: ty.Any,
        size: int | None,
        probe_timeout: float | None = None,
    ) -> Transfer:
        return Transfer.start(
            nodes,
            regular,
            image_id,
            prefer,
            path=path,
            params=params,
            size=size,
            probe_timeout=fleet.PROBE_TIMEOUT if probe_timeout is None else probe_timeout,
        )

    return start


class Transfer:
    """Image data read from sources in turn, each going on where the last
    one stopped.

    :param sources: where to read from, in order; the last one's failure
        is the download's.
    :param path: the data's path (``/v2/images/{id}/file``).
    :param params: the query of every request.
    :param size: the image's size, to tell a short body (None: unknown).
    :param choice: what :func:`choose` found, if it was asked.
    """

    def __init__(
        self,
        sources: collections.abc.Sequence[Source],
        path: str,
        params: ty.Any,
        size: int | None,
        choice: Choice | None = None,
    ) -> None:
        self.choice = choice or Choice([], None)
        self._sources = list(sources)
        self._path = path
        self._params = params
        self._size = size
        self._index = 0
        #: Where the data came from so far.
        self.parts: list[results.DataSource] = []

    @property
    def fallback_reason(self) -> str | None:
        """Why the regular endpoint serves, when no node can."""
        return self.choice.reason

    @classmethod
    def start(
        cls,
        nodes: fleet.Fleet,
        regular: http.SessionClient,
        image_id: str,
        prefer: collections.abc.Sequence[str],
        *,
        path: str,
        params: ty.Any,
        size: int | None,
        probe_timeout: float = fleet.PROBE_TIMEOUT,
    ) -> Transfer:
        """Choose the nodes to download an image from (see :func:`choose`),
        then the regular endpoint; log at info level where the data will
        come from, or why the regular endpoint serves it.

        :param nodes: the client's fleet.
        :param regular: the client of the regular endpoint.
        :param prefer: node URLs to try first, in order.
        :returns: the transfer, not yet opened.
        """
        choice = choose(nodes, image_id, prefer, timeout=probe_timeout)
        found = [
            Source(s.endpoint, s.url, nodes.node_client(s.url).http_client) for s in choice.nodes
        ]
        if choice.reason:
            LOG.info(
                "Downloading image %s from the regular endpoint %s: %s",
                image_id,
                regular.root,
                choice.reason,
            )
        else:
            LOG.info("Downloading image %s from the cache of node %s", image_id, found[0].node)
        sources = [*found, Source(regular.root, None, regular)]
        return cls(sources, path, params, size, choice)

    def open(self) -> requests.Response:
        """Send the first request: to each source in turn until one answers.

        :returns: the answer (200, or 204 for an image without data).
        :raises glanceclient.exc.ClientException: the regular endpoint's
            failure, when every source failed.
        """
        response, _skip = self._open(0)
        return response

    def _open(self, offset: int) -> tuple[requests.Response, int]:
        """Ask the current source, then the next ones, for the data from
        ``offset`` on.

        :returns: the answer, and how many of its first bytes to drop (a
            server that ignored the ``Range`` header sends them all).
        """
        while True:
            source = self._sources[self._index]
            headers = {"Range": "bytes=%d-" % offset} if offset else None
            try:
                response = source.http.request(
                    "GET", self._path, params=self._params, headers=headers, stream=True
                )
                skip = self._skip(response, offset)
            except exc.ClientException as e:
                if self._index == len(self._sources) - 1:
                    raise
                self._next(source, offset, exc.one_line(e))
                continue
            self.parts.append(results.DataSource(source.url, source.node, offset))
            if offset:
                LOG.info("Going on from %s at byte %d (a range request).", source.url, offset)
            return response, skip

    @staticmethod
    def _skip(response: requests.Response, offset: int) -> int:
        """Bytes to drop from the start of an answer for ``offset``.

        :raises glanceclient.exc.InvalidResponse: a range that does not
            start at ``offset``.
        """
        if not offset or response.status_code != 206:
            return offset if response.status_code == 200 else 0
        found = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
        if found is None or int(found.group(1)) != offset:
            response.close()
            raise exc.InvalidResponse(
                _("%(url)s answered the range %(range)r for a request from byte %(offset)d.")
                % {
                    "url": exc.redact_url(response.url),
                    "range": response.headers.get("Content-Range"),
                    "offset": offset,
                },
                url=response.url,
            )
        return 0

    def _next(self, source: Source, offset: int, error: str) -> None:
        """Leave ``source`` for the next one, saying why."""
        LOG.info("%s failed at byte %d: %s", source.url, offset, error)
        if self.parts and self.parts[-1].url == source.url and self.parts[-1].error is None:
            self.parts[-1] = self.parts[-1]._replace(error=error)
        self._index += 1

    def chunks(self, response: requests.Response) -> collections.abc.Iterator[bytes]:
        """The data, from ``response`` (what :meth:`open` answered) on.

        :raises glanceclient.exc.CommunicationError: the regular endpoint
            failed, or its body ended short, after the others did.
        """
        received, skip = 0, 0
        while True:
            source = self._sources[self._index]
            body = ty.cast(
                "collections.abc.Generator[bytes, None, None]",
                answers.iter_body(response, seconds=source.http.timeout),
            )
            error: exc.ClientException | None = None
            try:
                for chunk in body:
                    if skip:
                        dropped = min(skip, len(chunk))
                        chunk, skip = chunk[dropped:], skip - dropped
                        if not chunk:
                            continue
                    if self._size is not None and received + len(chunk) > self._size:
                        # Dropped whole: the next source goes on from the
                        # end of the last chunk that fitted.
                        error = integrity.too_long(source.url, self._size)
                        break
                    received += len(chunk)
                    yield chunk
            except exc.CommunicationError as e:
                error = e
            finally:
                body.close()
            if error is None and (self._size is None or received >= self._size):
                return
            if error is None:
                error = integrity.too_short(source.url, received, self._size or 0)
            complete = self._size is not None and received >= self._size
            if complete or self._index == len(self._sources) - 1:
                # Nothing is left that a range could ask for.
                raise error
            self._next(source, received, exc.one_line(error))
            response, skip = self._open(received)
