"""What each cache operation needs of the server, and what it offers.

The server's version list is read once per client (``GET /versions``) and
kept; every operation is then checked against :data:`OPERATIONS` before
anything is sent to its route.
"""

from __future__ import annotations

import typing as ty

from keystoneauth1 import discover

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.common import http

Version = tuple[int, int]

#: The first version with the image-cache API; it is listed only by nodes
#: that have a cache configured.
CACHE_API: Version = (2, 14)


class Operation(ty.NamedTuple):
    minimum: Version
    description: str


#: The minimum Image API version of each operation. The nodes route came
#: with v2.18 and has no version of its own.
OPERATIONS: dict[str, Operation] = {
    "list": Operation(CACHE_API, "listing the image cache"),
    "queue": Operation(CACHE_API, "queueing an image for caching"),
    "delete": Operation(CACHE_API, "deleting an image from the cache"),
    "clear": Operation(CACHE_API, "clearing the image cache"),
    "clean": Operation((2, 18), "cleaning the image cache"),
    "prune": Operation((2, 18), "pruning the image cache"),
    "list_nodes": Operation((2, 18), "listing the nodes an image is cached on"),
}


def format_version(version: Version) -> str:
    return "%d.%d" % version


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
    """Checks operations against the versions the server offers.

    :param http_client: the client whose server is asked, once, on first use.
    """

    def __init__(self, http_client: http.SessionClient) -> None:
        self._http = http_client
        self._offered: list[Version] | None = None

    @property
    def offered(self) -> list[Version]:
        """The v2 versions the server lists, read on first use."""
        if self._offered is None:
            response = self._http.request("GET", "/versions")
            document = http.decode_json(response)
            self._offered = parse_versions(document, response.url)
        return self._offered

    def require(self, operation: str) -> None:
        """Raise unless the server offers what ``operation`` needs.

        :raises glanceclient.exc.CachingNotEnabled: the server lists no
            cache API version.
        :raises glanceclient.exc.VersionNotSupported: the server is older
            than the operation.
        """
        needed, description = OPERATIONS[operation]
        offered = self.offered
        newest = max(offered) if offered else None
        url = self._http.root
        if CACHE_API not in offered:
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
