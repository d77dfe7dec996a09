"""The image resource's paths, and the operations on an image's
locations (:class:`glanceclient.v2.images.Controller` builds on it).

Two APIs: the image's ``locations`` property changed by JSON patch (needs
``show_multiple_locations`` on the server), and the v2.17 locations API
(``/v2/images/{id}/locations``), which nova tries first.
"""

from __future__ import annotations

import builtins
import collections.abc
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.common import base
from glanceclient.common import models
from glanceclient.common import results

JSON_PATCH = "application/openstack-images-v2.1-json-patch"


class Controller(base.Controller):
    """An image's locations; the paths, reading and patching of images.

    :param http_client: sends the requests.
    :param schemas: the client's schemas (fetched once each, when needed).
    :param gate: checks version-gated operations against the server.
    """

    name = "images"
    path = "/v2/images"
    image_path = path + "/{image}"
    list_key = "images"
    schema_name = "image"

    def _get(self, image_id: str) -> models.Model:
        """The image record (one GET).

        :raises glanceclient.exc.HTTPNotFound: no such image.
        """
        return self._model(*self._send("GET", self._path(self.image_path, image=image_id)))

    def _patch(self, image_id: str, changes: builtins.list[dict[str, ty.Any]]) -> models.Model:
        """Apply a JSON patch to an image; the image afterwards."""
        path = self._path(self.image_path, image=image_id)
        return self._model(*self._send("PATCH", path, json=changes, content_type=JSON_PATCH))

    def add_location(
        self,
        image_id: str,
        url: str,
        metadata: dict[str, ty.Any],
        validation_data: dict[str, ty.Any] | None = None,
    ) -> models.Model:
        """Add a location to an image (needs ``show_multiple_locations``).

        :param validation_data: ``checksum``, ``os_hash_algo`` and
            ``os_hash_value`` the server checks the location against.
        :returns: the image afterwards.
        """
        value: dict[str, ty.Any] = {"url": url, "metadata": metadata}
        if validation_data:
            value["validation_data"] = validation_data
        return self._patch(image_id, [{"op": "add", "path": "/locations/-", "value": value}])

    def _locations(self, image: models.Model) -> builtins.list[dict[str, ty.Any]]:
        locations = image.get("locations")
        if not isinstance(locations, list):
            raise exc.HTTPBadRequest(
                _("The administrator has disabled API access to image locations")
            )
        return locations

    def delete_locations(
        self, image_id: str, url_set: collections.abc.Iterable[str]
    ) -> results.ResponseResult:
        """Remove locations from an image.

        :raises glanceclient.exc.HTTPNotFound: a URL the image does not have.
        :raises glanceclient.exc.HTTPBadRequest: locations are hidden.
        """
        urls = set(url_set)
        locations = self._locations(self._get(image_id))
        known = [i for i, loc in enumerate(locations) if loc.get("url") in urls]
        missing = urls - {locations[i].get("url") for i in known}
        if missing:
            raise exc.HTTPNotFound(_("Unknown URL(s): %(urls)s") % {"urls": sorted(missing)})
        changes = [
            {"op": "remove", "path": "/locations/%d" % i} for i in sorted(known, reverse=True)
        ]
        path = self._path(self.image_path, image=image_id)
        response = self._request("PATCH", path, json=changes, content_type=JSON_PATCH)
        done: results.ResponseResult = self._no_body("delete_locations", response)
        return done

    def update_location(self, image_id: str, url: str, metadata: dict[str, ty.Any]) -> models.Model:
        """Replace the metadata of one of an image's locations.

        :returns: the image afterwards (unchanged when the metadata is).
        :raises glanceclient.exc.HTTPNotFound: a URL the image does not have.
        """
        image = self._get(image_id)
        locations = self._locations(image)
        found = [loc for loc in locations if loc.get("url") == url]
        if not found:
            raise exc.HTTPNotFound(_("Unknown URL(s): %(urls)s") % {"urls": [url]})
        if found[0].get("metadata") == metadata:
            return image
        updated = [
            {
                "url": loc.get("url"),
                "metadata": metadata if loc.get("url") == url else loc.get("metadata"),
            }
            for loc in locations
        ]
        return self._patch(image_id, [{"op": "replace", "path": "/locations", "value": updated}])

    def add_image_location(
        self,
        image_id: str,
        location_url: str,
        validation_data: dict[str, ty.Any] | None = None,
    ) -> models.Model:
        """Add a location through the v2.17 locations API.

        :param validation_data: ``os_hash_algo`` and ``os_hash_value``.
        :returns: the image afterwards.
        :raises glanceclient.exc.VersionNotSupported: (an
            ``HTTPNotImplemented``, which nova catches to fall back to
            :meth:`add_location`) the server is older than 2.17.
        """
        path = self._path(self.image_path + "/locations", image=image_id)
        body = {"url": location_url, "validation_data": validation_data or {}}
        self._request("POST", path, operation="add_image_location", json=body)
        return self._get(image_id)

    def get_image_locations(self, image_id: str) -> results.ListResult:
        """An image's locations through the v2.17 API (``url``, ``metadata``).

        :raises glanceclient.exc.VersionNotSupported: (an
            ``HTTPNotImplemented``) the server is older than 2.17.
        """
        path = self._path(self.image_path + "/locations", image=image_id)
        response, body = self._send("GET", path, operation="get_image_locations")
        body = results.expect(response, body, list, _("location list"))
        return results.attach(results.ListResult(body), response)
