"""Image tags."""

from __future__ import annotations

import typing as ty
from urllib import parse

from glanceclient.common import results
from glanceclient.v2.cache import quoted_id

if ty.TYPE_CHECKING:
    from glanceclient.common import http


def _tag_path(image_id: str, tag_value: str) -> str:
    return "/v2/images/%s/tags/%s" % (quoted_id(image_id), parse.quote(tag_value, safe=""))


class Controller:
    """Adding and removing an image's tags.

    :param http_client: sends the requests.
    """

    def __init__(self, http_client: http.SessionClient) -> None:
        self._http = http_client

    def update(self, image_id: str, tag_value: str) -> results.ResponseResult:
        """Add a tag to an image (adding it twice is no error)."""
        return results.pair(self._http.request("PUT", _tag_path(image_id, tag_value)), None)

    def delete(self, image_id: str, tag_value: str) -> results.ResponseResult:
        """Remove a tag from an image.

        :raises glanceclient.exc.HTTPNotFound: the image has no such tag.
        """
        return results.pair(self._http.request("DELETE", _tag_path(image_id, tag_value)), None)
