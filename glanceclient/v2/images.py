"""Images: the ``images`` controller of the Image API v2.

Every method of upstream python-glanceclient's ``images`` controller is
here with its arguments and results; see the README for where behaviour
deliberately differs (fewer requests, bytes and iterables accepted for
upload, errors that keep the request id).
"""

from __future__ import annotations

import builtins
import collections.abc
import re
import typing as ty

from glanceclient import exc
from glanceclient import vocabulary
from glanceclient._i18n import _
from glanceclient.common import answers
from glanceclient.common import base
from glanceclient.common import http
from glanceclient.common import integrity
from glanceclient.common import models
from glanceclient.common import pagination
from glanceclient.common import results
from glanceclient.common import uploads

if ty.TYPE_CHECKING:
    import requests

    from glanceclient.v2 import schemas
    from glanceclient.v2 import versions

_UUID = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.I)

#: How many same-named images an ambiguity error lists at most.
MAX_CANDIDATES = 20

#: Images asked for per page when the caller does not say.
DEFAULT_PAGE_SIZE = 200
SORT_DIR_VALUES = vocabulary.SORT_DIR_VALUES
#: Upstream's public constant: the sort keys its ``image-list`` offers
#: (the server knows more, and checks them).
SORT_KEY_VALUES = vocabulary.IMAGE_SORT_KEY_VALUES
JSON_PATCH = "application/openstack-images-v2.1-json-patch"
OCTET_STREAM = "application/octet-stream"
STORE_HEADER = "x-image-meta-store"


class CacheTransfer(ty.Protocol):
    """A download from the nodes that cache an image, then the regular
    endpoint (:class:`glanceclient.v2.cache_download.Transfer`)."""

    #: Where the data came from so far.
    parts: list[results.DataSource]

    @property
    def fallback_reason(self) -> str | None:
        """Why the regular endpoint serves, when no node can."""

    def open(self) -> requests.Response:
        """Send the first request."""

    def chunks(self, response: requests.Response) -> collections.abc.Iterator[bytes]:
        """The data, from ``response`` on."""


class CacheStart(ty.Protocol):
    """Starts a :class:`CacheTransfer` of an image's data."""

    def __call__(
        self, image_id: str, *, path: str, params: ty.Any, size: int | None
    ) -> CacheTransfer:
        """Choose the nodes; send nothing to them yet."""


#: How the client wires downloads from a node's cache into the controller:
#: takes ``from_cache`` and ``prefer_nodes``, checks them (sending nothing),
#: and returns the :class:`CacheStart` of that download.
FromCache = collections.abc.Callable[[bool | str, collections.abc.Iterable[str] | None], CacheStart]


def looks_like_id(value: str) -> bool:
    """True if ``value`` has the form of an image ID (a UUID)."""
    return bool(_UUID.match(value))


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


class Controller:
    """Operations on images.

    :param http_client: sends the requests.
    :param schemas: the client's schemas (fetched once each, when needed).
    :param gate: checks version-gated operations against the server.
    :param from_cache: downloads from a node's cache
        (``data(from_cache=...)``), as the client wires them.
    """

    def __init__(
        self,
        http_client: http.SessionClient,
        schemas: schemas.Controller,
        gate: versions.VersionGate,
        from_cache: FromCache | None = None,
    ) -> None:
        self._http = http_client
        self._schemas = schemas
        self._gate = gate
        self._from_cache = from_cache

    @property
    def model(self) -> type[models.Model]:
        """The class of the images this controller returns."""
        return self._schemas.model("image")

    def _image(self, response: requests.Response, body: ty.Any) -> models.Model:
        return results.attach(models.make(self.model, body), response)

    def _get(self, image_id: str) -> models.Model:
        response, body = self._http.json_request(
            "GET", "/v2/images/" + base.segment(image_id, "image")
        )
        return self._image(response, body)

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
        model = self.model
        return pagination.paginate(
            self._http,
            "/v2/images",
            query,
            key="images",
            make=lambda item: models.make(model, item),
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
        self._schemas.get("image").validate(kwargs)
        response, body = self._http.json_request(
            "POST",
            "/v2/images",
            json=kwargs,
            headers={STORE_HEADER: backend} if backend else None,
        )
        return self._image(response, body)

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
        path = "/v2/images/" + base.segment(image_id, "image")
        if kwargs:
            self._schemas.get("image").validate(kwargs)
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
        response, body = self._http.json_request(
            "PATCH", path, json=changes, content_type=JSON_PATCH
        )
        return self._image(response, body)

    def delete(self, image_id: str) -> results.ResponseResult:
        """Delete an image.

        :raises glanceclient.exc.HTTPNotFound: no such image.
        :raises glanceclient.exc.HTTPForbidden: it is protected, or not yours.
        :raises glanceclient.exc.HTTPConflict: it cannot be deleted now.
        """
        response = self._http.request("DELETE", "/v2/images/" + base.segment(image_id, "image"))
        return results.pair(response, None)

    def deactivate(self, image_id: str) -> results.ResponseResult:
        """Deactivate an image (its data can no longer be downloaded)."""
        path = "/v2/images/%s/actions/deactivate" % base.segment(image_id, "image")
        return results.pair(self._http.request("POST", path), None)

    def reactivate(self, image_id: str) -> results.ResponseResult:
        """Reactivate a deactivated image."""
        path = "/v2/images/%s/actions/reactivate" % base.segment(image_id, "image")
        return results.pair(self._http.request("POST", path), None)

    def data(
        self,
        image_id: str,
        do_checksum: bool = True,
        allow_md5_fallback: bool = False,
        prefer: collections.abc.Iterable[str] | None = None,
        from_cache: bool | str = False,
        prefer_nodes: collections.abc.Iterable[str] | None = None,
    ) -> results.Download | results.Empty:
        """Download an image's data, streamed a chunk at a time.

        With ``do_checksum``, the image record is read first and the data
        checked, in this order, against its multihash
        (``os_hash_algo``/``os_hash_value``), its MD5 ``checksum``, or the
        answer's ``Content-MD5``.

        With ``from_cache``, the data comes from a node that has the image
        in its cache (see :mod:`glanceclient.v2.cache_download`): the nodes
        list names them, one concurrent round of probes keeps the live ones,
        tried in the order of preference, then by latency. A node failing
        mid-stream is followed by the next one, then by the regular
        endpoint, asked for the remaining bytes (``Range``). When no node
        can serve (not an administrator, centralized caching off, no cache
        API, no live node, cached nowhere), the regular endpoint does, and
        the reason is logged at info level and kept in the result's
        ``fallback_reason``. The image record is always read then, for its
        size.

        :param allow_md5_fallback: use the MD5 checksum when the multihash
            algorithm is unknown here (else that is a ValueError).
        :param prefer: stores to read from, in order of preference.
        :param from_cache: False (the regular endpoint), True (a node that
            caches the image), or a node URL (that node first, if it caches
            the image and answers).
        :param prefer_nodes: node URLs to try first, in order (implies
            ``from_cache``); reference URLs, or the URLs they map to.
        :returns: the chunks (``len()`` is the size: ``Content-Length``, or
            the image's ``size`` when the server streams without one;
            ``served_by`` and ``sources`` say which URL sent them), or
            an empty result
            whose ``wrapped`` is None when the image has no data.
        :raises glanceclient.exc.CorruptDownload: (an ``OSError``, errno
            ``EPIPE``) after the last chunk, when the data does not match.
        :raises glanceclient.exc.CommunicationError: while reading, when
            the last source failed or its data ended short.
        :raises glanceclient.exc.InvalidArgument: ``from_cache`` or a
            preferred node that is no node URL.
        :raises ValueError: an unknown multihash algorithm, without
            ``allow_md5_fallback``.
        """
        path = "/v2/images/%s/file" % base.segment(image_id, "image")
        params = {"prefer": ",".join(prefer)} if prefer else None
        if from_cache is not False or prefer_nodes:
            return self._data_from_cache(
                image_id,
                path,
                params,
                from_cache,
                prefer_nodes,
                do_checksum=do_checksum,
                allow_md5_fallback=allow_md5_fallback,
            )
        image = self._get(image_id) if do_checksum else None
        response = self._http.request("GET", path, params=params, stream=True)
        if response.status_code == 204:
            response.close()
            return results.empty(response)
        chunks: collections.abc.Iterable[bytes] = answers.iter_body(
            response, seconds=self._http.timeout
        )
        sources = [results.DataSource(self._http.root, None, 0)]
        return self._download(chunks, image, response, allow_md5_fallback, sources)

    def _data_from_cache(
        self,
        image_id: str,
        path: str,
        params: ty.Any,
        from_cache: bool | str,
        prefer_nodes: collections.abc.Iterable[str] | None,
        *,
        do_checksum: bool,
        allow_md5_fallback: bool,
    ) -> results.Download | results.Empty:
        if self._from_cache is None:
            raise exc.InvalidArgument(_("This images controller has no fleet to download from."))
        start = self._from_cache(from_cache, prefer_nodes)
        image = self._get(image_id)
        transfer = start(
            image_id, path=path, params=params, size=models.byte_count(image.get("size"))
        )
        response = transfer.open()
        if response.status_code == 204:
            response.close()
            return results.empty(response)
        return self._download(
            transfer.chunks(response),
            image if do_checksum else None,
            response,
            allow_md5_fallback,
            transfer.parts,
            transfer.fallback_reason,
        )

    def _download(
        self,
        chunks: collections.abc.Iterable[bytes],
        image: models.Model | None,
        response: requests.Response,
        allow_md5_fallback: bool,
        sources: builtins.list[results.DataSource],
        fallback_reason: str | None = None,
    ) -> results.Download:
        """The result of a download: its chunks, checked when ``image`` is given."""
        if image is not None:
            try:
                chunks = integrity.check(chunks, image, response, allow_md5_fallback)
            except ValueError:
                response.close()
                raise
        size = answers.content_length(response)
        if size is None and image is not None:
            size = models.byte_count(image.get("size"))
        return results.attach(
            results.Download(chunks, size or 0, sources, fallback_reason), response
        )

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
        path = u_url or "/v2/images/%s/file" % base.segment(image_id, "image")
        return results.pair(self._send_data(path, image_data, image_size, backend), None)

    def stage(
        self, image_id: str, image_data: ty.Any, image_size: int | None = None
    ) -> results.Empty:
        """Upload data to the staging area, for a ``glance-direct`` import.

        :param image_data: as for :meth:`upload`.
        """
        path = "/v2/images/%s/stage" % base.segment(image_id, "image")
        return results.empty(self._send_data(path, image_data, image_size, None))

    def _send_data(
        self, path: str, image_data: ty.Any, image_size: int | None, backend: str | None
    ) -> requests.Response:
        headers = uploads.size_header(image_size)
        if backend:
            headers[STORE_HEADER] = backend
        return self._http.request(
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
        response, answer = self._http.json_request(
            "POST",
            "/v2/images/%s/import" % base.segment(image_id, "image"),
            json=body,
            headers={STORE_HEADER: backend} if backend else None,
        )
        if isinstance(answer, dict) and answer:
            return results.attach(results.DictResult(answer), response)
        return results.empty(response)

    def _info(self, path: str) -> results.DictResult:
        response, body = self._http.json_request("GET", path)
        body = results.expect(response, body, dict, _("object"))
        return results.attach(results.DictResult(body), response)

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
        path = "/v2/stores/%s/%s" % (
            base.segment(store_id, "store"),
            base.segment(image_id, "image"),
        )
        return results.empty(self._http.request("DELETE", path))

    def get_associated_image_tasks(self, image_id: str) -> results.DictResult:
        """The import tasks of an image: ``{'tasks': [...]}`` (needs 2.12).

        :raises glanceclient.exc.VersionNotSupported: (an
            ``HTTPNotImplemented``) the server is older than 2.12.
        """
        path = "/v2/images/%s/tasks" % base.segment(image_id, "image")
        return self._gate.call("get_associated_image_tasks", lambda: self._info(path))

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

    def _patch(self, image_id: str, changes: builtins.list[dict[str, ty.Any]]) -> models.Model:
        response, body = self._http.json_request(
            "PATCH",
            "/v2/images/" + base.segment(image_id, "image"),
            json=changes,
            content_type=JSON_PATCH,
        )
        return self._image(response, body)

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
        response = self._http.request(
            "PATCH",
            "/v2/images/" + base.segment(image_id, "image"),
            json=changes,
            content_type=JSON_PATCH,
        )
        return results.pair(response, None)

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
        path = "/v2/images/%s/locations" % base.segment(image_id, "image")
        body = {"url": location_url, "validation_data": validation_data or {}}
        self._gate.call("add_image_location", lambda: self._http.request("POST", path, json=body))
        return self._get(image_id)

    def get_image_locations(self, image_id: str) -> results.ListResult:
        """An image's locations through the v2.17 API (``url``, ``metadata``).

        :raises glanceclient.exc.VersionNotSupported: (an
            ``HTTPNotImplemented``) the server is older than 2.17.
        """
        path = "/v2/images/%s/locations" % base.segment(image_id, "image")
        response, body = self._gate.call(
            "get_image_locations", lambda: self._http.json_request("GET", path)
        )
        body = results.expect(response, body, list, _("location list"))
        return results.attach(results.ListResult(body), response)

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
        if looks_like_id(name_or_id):
            return name_or_id
        body = self._http.get_json(
            "/v2/images", params={"name": "eq:" + name_or_id, "limit": MAX_CANDIDATES + 1}
        )
        images = body.get("images") if isinstance(body, dict) else None
        if not isinstance(images, list) or not all(
            isinstance(i, dict) and isinstance(i.get("id"), str) for i in images
        ):
            raise exc.InvalidResponse(
                _("The server answered a malformed image list: %(body)s")
                % {"body": exc.truncate(repr(body), 200)}
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
