"""The image-cache API of Glance v2.

``list_nodes`` answers for the whole deployment (every node shares one
database). Every other call acts on the one node that receives it: to manage
a given node's cache, build a client on that node's own URL.

Each call sends one request; the server's version list is read only to
explain a failure (see :mod:`glanceclient.v2.versions`).
"""

from __future__ import annotations

import typing as ty

from glanceclient import exc
from glanceclient import vocabulary
from glanceclient._i18n import _
from glanceclient.common import base
from glanceclient.common import results
from glanceclient.v2 import versions

if ty.TYPE_CHECKING:
    from glanceclient.common import http

#: ``clear()`` targets, and the header value each sends (None: no header).
CLEAR_TARGETS = vocabulary.CACHE_CLEAR_TARGETS
#: Upstream's name for the targets ``clear()`` takes.
TARGET_VALUES = tuple(CLEAR_TARGETS)
CLEAR_TARGET_HEADER = vocabulary.CACHE_CLEAR_TARGET_HEADER


def _node_list(nodes: object) -> bool:
    return isinstance(nodes, list) and all(isinstance(n, str) for n in nodes)


def _cache_list(body: dict[str, ty.Any]) -> bool:
    cached = body.setdefault("cached_images", [])
    queued = body.setdefault("queued_images", [])
    return (
        isinstance(cached, list)
        and isinstance(queued, list)
        and all(isinstance(i, dict) and "image_id" in i for i in cached)
    )


class Controller(base.Controller):
    """Operations on Glance's image cache.

    :param http_client: sends the requests.
    :param gate: checks each operation against the server's versions.
    """

    name = "cache"
    path = "/v2/cache"
    image_path = path + "/{image}"
    nodes_path = path + "/nodes/{image}"

    def __init__(self, http_client: http.SessionClient, gate: versions.VersionGate) -> None:
        super().__init__(http_client, gate=gate)
        self._versions = gate

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
        self._versions.require_version(
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

    def list_nodes(self, image_id: str, *, timeout: float | None = None) -> list[str]:
        """List the nodes that have an image in their cache.

        :param image_id: the image's ID.
        :param timeout: seconds the call may take (default: the client's).
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
        path = self._path(self.nodes_path, image=image_id)
        response, body = self._send("GET", path, operation="list_nodes", timeout=timeout)
        nodes = body.get("cached_nodes") if isinstance(body, dict) and len(body) == 1 else body
        found: list[str] = results.expect(
            response, nodes, list, _("node list"), valid=_node_list, body=body
        )
        return found

    #: The name python-glanceclient 4.x callers know.
    list_cached_nodes = list_nodes

    def list(self) -> dict[str, ty.Any]:
        """List the cached and queued images of the node that answers.

        :returns: ``{"cached_images": [{"image_id", "last_accessed",
            "last_modified", "size", "hits", ...}], "queued_images": [id]}``;
            times are UNIX epoch seconds.
        :raises glanceclient.exc.InvalidResponse: the answer is malformed.
        """
        response, body = self._send("GET", self.path, operation="list")
        found: dict[str, ty.Any] = results.expect(
            response, body, dict, _("cache list"), valid=_cache_list
        )
        return found

    def queue(self, image_id: str) -> None:
        """Queue an image for caching on the node that answers.

        :raises glanceclient.exc.HTTPNotFound: no such image.
        :raises glanceclient.exc.HTTPBadRequest: the image is not active.
        """
        path = self._path(self.image_path, image=image_id)
        done: None = self._no_body("queue", self._request("PUT", path, operation="queue"))
        return done

    def delete(self, image_id: str) -> None:
        """Delete an image from the cache of the node that answers."""
        path = self._path(self.image_path, image=image_id)
        done: None = self._no_body("delete", self._request("DELETE", path, operation="delete"))
        return done

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
        response = self._request("DELETE", self.path, operation="clear", headers=headers)
        done: None = self._no_body("clear", response)
        return done

    def clean(self) -> None:
        """Remove invalid and stalled files from the node's cache."""
        response = self._request("POST", self.path + "/clean", operation="clean")
        done: None = self._no_body("clean", response)
        return done

    def prune(self) -> dict[str, int]:
        """Shrink the node's cache below its configured maximum size.

        :returns: ``{"total_files_pruned": N, "total_bytes_pruned": N}``.
        :raises glanceclient.exc.InvalidResponse: the answer is malformed.
        """
        response, body = self._send("POST", self.path + "/prune", operation="prune")
        found: dict[str, int] = results.expect(
            response,
            body,
            dict,
            _("prune result"),
            valid=lambda b: all(isinstance(b.get(k), int) for k in vocabulary.PRUNE_KEYS),
        )
        return found
