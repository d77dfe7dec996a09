"""What each operation needs of the server, and the one rule for asking it.

The rule, for every version-gated call of the library: send the request that
does the work, and nothing before it. The server's version list (``GET
/versions``) is read, at most once per client, only

- to explain a failure that may mean "this server is too old" or "this
  server has no cache API" (:data:`EXPLAINED_BY_VERSIONS`): the caller then
  gets :class:`~glanceclient.exc.CachingNotEnabled` or
  :class:`~glanceclient.exc.VersionNotSupported` instead of a bare 404, and
  the server's own error when the versions do not explain it;
- before sending, when a request could be misread by a server that lacks
  the operation, or when the client must choose between behaviours that
  differ by version (:meth:`VersionGate.require`,
  :meth:`VersionGate.require_version`).

Once the list has been read, every later call of the client is checked
against it before anything is sent. Each operation's needs are kept in one
table, :data:`OPERATIONS`.

To gate a new operation: add its entry to :data:`OPERATIONS`, after checking
what a server without it answers to its request (a 404 or 405 that changes
nothing is safe to send unchecked), and send it with
``gate.call(name, send)``; call ``gate.require(name)`` first only when an
older server could act on the request wrongly.
"""

from __future__ import annotations

import logging
import threading
import typing as ty

from keystoneauth1 import discover

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.common import answers
from glanceclient.common import http

LOG = logging.getLogger(__name__)

Version = tuple[int, int]
T = ty.TypeVar("T")

#: The first version with the image-cache API; it is listed only by nodes
#: that have a cache configured.
CACHE_API: Version = (2, 14)

#: The statuses a server answers to a request it has no route or code for:
#: a router's 404, a 405 from an older route of the same path (``POST
#: /v2/cache/clean`` reaches ``/v2/cache/{image_id}`` before 2.18), a 501
#: from a proxy. Only these send the client to the version list.
EXPLAINED_BY_VERSIONS = frozenset({404, 405, 501})


class Operation(ty.NamedTuple):
    #: The first Image API version that has the operation.
    minimum: Version
    #: What the operation does, as error messages name it.
    description: str
    #: Part of the image-cache API, which a server lists only with a cache.
    cache: bool = False


#: The needs of each version-gated operation. The nodes route came with
#: v2.18 and has no version of its own.
#:
#: Every request here is safe to send unchecked (Glance's router, before
#: each version): before 2.14 no ``/v2/cache`` route exists (404); from 2.14
#: to 2.17 ``GET /v2/cache/nodes/{id}`` matches no route (404) and ``POST
#: /v2/cache/clean`` or ``/prune`` reaches ``/v2/cache/{image_id}``, which
#: refuses POST (405); a node without a cache answers every cache route 404
#: ("Caching via API is not supported at this site.") after its policy check.
OPERATIONS: dict[str, Operation] = {
    "list": Operation(CACHE_API, _("listing the image cache"), cache=True),
    "queue": Operation(CACHE_API, _("queueing an image for caching"), cache=True),
    "delete": Operation(CACHE_API, _("deleting an image from the cache"), cache=True),
    "clear": Operation(CACHE_API, _("clearing the image cache"), cache=True),
    "clean": Operation((2, 18), _("cleaning the image cache"), cache=True),
    "prune": Operation((2, 18), _("pruning the image cache"), cache=True),
    "list_nodes": Operation((2, 18), _("listing the nodes an image is cached on"), cache=True),
    # Before 2.12 ``GET /v2/images/{id}/tasks`` matches no route (404).
    "get_associated_image_tasks": Operation((2, 12), _("listing an image's tasks")),
    # Before 2.17 ``/v2/images/{id}/locations`` matches no route (404).
    "add_image_location": Operation((2, 17), _("adding an image location")),
    "get_image_locations": Operation((2, 17), _("listing an image's locations")),
}


def format_version(version: Version) -> str:
    return "%d.%d" % version


def as_version(version: str | ty.Sequence[int]) -> Version:
    """Turn ``"v2.14"``, ``"2.14"`` or ``(2, 14)`` into ``(2, 14)``.

    :raises glanceclient.exc.InvalidArgument: for anything else.
    """
    try:
        number = discover.normalize_version_number(version)
    except TypeError:
        number = ()
    if len(number) < 2:
        raise exc.InvalidArgument(
            _("%(version)r is not an Image API version.") % {"version": version}
        )
    return int(number[0]), int(number[1])


def parse_versions(document: object, url: str) -> list[Version]:
    """Return the v2 versions listed in a ``/versions`` document.

    :raises glanceclient.exc.InvalidResponse: if it has no version list.
    """
    entries = document.get("versions") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise exc.InvalidResponse(
            _("The server at %(url)s did not answer a list of API versions: %(body)s")
            % {"url": url, "body": exc.truncate(repr(document), 120)},
            url=url,
        )
    found: list[Version] = []
    for entry in entries:
        ident = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(ident, str):
            continue
        try:
            number = discover.normalize_version_number(ident)
        except TypeError:
            continue
        if len(number) >= 2 and number[0] == 2:
            found.append((int(number[0]), int(number[1])))
    return found


class VersionGate:
    """Sends version-gated calls by the module's rule; one per client.

    Thread-safe: concurrent callers share one read of the version list.

    :param http_client: the client whose server is asked.
    """

    def __init__(self, http_client: http.SessionClient) -> None:
        self._http = http_client
        self._offered: list[Version] | None = None
        self._entries: list[ty.Any] = []
        self._lock = threading.Lock()

    @property
    def offered(self) -> list[Version]:
        """The v2 versions the server lists, read on first use.

        :raises glanceclient.exc.ClientException: the list cannot be read.
        """
        if self._offered is None:
            with self._lock:
                if self._offered is None:
                    # A version list is "multiple choices"; some servers say so.
                    response = self._http.request("GET", "/versions", accept=(300,))
                    document = answers.decode_json(response)
                    offered = parse_versions(document, response.url)
                    self._entries = document["versions"]
                    self._offered = offered
        return self._offered

    def list(self) -> list[dict[str, ty.Any]]:
        """The server's version list (``id``, ``status``, ``links``), as sent.

        Read once per client, and shared with the version checks.

        :raises glanceclient.exc.ClientException: the list cannot be read.
        """
        self.offered  # noqa: B018 - reads the list once
        return list(self._entries)

    def call(self, operation: str, send: ty.Callable[[], T]) -> T:
        """Run ``send()``, the request that does ``operation``'s work.

        Nothing is sent before it; when the version list is already known
        and rules the operation out, nothing is sent at all. A failure in
        :data:`EXPLAINED_BY_VERSIONS` is checked against the version list
        (read now if it was not), which may turn it into the precise error.

        :param operation: a key of :data:`OPERATIONS`.
        :param send: sends the request and returns its result.
        :returns: what ``send`` returns.
        :raises glanceclient.exc.CachingNotEnabled: a cache operation on a
            server that offers no cache API.
        :raises glanceclient.exc.VersionNotSupported: the server is older
            than the operation.
        :raises glanceclient.exc.ClientException: what ``send`` raised.
        """
        if self._offered is not None:
            self.require(operation)
        try:
            return send()
        except exc.HTTPException as error:
            if error.status_code in EXPLAINED_BY_VERSIONS:
                self._explain(operation, error)
            raise

    def _explain(self, operation: str, error: exc.HTTPException) -> None:
        """Raise the version error behind ``error``, if there is one."""
        try:
            self.require(operation)
        except exc.VersionNotSupported as precise:
            raise precise from error
        except exc.ClientException as unreadable:
            # The server's own answer says more than a failed version list.
            LOG.debug("The version list could not explain %s: %s", error, unreadable)

    def require(self, operation: str) -> None:
        """Raise unless the server offers what ``operation`` needs.

        For a check before sending; reads the version list if needed.

        :param operation: a key of :data:`OPERATIONS`.
        :raises glanceclient.exc.CachingNotEnabled: a cache operation, and
            the server lists no cache API version.
        :raises glanceclient.exc.VersionNotSupported: the server is older
            than the operation.
        """
        needed, description, cache = OPERATIONS[operation]
        self.require_version(needed, description, cache=cache, operation=operation)

    def require_version(
        self, needed: Version, description: str, *, cache: bool, operation: str
    ) -> None:
        """Raise unless the server offers version ``needed`` or newer.

        :param needed: the version wanted.
        :param description: what needs it, for the error message.
        :param cache: whether the image-cache API is needed too.
        :param operation: the name the error carries.
        :raises glanceclient.exc.CachingNotEnabled: ``cache`` is set, and
            the server lists no cache API version.
        :raises glanceclient.exc.VersionNotSupported: the server is older.
        """
        offered = self.offered
        newest = max(offered) if offered else None
        url = self._http.root
        if cache and CACHE_API not in offered:
            raise exc.CachingNotEnabled(
                _(
                    "Image caching is not enabled on the Glance API at %(url)s: "
                    "it does not offer the cache API (version %(cache)s)."
                )
                % {"url": url, "cache": format_version(CACHE_API)},
                operation=operation,
                required=needed,
                available=newest,
                url=url,
            )
        if newest is None or newest < needed:
            raise exc.VersionNotSupported(
                _(
                    "The Glance API at %(url)s is too old for %(what)s: that needs "
                    "Image API version %(needed)s, and the server offers up to %(newest)s."
                )
                % {
                    "url": url,
                    "what": description,
                    "needed": format_version(needed),
                    "newest": format_version(newest) if newest else _("none"),
                },
                operation=operation,
                required=needed,
                available=newest,
                url=url,
            )
