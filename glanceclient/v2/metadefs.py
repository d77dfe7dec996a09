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

from glanceclient import exc
from glanceclient import vocabulary
from glanceclient._i18n import _
from glanceclient.common import base
from glanceclient.common import models
from glanceclient.common import results

if ty.TYPE_CHECKING:
    import requests


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


#: A namespace; and its contents, in the collection of a kind.
NAMESPACE = NAMESPACES + "/{namespace}"
CONTENTS = NAMESPACE + "/%s"
CONTENT = CONTENTS + "/{name}"
ASSOCIATIONS = NAMESPACE + "/resource_types"
ASSOCIATION = ASSOCIATIONS + "/{name}"


class _Controller(base.Controller):
    """What the metadefs controllers share: fetching a model, deleting,
    one-page lists and updates (GET, PUT it all back, GET again).

    :param http_client: sends the requests.
    :param schemas: the client's schemas (fetched once each, when needed).
    """

    def _fetch(self, method: str, path: str, **kwargs: ty.Any) -> models.Model:
        return self._model(*self._send(method, path, **kwargs))

    def _delete(self, call: str, path: str) -> results.ResponseResult:
        done: results.ResponseResult = self._no_body(call, self._request("DELETE", path))
        return done

    def _items(self, path: str, key: str) -> Models:
        """The one-page list at ``path`` (the server does not page these)."""
        return self._list(path, [], page_size=None, key=key)

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
        response = self._request("PUT", path, json=body)
        return response, body

    def _reread(self, response: requests.Response, path: str) -> models.Model:
        """GET ``path`` after a write, naming the write's request id."""
        headers = {}
        written = results.request_id(response)
        if written:
            headers[results.REQUEST_ID_HEADER] = written
        return self._fetch("GET", path, headers=headers)


class _ContentsController(_Controller):
    """What properties, objects and tags share: each is named in a namespace."""

    #: The path segment and list key of these contents.
    collection: ty.ClassVar[str]

    def _where(self, namespace: str, name: str | None = None) -> str:
        """The path of the collection of a namespace, or of one in it."""
        if name is None:
            return self._path(CONTENTS % self.collection, namespace=namespace)
        return self._path(CONTENT % self.collection, namespace=namespace, name=name)

    def _get(self, namespace: str, name: str) -> models.Model:
        found = self._fetch("GET", self._where(namespace, name))
        found.setdefault("name", name)  # a property's answer may lack it
        return found

    def _update(
        self, namespace: str, name: str, changes: collections.abc.Mapping[str, ty.Any]
    ) -> models.Model:
        """GET it, PUT it back changed, then GET it by its new name."""
        current = self._get(namespace, name)
        response, body = self._replace(self._where(namespace, name), current, changes)
        # By the name asked for: the server's own might not be one.
        return self._reread(response, self._where(namespace, changes.get("name") or name))

    def _remove(self, namespace: str, name: str) -> results.ResponseResult:
        return self._delete("delete", self._where(namespace, name))

    def list(self, namespace: str, **kwargs: ty.Any) -> Models:
        """List the namespace's contents of this kind.

        :param kwargs: accepted for upstream's callers; nothing to filter.
        """
        return self._items(self._where(namespace), self.collection)

    def delete_all(self, namespace: str) -> results.ResponseResult:
        """Delete every one of them in a namespace."""
        return self._delete("delete_all", self._where(namespace))


class NamespaceController(_Controller):
    """Namespaces: named groups of metadata definitions."""

    name = "metadefs_namespace"
    path = NAMESPACES
    list_key = "namespaces"
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
        return self._fetch("POST", NAMESPACES, json=kwargs)

    def update(self, namespace_name: str, **kwargs: ty.Any) -> models.Model:
        """Change a namespace's fields (``namespace`` renames it).

        Fields not given keep their values; its properties, objects, tags
        and resource types are not touched.

        :returns: the namespace as the server has it afterwards.
        :raises glanceclient.exc.HTTPNotFound: no such namespace.
        :raises glanceclient.exc.HTTPConflict: the new name is taken.
        """
        path = self._path(NAMESPACE, namespace=namespace_name)
        current = self.get(namespace_name)
        response, body = self._replace(path, current, kwargs, NAMESPACE_CONTENTS)
        renamed = kwargs.get("namespace") or namespace_name
        return self._reread(response, self._path(NAMESPACE, namespace=renamed))

    def get(self, namespace: str, **kwargs: ty.Any) -> models.Model:
        """Return a namespace with its properties, objects and tags.

        :param kwargs: query parameters; ``resource_type=<name>`` shows the
            property names with that resource type's prefix. None values
            are left out.
        :raises glanceclient.exc.HTTPNotFound: no such namespace.
        """
        params = {k: v for k, v in kwargs.items() if v is not None}
        return self._fetch("GET", self._path(NAMESPACE, namespace=namespace), params=params)

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
        return self._simple_list(kwargs, SORT_KEY_VALUES, DEFAULT_PAGE_SIZE)

    def delete(self, namespace: str) -> results.ResponseResult:
        """Delete a namespace and everything in it.

        :raises glanceclient.exc.HTTPForbidden: it is protected.
        :raises glanceclient.exc.HTTPNotFound: no such namespace.
        """
        return self._delete("delete", self._path(NAMESPACE, namespace=namespace))


class ResourceTypeController(_Controller):
    """Resource types, and their associations with namespaces."""

    name = "metadefs_resource_type"
    schema_name = "metadefs/resource_type"

    def associate(self, namespace: str, **kwargs: ty.Any) -> models.Model:
        """Associate a resource type with a namespace.

        :param kwargs: ``name`` (required), ``prefix``,
            ``properties_target``; checked against the server's schema.
        :returns: the association.
        :raises glanceclient.exc.HTTPConflict: already associated.
        """
        self._validate(kwargs)
        return self._fetch("POST", self._path(ASSOCIATIONS, namespace=namespace), json=kwargs)

    def deassociate(self, namespace: str, resource: str) -> results.ResponseResult:
        """Remove a resource type's association with a namespace.

        :raises glanceclient.exc.HTTPNotFound: they are not associated.
        """
        path = self._path(ASSOCIATION, namespace=namespace, name=resource)
        return self._delete("deassociate", path)

    def list(self) -> Models:
        """List every resource type the server knows."""
        return self._items(RESOURCE_TYPES, "resource_types")

    def get(self, namespace: str) -> Models:
        """List the resource types associated with a namespace.

        :returns: a generator of associations (``name``, ``prefix``,
            ``properties_target``), as upstream's ``get`` returns.
        """
        path = self._path(ASSOCIATIONS, namespace=namespace)
        return self._items(path, "resource_type_associations")


class PropertyController(_ContentsController):
    """The properties of a namespace."""

    name = "metadefs_property"
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
        return self._fetch("POST", self._where(namespace), json=kwargs)

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
        path = self._where(namespace)
        request_ids: builtins.list[str | None] = []

        def read() -> collections.abc.Generator[models.Model, None, None]:
            response, body = self._send("GET", path)
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

    name = "metadefs_object"
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
        return self._fetch("POST", self._where(namespace), json=kwargs)

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

    name = "metadefs_tag"
    schema_name = "metadefs/tag"
    collection = "tags"

    def create(self, namespace: str, tag_name: str) -> models.Model:
        """Create a tag in a namespace.

        :raises glanceclient.exc.HTTPConflict: the tag exists.
        """
        self._validate({"name": tag_name})
        return self._fetch("POST", self._where(namespace, tag_name))

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
        response, body = self._send(
            "POST", self._where(namespace), json={"tags": tags}, headers=headers
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
