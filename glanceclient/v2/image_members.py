"""Image members: the projects an image is shared with."""

from __future__ import annotations

from glanceclient import vocabulary
from glanceclient.common import base
from glanceclient.common import models
from glanceclient.common import results

#: Upstream's name for the statuses a member may have.
MEMBER_STATUS_VALUES = vocabulary.MEMBER_STATUS_VALUES


class Controller(base.Controller):
    """Operations on the members of an image.

    :param http_client: sends the requests.
    :param schemas: the client's schemas.
    """

    name = "image_members"
    path = "/v2/images/{image}/members"
    member_path = path + "/{member}"
    list_key = "members"
    schema_name = "member"

    def list(self, image_id: str) -> results.ResultGenerator[models.Model]:
        """List an image's members (``member_id``, ``status``...).

        :raises glanceclient.exc.HTTPForbidden: the image is not shared.
        """
        return self._list(self._path(image=image_id), [], page_size=None)

    def get(self, image_id: str, member_id: str) -> models.Model:
        """Return one member of an image."""
        path = self._path(self.member_path, image=image_id, member=member_id)
        return self._model(*self._send("GET", path))

    def create(self, image_id: str, member_id: str) -> models.Model:
        """Share an image with a project (its status starts ``pending``)."""
        path = self._path(image=image_id)
        return self._model(*self._send("POST", path, json={"member": member_id}))

    def update(self, image_id: str, member_id: str, member_status: str) -> models.Model:
        """Accept, reject or reset (``pending``) a shared image."""
        path = self._path(self.member_path, image=image_id, member=member_id)
        return self._model(*self._send("PUT", path, json={"status": member_status}))

    def delete(self, image_id: str, member_id: str) -> results.ResponseResult:
        """Stop sharing an image with a project."""
        path = self._path(self.member_path, image=image_id, member=member_id)
        done: results.ResponseResult = self._no_body("delete", self._request("DELETE", path))
        return done
