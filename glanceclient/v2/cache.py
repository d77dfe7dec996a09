"""The image-cache API of Glance v2.

``list_nodes`` answers for the whole deployment (every node shares one
database). Every other call acts on the one node that receives it: to manage
a given node's cache, build a client on that node's own URL.

Each call sends one request; the server's version list is read only to
explain a failure (see :mod:`glanceclient.v2.versions`).
"""

from __future__ import annotations

import typing as ty
from urllib import parse

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.common import http
from glanceclient.v2 import versions

#: ``clear()`` targets, and the header value each sends (None: no header).
CLEAR_TARGETS: dict[str, str | None] = {"both": None, "cache": "cache", "queue": "queue"}
CLEAR_TARGET_HEADER = "x-image-cache-clear-target"


def quoted_id(image_id: str) -> str:
    """Return an image id quoted as one URL path segment.

    :raises glanceclient.exc.InvalidArgument: for an empty id, one that
        is a dot-segment, holds a slash, or is not valid Unicode.
    """
    if not isinstance(image_id, str) or not image_id.strip():
        raise exc.InvalidArgument(_("An image ID is required."))
    if image_id in (".", "..") or "/" in image_id:
        # No quoting survives requests' URL normalization: "/v2/cache/.."
        # would be sent as "/v2/cache/", another route. Glance decodes %2F
        # before routing: "nodes/<id>" would reach the nodes route.
        raise exc.InvalidArgument(_("%(id)r is not an image ID.") % {"id": image_id})
    try:
        return parse.quote(image_id, safe="")
    except UnicodeEncodeError:
        raise exc.InvalidArgument(
            _("%(id)r is not an image ID: it is not valid Unicode.") % {"id": image_id}
        ) from None


def _malformed(what: str, url: str, body: object) -> exc.InvalidResponse:
    return exc.InvalidResponse(
        _("The server at %(url)s answered a malformed %(what)s: %(body)s")
        % {"url": url, "what": what, "body": exc.truncate(repr(body), 200)},
        url=url,
    )


class Controller:
    """Operations on Glance's image cache.

    :param http_client: sends the requests.
    :param gate: checks each operation against the server's versions.
    """

    def __init__(self, http_client: http.SessionClient, gate: versions.VersionGate) -> None:
        self._http = http_client
        self._gate = gate

    def is_supported(self, version: str | tuple[int, int]) -> bool:
        """Check that the server offers a version of the image-cache API.

        Reads the server's version list (once per client).

        :param version: ``"2.18"``, ``"v2.18"`` or ``(2, 18)``.
        :returns: True.
        :raises glanceclient.exc.InvalidArgument: ``version`` is no version.
        :raises glanceclient.exc.CachingNotEnabled: caching is off there.
        :raises glanceclient.exc.VersionNotSupported: the server is older.
        """
        wanted = versions.as_version(version)
        self._gate.require_version(
            wanted,
            _("version %(version)s of the image-cache API")
            % {"version": versions.format_version(wanted)},
            cache=True,
            operation="is_supported",
        )
        return True

    @property
    def last_request_id(self) -> str | None:
        """The request id (``x-openstack-request-id``) of the last answer."""
        return self._http.last_request_id

    def list_nodes(self, image_id: str) -> list[str]:
        """List the nodes that have an image in their cache.

        :param image_id: the image's ID.
        :returns: each node's reference URL (``worker_self_reference_url``),
            in the server's order; empty when the image is cached nowhere.
            The server does not check that a listed node is still alive.
        :raises glanceclient.exc.CachingNotEnabled: caching is off there.
        :raises glanceclient.exc.VersionNotSupported: server older than 2.18.
        :raises glanceclient.exc.HTTPForbidden: the caller is not allowed.
        :raises glanceclient.exc.HTTPConflict: centralized caching is off.
        :raises glanceclient.exc.HTTPNotFound: no such image.
        :raises glanceclient.exc.InvalidResponse: the answer is malformed.
        """
        path = "/v2/cache/nodes/" + quoted_id(image_id)
        body = self._gate.call("list_nodes", lambda: self._http.get_json(path))
        nodes = body.get("cached_nodes") if isinstance(body, dict) and len(body) == 1 else body
        if not isinstance(nodes, list) or not all(isinstance(n, str) for n in nodes):
            raise _malformed(_("node list"), self._http.root + path, body)
        return nodes

    #: The name python-glanceclient 4.x callers know.
    list_cached_nodes = list_nodes

    def list(self) -> dict[str, ty.Any]:
        """List the cached and queued images of the node that answers.

        :returns: ``{"cached_images": [{"image_id", "last_accessed",
            "last_modified", "size", "hits", ...}], "queued_images": [id]}``;
            times are UNIX epoch seconds.
        :raises glanceclient.exc.InvalidResponse: the answer is malformed.
        """
        body = self._gate.call("list", lambda: self._http.get_json("/v2/cache"))
        if isinstance(body, dict):
            cached = body.setdefault("cached_images", [])
            queued = body.setdefault("queued_images", [])
            if (
                isinstance(cached, list)
                and isinstance(queued, list)
                and all(isinstance(i, dict) and "image_id" in i for i in cached)
            ):
                return body
        raise _malformed(_("cache list"), self._http.root + "/v2/cache", body)

    def queue(self, image_id: str) -> None:
        """Queue an image for caching on the node that answers.

        :raises glanceclient.exc.HTTPNotFound: no such image.
        :raises glanceclient.exc.HTTPBadRequest: the image is not active.
        """
        path = "/v2/cache/" + quoted_id(image_id)
        self._gate.call("queue", lambda: self._http.request("PUT", path))

    def delete(self, image_id: str) -> None:
        """Delete an image from the cache of the node that answers."""
        path = "/v2/cache/" + quoted_id(image_id)
        self._gate.call("delete", lambda: self._http.request("DELETE", path))

    def clear(self, target: str = "both") -> None:
        """Empty the cache, the queue, or both, of the node that answers.

        :param target: ``"both"``, ``"cache"`` or ``"queue"``.
        :raises glanceclient.exc.InvalidArgument: any other target.
        """
        if target not in CLEAR_TARGETS:
            raise exc.InvalidArgument(
                _("Unknown clear target %(target)r: use one of %(choices)s.")
                % {"target": target, "choices": ", ".join(CLEAR_TARGETS)}
            )
        header = CLEAR_TARGETS[target]
        headers = {CLEAR_TARGET_HEADER: header} if header else None
        self._gate.call("clear", lambda: self._http.request("DELETE", "/v2/cache", headers=headers))

    def clean(self) -> None:
        """Remove invalid and stalled files from the node's cache."""
        self._gate.call("clean", lambda: self._http.request("POST", "/v2/cache/clean"))

    def prune(self) -> dict[str, int]:
        """Shrink the node's cache below its configured maximum size.

        :returns: ``{"total_files_pruned": N, "total_bytes_pruned": N}``.
        :raises glanceclient.exc.InvalidResponse: the answer is malformed.
        """
        response = self._gate.call("prune", lambda: self._http.request("POST", "/v2/cache/prune"))
        body = http.decode_json(response)
        keys = ("total_files_pruned", "total_bytes_pruned")
        if not isinstance(body, dict) or not all(isinstance(body.get(k), int) for k in keys):
            raise _malformed(_("prune result"), response.url, body)
        return body
