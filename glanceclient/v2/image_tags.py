"""Image tags."""

from __future__ import annotations

from glanceclient.common import base
from glanceclient.common import results


class Controller(base.Controller):
    """Adding and removing an image's tags.

    :param http_client: sends the requests.
    """

    name = "image_tags"
    path = "/v2/images/{image}/tags/{tag}"

    def update(self, image_id: str, tag_value: str) -> results.ResponseResult:
        """Add a tag to an image (adding it twice is no error).

        :raises glanceclient.exc.InvalidArgument: an empty tag, or one that
            cannot be one path segment (``.``, ``..``, holding ``/``).
        """
        path = self._path(image=image_id, tag=tag_value)
        done: results.ResponseResult = self._no_body("update", self._request("PUT", path))
        return done

    def delete(self, image_id: str, tag_value: str) -> results.ResponseResult:
        """Remove a tag from an image.

        :raises glanceclient.exc.HTTPNotFound: the image has no such tag.
        """
        path = self._path(image=image_id, tag=tag_value)
        done: results.ResponseResult = self._no_body("delete", self._request("DELETE", path))
        return done
