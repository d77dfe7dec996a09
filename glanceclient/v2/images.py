"""Images: the ``images`` controller of the Image API v2.

Every method of upstream python-glanceclient's ``images`` controller is
here with its arguments and results; see the README for where behaviour
deliberately differs (fewer requests, bytes and iterables accepted for
upload, errors that keep the request id).
"""

from __future__ import annotations

import collections.abc
import typing as ty

from glanceclient import exc
from glanceclient import vocabulary
from glanceclient._i18n import _
from glanceclient.common import base
from glanceclient.common import models
from glanceclient.common import pagination
from glanceclient.common import results
from glanceclient.common import uploads
from glanceclient.v2 import image_data
from glanceclient.v2 import image_locations

if ty.TYPE_CHECKING:
    import requests


#: How many same-named images an ambiguity error lists at most.
MAX_CANDIDATES = 20

#: Images asked for per page when the caller does not say.
DEFAULT_PAGE_SIZE = 200
SORT_DIR_VALUES = vocabulary.SORT_DIR_VALUES
#: Upstream's public constant: the sort keys its ``image-list`` offers
#: (the server knows more, and checks them).
SORT_KEY_VALUES = vocabulary.IMAGE_SORT_KEY_VALUES
JSON_PATCH = image_locations.JSON_PATCH
OCTET_STREAM = "application/octet-stream"
STORE_HEADER = "x-image-meta-store"


def _as_list(value: ty.Any) -> list[ty.Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _sort_query(sort: str | None, sort_key: ty.Any, sort_dir: ty.Any) -> list[tuple[str, str]]:
    """The sort part of a list query.

    :raises glanceclient.exc.InvalidArgument: ``sort`` mixed with
        ``sort_key``/``sort_dir``, or directions that do not pair with keys.
    """
    keys, dirs = _as_list(sort_key), _as_list(sort_dir)
    if sort is not None:
        if keys or dirs:
            raise exc.InvalidArgument(_("Give either sort, or sort_key and sort_dir, not both."))
        return [("sort", sort)]
    for direction in dirs:
        if direction not in SORT_DIR_VALUES:
            raise exc.InvalidArgument(
                _("Sort direction %(dir)r is not one of: %(choices)s.")
                % {"dir": direction, "choices": ", ".join(SORT_DIR_VALUES)}
            )
    if len(dirs) > 1 and len(dirs) != len(keys):
        raise exc.InvalidArgument(_("Give one sort direction, or one for each sort key."))
    return [("sort_key", k) for k in keys] + [("sort_dir", d) for d in dirs]


def _filter_query(filters: collections.abc.Mapping[str, ty.Any]) -> list[tuple[str, ty.Any]]:
    """The filter part of a list query; ``tag`` (one or several) repeats.

    :raises glanceclient.exc.InvalidArgument: a tag that is not a str.
    """
    query: list[tuple[str, ty.Any]] = []
    tags: list[ty.Any] = []
    for key, value in filters.items():
        if key == "tag":
            tags = _as_list(value)
        elif isinstance(value, (list, tuple)):
            query.extend((key, v) for v in value)
        elif value is not None:
            query.append((key, value))
    for tag in tags:
        if not isinstance(tag, str):
            raise exc.InvalidArgument(_("Tag %(tag)r is not a string.") % {"tag": tag})
        query.append(("tag", tag))
    return query


class Controller(image_data.Controller):
    """Operations on images (downloads come from
    :class:`glanceclient.v2.image_data.Controller`, the operations on
    their locations from :class:`glanceclient.v2.image_locations.Controller`).

    :param http_client: sends the requests.
    :param schemas: the client's schemas (fetched once each, when needed).
    :param gate: checks version-gated operations against the server.
    :param from_cache: downloads from a node's cache
        (``data(from_cache=...)``), as the client wires them.
    """

    def list(self, **kwargs: ty.Any) -> results.ResultGenerator[models.Model]:
        """List images, fetching pages as they are read.

        :param filters: property filters (``name``, ``visibility``,
            ``status``, ``owner``, ``tag`` (one or a list),
            ``os_hidden``, ``member_status``, any property...); not changed.
        :param limit: images to return at most (default: all).
        :param page_size: images per request (default 200).
        :param marker: the ID of the image to list after.
        :param sort: ``key:dir,key2`` (instead of ``sort_key``/``sort_dir``).
        :param sort_key: a key, or a list of keys.
        :param sort_dir: ``asc``/``desc``, or one for each key.
        :returns: a generator of images; its ``request_ids`` holds each
            page's request id.
        :raises glanceclient.exc.InvalidArgument: contradictory options.
        """
        pagination.check_arguments(
            kwargs, "filters", "limit", "page_size", "marker", "sort", "sort_key", "sort_dir"
        )
        query = _filter_query(kwargs.get("filters") or {})
        query += _sort_query(kwargs.get("sort"), kwargs.get("sort_key"), kwargs.get("sort_dir"))
        marker = kwargs.get("marker")
        if isinstance(marker, str):
            query.append(("marker", marker))
        return self._list(
            self.path,
            query,
            page_size=kwargs.get("page_size") or DEFAULT_PAGE_SIZE,
            limit=kwargs.get("limit"),
        )

    def get(self, image_id: str) -> models.Model:
        """Return an image.

        :raises glanceclient.exc.HTTPNotFound: no such image.
        """
        return self._get(image_id)

    def create(self, **kwargs: ty.Any) -> models.Model:
        """Create an image record (no data yet).

        :param backend: the store for its data (``x-image-meta-store``).
        :param kwargs: the image's properties; checked against the
            server's image schema before anything is sent.
        :returns: the new image.
        :raises glanceclient.exc.SchemaValidationError: a property that
            does not fit the schema (also a TypeError, as upstream).
        """
        backend = kwargs.pop("backend", None)
        self._validate(kwargs)
        headers = {STORE_HEADER: backend} if backend else None
        return self._model(*self._send("POST", self.path, json=kwargs, headers=headers))

    def update(
        self,
        image_id: str,
        remove_props: collections.abc.Iterable[str] | None = None,
        **kwargs: ty.Any,
    ) -> models.Model:
        """Change an image's properties (a JSON patch).

        :param image_id: the image's ID (nova passes it by keyword).
        :param remove_props: properties to remove; absent ones, and ones
            also being set, are skipped.
        :param kwargs: properties to set; checked against the schema.
        :returns: the image as the server has it afterwards.
        :raises glanceclient.exc.SchemaValidationError: a value that does
            not fit the schema.
        """
        self._path(self.image_path, image=image_id)  # refused before anything is sent
        if kwargs:
            self._validate(kwargs)
        changes: list[dict[str, ty.Any]] = []
        removing = [p for p in (remove_props or ()) if p not in kwargs]
        if removing:
            # Removing an absent property is an error on the server; look first.
            current = self._get(image_id)
            changes += [{"op": "remove", "path": "/" + p} for p in removing if p in current]
        # "add" sets a property whether or not it exists (JSON patch v2.1).
        changes += [{"op": "add", "path": "/" + k, "value": v} for k, v in kwargs.items()]
        if not changes:
            return self._get(image_id)
        return self._patch(image_id, changes)

    def delete(self, image_id: str) -> results.ResponseResult:
        """Delete an image.

        :raises glanceclient.exc.HTTPNotFound: no such image.
        :raises glanceclient.exc.HTTPForbidden: it is protected, or not yours.
        :raises glanceclient.exc.HTTPConflict: it cannot be deleted now.
        """
        path = self._path(self.image_path, image=image_id)
        done: results.ResponseResult = self._no_body("delete", self._request("DELETE", path))
        return done

    def deactivate(self, image_id: str) -> results.ResponseResult:
        """Deactivate an image (its data can no longer be downloaded)."""
        path = self._path(self.image_path + "/actions/deactivate", image=image_id)
        done: results.ResponseResult = self._no_body("deactivate", self._request("POST", path))
        return done

    def reactivate(self, image_id: str) -> results.ResponseResult:
        """Reactivate a deactivated image."""
        path = self._path(self.image_path + "/actions/reactivate", image=image_id)
        done: results.ResponseResult = self._no_body("reactivate", self._request("POST", path))
        return done

    def upload(
        self,
        image_id: str,
        image_data: ty.Any,
        image_size: int | None = None,
        u_url: str | None = None,
        backend: str | None = None,
    ) -> results.ResponseResult:
        """Upload an image's data.

        :param image_data: a file object, an iterable of bytes (or str)
            chunks, ``bytes`` or ``str``; streamed, never read whole.
        :param image_size: the size in bytes, if known (sent as
            ``x-openstack-image-size``).
        :param u_url: the path to send to (default: the image's ``file``).
        :param backend: the store to upload to.
        :raises glanceclient.exc.InvalidArgument: data or size of a wrong type.
        """
        path = u_url or self._path(self.image_path + "/file", image=image_id)
        response = self._send_data(path, image_data, image_size, backend)
        done: results.ResponseResult = self._no_body("upload", response)
        return done

    def stage(
        self, image_id: str, image_data: ty.Any, image_size: int | None = None
    ) -> results.Empty:
        """Upload data to the staging area, for a ``glance-direct`` import.

        :param image_data: as for :meth:`upload`.
        """
        path = self._path(self.image_path + "/stage", image=image_id)
        response = self._send_data(path, image_data, image_size, None)
        done: results.Empty = self._no_body("stage", response)
        return done

    def _send_data(
        self, path: str, image_data: ty.Any, image_size: int | None, backend: str | None
    ) -> requests.Response:
        headers = uploads.size_header(image_size)
        if backend:
            headers[STORE_HEADER] = backend
        return self._request(
            "PUT",
            path,
            data=uploads.body(image_data, image_size),
            content_type=OCTET_STREAM,
            headers=headers,
        )

    def image_import(
        self,
        image_id: str,
        method: str = "glance-direct",
        uri: str | None = None,
        remote_region: str | None = None,
        remote_image_id: str | None = None,
        remote_service_interface: str | None = None,
        backend: str | None = None,
        stores: collections.abc.Sequence[str] | None = None,
        allow_failure: bool = True,
        all_stores: bool | None = None,
    ) -> results.Empty | results.DictResult:
        """Start importing an image's data.

        :param method: ``glance-direct`` (staged data), ``web-download``
            (from ``uri``), ``copy-image`` (to more ``stores``) or
            ``glance-download`` (from ``remote_region``).
        :param backend: the one store to import to.
        :param stores: the stores to import to.
        :param allow_failure: go on when a store fails (with ``stores`` or
            ``all_stores``).
        :param all_stores: import to every store.
        :raises glanceclient.exc.InvalidArgument: ``uri`` without
            ``web-download``.
        """
        if uri and method != "web-download":
            raise exc.InvalidArgument(_('URI is only supported with method: "web-download"'))
        body: dict[str, ty.Any] = {"method": {"name": method}}
        if uri:
            body["method"]["uri"] = uri
        if remote_region and remote_image_id:
            body["method"]["glance_region"] = remote_region
            body["method"]["glance_image_id"] = remote_image_id
            if remote_service_interface:
                body["method"]["glance_service_interface"] = remote_service_interface
        if stores:
            body["stores"] = list(stores)
        if all_stores:
            body["all_stores"] = True
        if (stores or all_stores) and allow_failure:
            body["all_stores_must_succeed"] = False
        path = self._path(self.image_path + "/import", image=image_id)
        headers = {STORE_HEADER: backend} if backend else None
        response, answer = self._send("POST", path, json=body, headers=headers)
        if isinstance(answer, dict) and answer:
            return self._result(response, answer)
        done: results.Empty = self._no_body("image_import", response)
        return done

    def _info(self, path: str, operation: str | None = None) -> results.DictResult:
        response, body = self._send("GET", path, operation=operation)
        return self._result(response, results.expect(response, body, dict, _("object")))

    def get_import_info(self) -> results.DictResult:
        """The import methods the server offers (``import-methods``)."""
        return self._info("/v2/info/import")

    def get_stores_info(self) -> results.DictResult:
        """The stores the server offers: ``{'stores': [{'id', 'default', ...}]}``.

        :raises glanceclient.exc.HTTPNotFound: multiple stores are not enabled.
        """
        return self._info("/v2/info/stores")

    def get_stores_info_detail(self) -> results.DictResult:
        """The stores with their properties (admin only)."""
        return self._info("/v2/info/stores/detail")

    def delete_from_store(self, store_id: str, image_id: str) -> results.Empty:
        """Delete an image's data from one store."""
        path = self._path("/v2/stores/{store}/{image}", store=store_id, image=image_id)
        done: results.Empty = self._no_body("delete_from_store", self._request("DELETE", path))
        return done

    def get_associated_image_tasks(self, image_id: str) -> results.DictResult:
        """The import tasks of an image: ``{'tasks': [...]}`` (needs 2.12).

        :raises glanceclient.exc.VersionNotSupported: (an
            ``HTTPNotImplemented``) the server is older than 2.12.
        """
        path = self._path(self.image_path + "/tasks", image=image_id)
        return self._info(path, operation="get_associated_image_tasks")

    def find_id(self, name_or_id: str) -> str:
        """Return the ID of the image named or identified by ``name_or_id``.

        An ID is returned as it is, without a request; anything else is
        looked up by exact name: sent as ``eq:<name>``, since Glance reads
        ``in:``, ``eq:`` (any text before a colon) as an operator, so that
        ``in:target`` does not find ``target`` and ``in:weird`` is found.

        :raises glanceclient.exc.InvalidArgument: for an empty value.
        :raises glanceclient.exc.NoImageMatch: no image has that name.
        :raises glanceclient.exc.NoUniqueMatch: several images have it.
        """
        if not name_or_id or not name_or_id.strip():
            raise exc.InvalidArgument(_("An image name or ID is required."))
        if base.looks_like_image_id(name_or_id):
            return name_or_id
        query = {"name": "eq:" + name_or_id, "limit": MAX_CANDIDATES + 1}
        response, body = self._send("GET", self.path, params=query)
        images: list[dict[str, ty.Any]] = results.expect(
            response,
            body.get("images") if isinstance(body, dict) else None,
            list,
            _("image list"),
            valid=lambda found: all(
                isinstance(i, dict) and isinstance(i.get("id"), str) for i in found
            ),
            body=body,
        )
        # A server that read the filter otherwise must not pick an image.
        ids: list[str] = [
            image["id"] for image in images if image.get("name", name_or_id) == name_or_id
        ]
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
