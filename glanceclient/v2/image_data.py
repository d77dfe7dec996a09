"""Downloading an image's data: from the regular endpoint, or from a node
that has it in its cache, checked against the hash the server recorded.

A download from a node's cache is wired in by the client
(:data:`FromCache`): this module knows it only through the protocols
below, and never imports the fleet.
"""

from __future__ import annotations

import builtins
import collections.abc
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.common import answers
from glanceclient.common import integrity
from glanceclient.common import models
from glanceclient.common import results
from glanceclient.v2 import image_locations

if ty.TYPE_CHECKING:
    import requests

    from glanceclient.common import http
    from glanceclient.v2 import schemas
    from glanceclient.v2 import versions


class CacheTransfer(ty.Protocol):
    """A download from the nodes that cache an image, then the regular
    endpoint (:class:`glanceclient.v2.cache_download.Transfer`)."""

    #: Where the data came from so far.
    parts: list[results.DataSource]

    @property
    def fallback_reason(self) -> str | None:
        """Why the regular endpoint serves, when no node can."""

    def open(self) -> requests.Response:
        """Send the first request."""

    def chunks(self, response: requests.Response) -> collections.abc.Iterator[bytes]:
        """The data, from ``response`` on."""


class CacheStart(ty.Protocol):
    """Starts a :class:`CacheTransfer` of an image's data."""

    def __call__(
        self,
        image_id: str,
        *,
        path: str,
        params: ty.Any,
        size: int | None,
        probe_timeout: float | None = None,
    ) -> CacheTransfer:
        """Choose the nodes; send nothing to them yet."""


#: How the client wires downloads from a node's cache into the controller:
#: takes ``from_cache`` and ``prefer_nodes``, checks them (sending nothing),
#: and returns the :class:`CacheStart` of that download.
FromCache = collections.abc.Callable[[bool | str, collections.abc.Iterable[str] | None], CacheStart]


class Controller(image_locations.Controller):
    """Downloads of image data.

    :param http_client: sends the requests.
    :param schemas: the client's schemas (fetched once each, when needed).
    :param gate: checks version-gated operations against the server.
    :param from_cache: downloads from a node's cache
        (``data(from_cache=...)``), as the client wires them.
    """

    def __init__(
        self,
        http_client: http.SessionClient,
        schemas: schemas.Controller,
        gate: versions.VersionGate,
        from_cache: FromCache | None = None,
    ) -> None:
        super().__init__(http_client, schemas, gate)
        self._from_cache = from_cache

    def data(
        self,
        image_id: str,
        do_checksum: bool = True,
        allow_md5_fallback: bool = False,
        prefer: collections.abc.Iterable[str] | None = None,
        from_cache: bool | str = False,
        prefer_nodes: collections.abc.Iterable[str] | None = None,
        probe_timeout: float | None = None,
    ) -> results.Download | results.Empty:
        """Download an image's data, streamed a chunk at a time.

        With ``do_checksum``, the image record is read first and the data
        checked, in this order, against its multihash
        (``os_hash_algo``/``os_hash_value``), its MD5 ``checksum``, or the
        answer's ``Content-MD5``.

        With ``from_cache``, the data comes from a node that has the image
        in its cache (see :mod:`glanceclient.v2.cache_download`): the nodes
        list names them, one concurrent round of probes keeps the live ones,
        tried in the order of preference, then by latency. A node failing
        mid-stream is followed by the next one, then by the regular
        endpoint, asked for the remaining bytes (``Range``). When no node
        can serve (not an administrator, centralized caching off, no cache
        API, no live node, cached nowhere), the regular endpoint does, and
        the reason is logged at info level and kept in the result's
        ``fallback_reason``. The image record is always read then, for its
        size.

        :param allow_md5_fallback: use the MD5 checksum when the multihash
            algorithm is unknown here (else that is a ValueError).
        :param prefer: stores to read from, in order of preference.
        :param from_cache: False (the regular endpoint), True (a node that
            caches the image), or a node URL (that node first, if it caches
            the image and answers).
        :param prefer_nodes: node URLs to try first, in order (implies
            ``from_cache``); reference URLs, or the URLs they map to.
        :param probe_timeout: with ``from_cache``, seconds each node's
            health probe may take (None: 3).
        :returns: the chunks (``len()`` is the size: ``Content-Length``, or
            the image's ``size`` when the server streams without one;
            ``served_by`` and ``sources`` say which URL sent them), or
            an empty result
            whose ``wrapped`` is None when the image has no data.
        :raises glanceclient.exc.CorruptDownload: (an ``OSError``, errno
            ``EPIPE``) after the last chunk, when the data does not match.
        :raises glanceclient.exc.CommunicationError: while reading, when
            the last source failed or its data ended short.
        :raises glanceclient.exc.InvalidArgument: ``from_cache`` or a
            preferred node that is no node URL.
        :raises ValueError: an unknown multihash algorithm, without
            ``allow_md5_fallback``.
        """
        path = self._path(self.image_path + "/file", image=image_id)
        params = {"prefer": ",".join(prefer)} if prefer else None
        if from_cache is not False or prefer_nodes:
            return self._data_from_cache(
                image_id,
                path,
                params,
                from_cache,
                prefer_nodes,
                do_checksum=do_checksum,
                allow_md5_fallback=allow_md5_fallback,
                probe_timeout=probe_timeout,
            )
        image = self._get(image_id) if do_checksum else None
        response = self._request("GET", path, params=params, stream=True)
        if response.status_code == 204:
            response.close()
            return results.empty(response)
        chunks: collections.abc.Iterator[bytes] = answers.iter_body(
            response, seconds=self._http.timeout
        )
        size = models.byte_count(image.get("size")) if image is not None else None
        if size is not None:
            # The image's size bounds its data: no more, no less.
            chunks = integrity.exactly(chunks, size, self._http.root)
        sources = [results.DataSource(self._http.root, None, 0)]
        return self._download(chunks, image, response, allow_md5_fallback, sources)

    def _data_from_cache(
        self,
        image_id: str,
        path: str,
        params: ty.Any,
        from_cache: bool | str,
        prefer_nodes: collections.abc.Iterable[str] | None,
        *,
        do_checksum: bool,
        allow_md5_fallback: bool,
        probe_timeout: float | None,
    ) -> results.Download | results.Empty:
        if self._from_cache is None:
            raise exc.InvalidArgument(_("This images controller has no fleet to download from."))
        start = self._from_cache(from_cache, prefer_nodes)
        image = self._get(image_id)
        transfer = start(
            image_id,
            path=path,
            params=params,
            size=models.byte_count(image.get("size")),
            probe_timeout=probe_timeout,
        )
        response = transfer.open()
        if response.status_code == 204:
            response.close()
            return results.empty(response)
        return self._download(
            transfer.chunks(response),
            image if do_checksum else None,
            response,
            allow_md5_fallback,
            transfer.parts,
            transfer.fallback_reason,
        )

    def _download(
        self,
        chunks: collections.abc.Iterable[bytes],
        image: models.Model | None,
        response: requests.Response,
        allow_md5_fallback: bool,
        sources: builtins.list[results.DataSource],
        fallback_reason: str | None = None,
    ) -> results.Download:
        """The result of a download: its chunks, checked when ``image`` is given."""
        if image is not None:
            try:
                chunks = integrity.check(chunks, image, response, allow_md5_fallback)
            except ValueError:
                response.close()
                raise
        size = answers.content_length(response)
        if size is None and image is not None:
            size = models.byte_count(image.get("size"))
        return results.attach(
            results.Download(chunks, size or 0, sources, fallback_reason), response
        )
