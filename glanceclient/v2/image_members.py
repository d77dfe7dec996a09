"""Image members: the projects an image is shared with."""

from __future__ import annotations

import typing as ty
from urllib import parse

from glanceclient.common import models
from glanceclient.common import pagination
from glanceclient.common import results
from glanceclient.v2.cache import quoted_id

if ty.TYPE_CHECKING:
    import requests

    from glanceclient.common import http
    from glanceclient.v2 import schemas

MEMBER_STATUS_VALUES = ("accepted", "rejected", "pending")


def _members_path(image_id: str, member_id: str | None = None) -> str:
    path = "/v2/images/%s/members" % quoted_id(image_id)
    return path if member_id is None else path + "/" + parse.quote(member_id, safe="")


class Controller:
    """Operations on the members of an image.

    :param http_client: sends the requests.
    :param schemas: the client's schemas.
    """

    def __init__(self, http_client: http.SessionClient, schemas: schemas.Controller) -> None:
        self._http = http_client
        self._schemas = schemas

    def _member(self, response: requests.Response, body: ty.Any) -> models.Model:
        return results.attach(models.make(self._schemas.model("member"), body), response)

    def list(self, image_id: str) -> results.ResultGenerator[models.Model]:
        """List an image's members (``member_id``, ``status``...).

        :raises glanceclient.exc.HTTPForbidden: the image is not shared.
        """
        model = self._schemas.model("member")
        return pagination.paginate(
            self._http,
            _members_path(image_id),
            [],
            key="members",
            make=lambda item: models.make(model, item),
            page_size=None,
        )

    def get(self, image_id: str, member_id: str) -> models.Model:
        """Return one member of an image."""
        response, body = self._http.json_request("GET", _members_path(image_id, member_id))
        return self._member(response, body)

    def create(self, image_id: str, member_id: str) -> models.Model:
        """Share an image with a project (its status starts ``pending``)."""
        response, body = self._http.json_request(
            "POST", _members_path(image_id), json={"member": member_id}
        )
        return self._member(response, body)

    def update(self, image_id: str, member_id: str, member_status: str) -> models.Model:
        """Accept, reject or reset (``pending``) a shared image."""
        response, body = self._http.json_request(
            "PUT", _members_path(image_id, member_id), json={"status": member_status}
        )
        return self._member(response, body)

    def delete(self, image_id: str, member_id: str) -> results.ResponseResult:
        """Stop sharing an image with a project."""
        response = self._http.request("DELETE", _members_path(image_id, member_id))
        return results.pair(response, None)
