"""The server's JSON schemas of its resources (``/v2/schemas/...``)."""

from __future__ import annotations

import copy
import threading
import typing as ty

from glanceclient._i18n import _
from glanceclient.common import base
from glanceclient.common import models
from glanceclient.common import results

if ty.TYPE_CHECKING:
    from glanceclient.common import http


class SchemaProperty:
    """One property of a schema.

    :param name: its name.
    :param raw: its schema (``description``, ``is_base``...).
    """

    def __init__(self, name: str, **raw: ty.Any) -> None:
        self.name = name
        self.description: str | None = raw.get("description")
        #: False for the optional properties Glance lists in its image
        #: schema without being core ones (``os_distro``...).
        self.is_base: bool = raw.get("is_base", True)

    def __repr__(self) -> str:
        return "SchemaProperty(%r)" % self.name


def _attributes(prop: object) -> dict[str, ty.Any]:
    """A property's schema as keyword arguments (a malformed one: none)."""
    if not isinstance(prop, dict):
        return {}
    return {key: value for key, value in prop.items() if key != "name"}


class Schema:
    """A JSON schema of the server's (nova builds these from ``image.schema``).

    :param raw: the schema as the server sent it.
    :param fetched_as: the name it was asked for (``metadefs/tag``), named
        in errors (default: its own ``name``).
    """

    def __init__(self, raw: dict[str, ty.Any], *, fetched_as: str | None = None) -> None:
        self._raw = raw
        self.name: str | None = raw.get("name")
        found = raw.get("properties")
        self.properties = [
            SchemaProperty(name, **_attributes(prop))
            for name, prop in (found.items() if isinstance(found, dict) else ())
        ]
        self._validator: models.Validator | None = None
        self._label = fetched_as or (self.name if isinstance(self.name, str) else "")

    def raw(self) -> dict[str, ty.Any]:
        """A copy of the schema as the server sent it."""
        return copy.deepcopy(self._raw)

    def is_core_property(self, name: str) -> bool:
        """True if the schema names the property at all."""
        return any(p.name == name for p in self.properties)

    def is_base_property(self, name: str) -> bool:
        """True if the property is in the schema and not marked ``is_base: false``."""
        return any(p.name == name and p.is_base for p in self.properties)

    def validate(self, values: ty.Mapping[str, ty.Any]) -> None:
        """Check values to write against the schema.

        :raises glanceclient.exc.SchemaValidationError: a value that does
            not fit (also a :class:`TypeError`, as upstream raises).
        :raises glanceclient.exc.InvalidResponse: the schema cannot be used
            (malformed, or referring to another document: nothing is
            fetched).
        """
        if self._validator is None:
            self._validator = models.Validator(self._raw, self._label)
        self._validator.check(values)


#: Where the server keeps a schema (a name may hold several segments).
SCHEMA_PATH = "/v2/schemas/{schema}"


class Controller:
    """Fetches schemas, once each per client.

    Not a :class:`~glanceclient.common.base.Controller`: it is what gives
    the others their models (its ``model`` is a method, theirs a
    property); its paths come from the same path builder.

    :param http_client: sends the requests.
    """

    def __init__(self, http_client: http.SessionClient) -> None:
        self._http = http_client
        self._fetched: dict[str, Schema] = {}
        self._models: dict[str, type[models.Model]] = {}
        self._lock = threading.Lock()

    def get(self, schema_name: str) -> Schema:
        """Return the server's schema ``schema_name`` (``image``, ``member``...).

        :param schema_name: the schema's name; may contain ``/``
            (``metadefs/namespace``).
        :returns: the schema, fetched on the first call only.
        :raises glanceclient.exc.HTTPNotFound: no such schema.
        :raises glanceclient.exc.InvalidResponse: an answer that is not a
            JSON object.
        """
        with self._lock:
            found = self._fetched.get(schema_name)
            if found is None:
                path = base.build_path(SCHEMA_PATH, schema=schema_name.split("/"))
                response, body = self._http.json_request("GET", path)
                document = results.expect(response, body, dict, _("schema"))
                found = self._fetched[schema_name] = Schema(document, fetched_as=schema_name)
            return found

    def model(self, schema_name: str) -> type[models.Model]:
        """The model class of a schema's resources; fetches nothing.

        Its instances fetch the schema when their ``schema`` is read; that
        dict is shared by all of them: do not change it.
        """
        cls = self._models.get(schema_name)
        if cls is None:
            name = schema_name.rsplit("/", 1)[-1]
            # The schema itself, not a copy, as upstream's models give it:
            # nova reads it for every image it lists.
            cls = self._models[schema_name] = models.model_class(
                name, lambda: self.get(schema_name)._raw
            )
        return cls
