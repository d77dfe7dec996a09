"""Metadata definitions: namespaces and their resource types, properties,
objects and tags (``/v2/metadefs/...``).

Glance's catalog of the keys that may be set on images, flavors, volumes...
(horizon builds its metadata forms from it). Every result is a model
(attribute and item access) carrying its ``request_ids``; list calls
return generators that fetch when read.

Differences from upstream python-glanceclient, on purpose: a ``None``
keyword of ``NamespaceController.get`` is left out of the query instead of
being sent as ``None``; ``NamespaceController.list`` honours ``limit``;
listing changes nothing shared, so controllers may be used from several
threads; ``TagController.create_multiple`` sends its request when called,
not when its result is first read.
"""

from __future__ import annotations

import builtins
import collections.abc
import typing as ty
from urllib import parse

from glanceclient import exc
from glanceclient import vocabulary
from glanceclient._i18n import _
from glanceclient.common import models
from glanceclient.common import pagination
from glanceclient.common import results

if ty.TYPE_CHECKING:
    import requests

    from glanceclient.common import http
    from glanceclient.v2 import schemas

DEFAULT_PAGE_SIZE = 20
SORT_DIR_VALUES = vocabulary.SORT_DIR_VALUES
SORT_KEY_VALUES = vocabulary.NAMESPACE_SORT_KEY_VALUES

NAMESPACES = "/v2/metadefs/namespaces"
RESOURCE_TYPES = "/v2/metadefs/resource_types"

#: What the server fills in itself; never sent back on an update.
READ_ONLY = ("self", "schema", "created_at", "updated_at")
#: A namespace's contents, which its update leaves alone.
NAMESPACE_CONTENTS = ("resource_type_associations", "properties", "objects", "tags")

Models = results.ResultGenerator[models.Model]


def _segment(name: str) -> str:
    """A name quoted as one URL path segment.

    :raises glanceclient.exc.InvalidArgument: an empty name, a
        dot-segment or a name holding a slash: no quoting would keep them
        one segment (requests normalizes ``..`` away, and Glance decodes
        ``%2F`` before routing), so they could only reach another route.
    """
    if not isinstance(name, str) or not name.strip():
        raise exc.InvalidArgument(_("A metadata definition name is required."))
    if name in (".", "..") or "/" in name:
        raise exc.InvalidArgument(
            _("%(name)r cannot be a metadata definition name in a URL.") % {"name": name}
        )
    try:
        return parse.quote(name, safe="")
    except UnicodeEncodeError:
        raise exc.InvalidArgument(_("%(name)r is not valid Unicode.") % {"name": name}) from None


def namespace_path(namespace: str, *parts: str) -> str:
    """The path of a namespace, or of something in it, each part quoted.

    :raises glanceclient.exc.InvalidArgument: a name that cannot be one
        path segment (see :func:`_segment`).
    """
    return "/".join([NAMESPACES, *(_segment(p) for p in (namespace, *parts))])


class _Controller:
    """What the metadefs controllers share: the client, the schema name.

    :param http_client: sends the requests.
    :param schemas: the client's schemas (fetched once each, when needed).
    """

    #: The server's schema of this controller's resources.
    schema_name: ty.ClassVar[str]

    def __init__(self, http_client: http.SessionClient, schemas: schemas.Controller) -> None:
        self._http = http_client
        self._schemas = schemas

    @property
    def model(self) -> type[models.Model]:
        """The class of the resources this controller returns."""
        return self._schemas.model(self.schema_name)

    def _validate(self, values: collections.abc.Mapping[str, ty.Any]) -> None:
        """Check values to write against the server's schema.

        :raises glanceclient.exc.SchemaValidationError: a value that does
            not fit (also a :class:`TypeError`, as upstream raises).
        """
        self._schemas.get(self.schema_name).validate(values)

    def _make(self, response: requests.Response, body: ty.Any) -> models.Model:
        return results.attach(models.make(self.model, body), response)

    def _send(self, method: str, path: str, **kwargs: ty.Any) -> models.Model:
        response, body = self._http.json_request(method, path, **kwargs)
        return self._make(response, body)

    def _delete(self, path: str) -> results.ResponseResult:
        return results.pair(self._http.request("DELETE", path), None)

    def _items(self, path: str, key: str) -> Models:
        """The one-page list at ``path`` (the server does not page these)."""
        model = self.model
        return pagination.paginate(
            self._http, path, [], key=key, make=lambda i: models.make(model, i), page_size=None
        )

    def _replace(
        self,
        path: str,
        current: models.Model,
        changes: collections.abc.Mapping[str, ty.Any],
        leave_out: collections.abc.Iterable[str] = (),
    ) -> tuple[requests.Response, dict[str, ty.Any]]:
        """PUT ``current`` with ``changes`` applied (PUT replaces it all).

        :returns: the PUT's response and the body that was sent.
        """
        self._validate(changes)
        skip = set(READ_ONLY) | set(leave_out)
        body = {k: v for k, v in current.items() if k not in skip}
        body.update(changes)
        response = self._http.request("PUT", path, json=body)
        return response, body

    def _reread(self, response: requests.Response, path: str) -> models.Model:
        """GET ``path`` after a write, naming the write's request id."""
        headers = {}
        written = results.request_id(response)
        if written:
            headers[results.REQUEST_ID_HEADER] = written
        return self._send("GET", path, headers=headers)


class _ContentsController(_Controller):
    """What properties, objects and tags share: each is named in a namespace."""

    #: The path segment and list key of these contents.
    collection: ty.ClassVar[str]

    def _path(self, namespace: str, *name: str) -> str:
        return namespace_path(namespace, self.collection, *name)

    def _get(self, namespace: str, name: str) -> models.Model:
        found = self._send("GET", self._path(namespace, name))
        found.setdefault("name", name)  # a property's answer may lack it
        return found

    def _update(
        self, namespace: str, name: str, changes: collections.abc.Mapping[str, ty.Any]
    ) -> models.Model:
        """GET it, PUT it back changed, then GET it by its new name."""
        current = self._get(namespace, name)
        response, body = self._replace(self._path(namespace, name), current, changes)
        # By the name asked for: the server's own might not be one.
        return self._reread(response, self._path(namespace, changes.get("name") or name))

    def _remove(self, namespace: str, name: str) -> results.ResponseResult:
        return self._delete(self._path(namespace, name))

    def list(self, namespace: str, **kwargs: ty.Any) -> Models:
        """List the namespace's contents of this kind.

        :param kwargs: accepted for upstream's callers; nothing to filter.
        """
        return self._items(self._path(namespace), self.collection)

    def delete_all(self, namespace: str) -> results.ResponseResult:
        """Delete every one of them in a namespace."""
        return self._delete(self._path(namespace))


class NamespaceController(_Controller):
    """Namespaces: named groups of metadata definitions."""

    schema_name = "metadefs/namespace"

    def create(self, **kwargs: ty.Any) -> models.Model:
        """Create a namespace.

        :param kwargs: ``namespace`` (required), ``display_name``,
            ``description``, ``visibility``, ``protected``, ``owner``, and
            optionally its ``resource_type_associations``, ``properties``,
            ``objects`` and ``tags``; checked against the server's schema
            before anything is sent.
        :returns: the new namespace.
        :raises glanceclient.exc.SchemaValidationError: a value that does
            not fit the schema (also a :class:`TypeError`).
        :raises glanceclient.exc.HTTPConflict: the namespace exists.
        """
        self._validate(kwargs)
        return self._send("POST", NAMESPACES, json=kwargs)

    def update(self, namespace_name: str, **kwargs: ty.Any) -> models.Model:
        """Change a namespace's fields (``namespace`` renames it).

        Fields not given keep their values; its properties, objects, tags
        and resource types are not touched.

        :returns: the namespace as the server has it afterwards.
        :raises glanceclient.exc.HTTPNotFound: no such namespace.
        :raises glanceclient.exc.HTTPConflict: the new name is taken.
        """
        path = namespace_path(namespace_name)
        current = self.get(namespace_name)
        response, body = self._replace(path, current, kwargs, NAMESPACE_CONTENTS)
        return self._reread(response, namespace_path(kwargs.get("namespace") or namespace_name))

    def get(self, namespace: str, **kwargs: ty.Any) -> models.Model:
        """Return a namespace with its properties, objects and tags.

        :param kwargs: query parameters; ``resource_type=<name>`` shows the
            property names with that resource type's prefix. None values
            are left out.
        :raises glanceclient.exc.HTTPNotFound: no such namespace.
        """
        params = {k: v for k, v in kwargs.items() if v is not None}
        return self._send("GET", namespace_path(namespace), params=params)

    def list(self, **kwargs: ty.Any) -> Models:
        """List namespaces, fetching pages as they are read.

        :param filters: ``resource_types`` (a name or a list),
            ``visibility``, ``properties_target``...; not changed.
        :param limit: namespaces to return at most (default: all).
        :param page_size: namespaces per request (default 20).
        :param marker: the namespace to list after.
        :param sort_key: ``created_at`` or ``namespace``.
        :param sort_dir: ``asc`` or ``desc``.
        :returns: a generator of namespaces; its ``request_ids`` holds
            each page's request id.
        :raises glanceclient.exc.InvalidArgument: an unknown sort key or
            direction (also a :class:`ValueError`).
        """
        model = self.model
        return pagination.simple_list(
            self._http,
            NAMESPACES,
            kwargs,
            key="namespaces",
            make=lambda item: models.make(model, item),
            sort_keys=SORT_KEY_VALUES,
            default_page_size=DEFAULT_PAGE_SIZE,
        )

    def delete(self, namespace: str) -> results.ResponseResult:
        """Delete a namespace and everything in it.

        :raises glanceclient.exc.HTTPForbidden: it is protected.
        :raises glanceclient.exc.HTTPNotFound: no such namespace.
        """
        return self._delete(namespace_path(namespace))


class ResourceTypeController(_Controller):
    """Resource types, and their associations with namespaces."""

    schema_name = "metadefs/resource_type"

    def associate(self, namespace: str, **kwargs: ty.Any) -> models.Model:
        """Associate a resource type with a namespace.

        :param kwargs: ``name`` (required), ``prefix``,
            ``properties_target``; checked against the server's schema.
        :returns: the association.
        :raises glanceclient.exc.HTTPConflict: already associated.
        """
        self._validate(kwargs)
        return self._send("POST", namespace_path(namespace, "resource_types"), json=kwargs)

    def deassociate(self, namespace: str, resource: str) -> results.ResponseResult:
        """Remove a resource type's association with a namespace.

        :raises glanceclient.exc.HTTPNotFound: they are not associated.
        """
        return self._delete(namespace_path(namespace, "resource_types", resource))

    def list(self) -> Models:
        """List every resource type the server knows."""
        return self._items(RESOURCE_TYPES, "resource_types")

    def get(self, namespace: str) -> Models:
        """List the resource types associated with a namespace.

        :returns: a generator of associations (``name``, ``prefix``,
            ``properties_target``), as upstream's ``get`` returns.
        """
        return self._items(
            namespace_path(namespace, "resource_types"), "resource_type_associations"
        )


class PropertyController(_ContentsController):
    """The properties of a namespace."""

    schema_name = "metadefs/property"
    collection = "properties"

    def create(self, namespace: str, **kwargs: ty.Any) -> models.Model:
        """Create a property in a namespace.

        :param kwargs: ``name``, ``title``, ``type`` (required) and the
            rest of its JSON-schema (``enum``, ``minimum``...); checked
            against the server's schema.
        :raises glanceclient.exc.HTTPConflict: the name is taken.
        """
        self._validate(kwargs)
        return self._send("POST", self._path(namespace), json=kwargs)

    def update(self, namespace: str, prop_name: str, **kwargs: ty.Any) -> models.Model:
        """Change a property (``name`` renames it); the rest is kept.

        :returns: the property as the server has it afterwards.
        :raises glanceclient.exc.HTTPNotFound: no such property.
        """
        return self._update(namespace, prop_name, kwargs)

    def get(self, namespace: str, prop_name: str) -> models.Model:
        """Return a property (with its ``name``).

        :raises glanceclient.exc.HTTPNotFound: no such property.
        """
        return self._get(namespace, prop_name)

    def list(self, namespace: str, **kwargs: ty.Any) -> Models:
        """List a namespace's properties, each with its ``name``.

        :param kwargs: accepted for upstream's callers; nothing to filter.
        """
        model = self.model
        path = self._path(namespace)
        request_ids: builtins.list[str | None] = []

        def read() -> collections.abc.Generator[models.Model, None, None]:
            response, body = self._http.json_request("GET", path)
            request_ids.append(results.request_id(response))
            found = body.get("properties") if isinstance(body, dict) else body
            found = results.expect(response, found, dict, _("property list"))
            for name, schema in found.items():
                if not isinstance(schema, dict):
                    raise results.malformed(response.url, _("property"), schema)
                yield models.make(model, {"name": name, **schema})

        return results.ResultGenerator(read(), request_ids)

    def delete(self, namespace: str, prop_name: str) -> results.ResponseResult:
        """Delete a property of a namespace."""
        return self._remove(namespace, prop_name)


class ObjectController(_ContentsController):
    """The objects of a namespace (named groups of properties)."""

    schema_name = "metadefs/object"
    collection = "objects"

    def create(self, namespace: str, **kwargs: ty.Any) -> models.Model:
        """Create an object in a namespace.

        :param kwargs: ``name`` (required), ``description``,
            ``properties``, ``required``; checked against the server's
            schema.
        :raises glanceclient.exc.HTTPConflict: the name is taken.
        """
        self._validate(kwargs)
        return self._send("POST", self._path(namespace), json=kwargs)

    def update(self, namespace: str, object_name: str, **kwargs: ty.Any) -> models.Model:
        """Change an object (``name`` renames it); the rest is kept.

        :returns: the object as the server has it afterwards.
        :raises glanceclient.exc.HTTPNotFound: no such object.
        """
        return self._update(namespace, object_name, kwargs)

    def get(self, namespace: str, object_name: str) -> models.Model:
        """Return an object of a namespace.

        :raises glanceclient.exc.HTTPNotFound: no such object.
        """
        return self._get(namespace, object_name)

    def delete(self, namespace: str, object_name: str) -> results.ResponseResult:
        """Delete an object of a namespace."""
        return self._remove(namespace, object_name)


class TagController(_ContentsController):
    """The tags of a namespace."""

    schema_name = "metadefs/tag"
    collection = "tags"

    def create(self, namespace: str, tag_name: str) -> models.Model:
        """Create a tag in a namespace.

        :raises glanceclient.exc.HTTPConflict: the tag exists.
        """
        self._validate({"name": tag_name})
        return self._send("POST", self._path(namespace, tag_name))

    def create_multiple(self, namespace: str, **kwargs: ty.Any) -> Models:
        """Create several tags at once; sent at once, not when read.

        :param tags: the names (required, at least one).
        :param append: keep the namespace's other tags (default: they
            are replaced by these).
        :returns: a generator of the tags the server lists in its answer.
        :raises glanceclient.exc.InvalidArgument: no names.
        :raises glanceclient.exc.HTTPConflict: a name given twice.
        """
        names = kwargs.get("tags")
        if not names or isinstance(names, str):
            raise exc.InvalidArgument(_("create_multiple() needs tags, a list of names."))
        tags = [{"name": name} for name in names]
        for tag in tags:
            self._validate(tag)
        headers = {"X-Openstack-Append": "True"} if kwargs.get("append") else None
        response, body = self._http.json_request(
            "POST", self._path(namespace), json={"tags": tags}, headers=headers
        )
        found = body.get("tags") if isinstance(body, dict) else body
        found = results.expect(response, found, builtins.list, _("tag list"))
        model = self.model
        made = [models.make(model, item) for item in found]
        return results.ResultGenerator((tag for tag in made), [results.request_id(response)])

    def update(self, namespace: str, tag_name: str, **kwargs: ty.Any) -> models.Model:
        """Rename a tag (``name=<new name>``).

        :returns: the tag as the server has it afterwards.
        :raises glanceclient.exc.HTTPNotFound: no such tag.
        """
        return self._update(namespace, tag_name, kwargs)

    def get(self, namespace: str, tag_name: str) -> models.Model:
        """Return a tag of a namespace.

        :raises glanceclient.exc.HTTPNotFound: no such tag.
        """
        return self._get(namespace, tag_name)

    def delete(self, namespace: str, tag_name: str) -> results.ResponseResult:
        """Delete a tag of a namespace."""
        return self._remove(namespace, tag_name)
