"""Finding images by name or ID, for the commands that take either."""

from __future__ import annotations

import re
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _

if ty.TYPE_CHECKING:
    from glanceclient.common import http

_UUID = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.I)

#: How many same-named images an ambiguity error lists at most.
MAX_CANDIDATES = 20


def looks_like_id(value: str) -> bool:
    """True if ``value`` has the form of an image ID (a UUID)."""
    return bool(_UUID.match(value))


class Controller:
    """The part of the images API the cache commands need."""

    def __init__(self, http_client: http.SessionClient) -> None:
        self._http = http_client

    def find_id(self, name_or_id: str) -> str:
        """Return the ID of the image named or identified by ``name_or_id``.

        An ID is returned as it is, without a request; anything else is
        looked up by exact name.

        :raises glanceclient.exc.InvalidArgument: for an empty value.
        :raises glanceclient.exc.NoImageMatch: no image has that name.
        :raises glanceclient.exc.NoUniqueMatch: several images have it.
        """
        if not name_or_id or not name_or_id.strip():
            raise exc.InvalidArgument(_("An image name or ID is required."))
        if looks_like_id(name_or_id):
            return name_or_id
        body = self._http.get_json(
            "/v2/images", params={"name": name_or_id, "limit": MAX_CANDIDATES + 1}
        )
        images = body.get("images") if isinstance(body, dict) else None
        if not isinstance(images, list) or not all(
            isinstance(i, dict) and isinstance(i.get("id"), str) for i in images
        ):
            raise exc.InvalidResponse(
                _("The server answered a malformed image list: %(body)s")
                % {"body": exc.truncate(repr(body), 200)}
            )
        ids: list[str] = [image["id"] for image in images]
        if not ids:
            raise exc.NoImageMatch(
                _("No image with a name or ID of %(name)r exists.") % {"name": name_or_id}
            )
        if len(ids) > 1:
            shown = ", ".join(ids[:MAX_CANDIDATES]) + (", ..." if len(ids) > MAX_CANDIDATES else "")
            raise exc.NoUniqueMatch(
                _("More than one image is named %(name)r; use an ID: %(ids)s.")
                % {"name": name_or_id, "ids": shown},
                candidates=ids[:MAX_CANDIDATES],
            )
        return ids[0]
