"""The base of every controller: a resource declares, the base does the rest.

A controller declares its :attr:`~Controller.path` (a template whose
``{field}`` parts are path segments), its :attr:`~Controller.list_key` and
its :attr:`~Controller.schema_name`; the base builds every path through
:func:`build_path`, sends through one call (:meth:`Controller._send`, gated
by the version table when an operation is named), checks the shape of each
answer with :func:`glanceclient.common.results.expect`, and attaches request ids to what it returns.
What a call without an answer body returns is fixed by upstream, call by
call: :data:`NO_BODY` records it.

To add a resource: a module under ``glanceclient/v2/`` with a subclass,
e.g. ::

    class Controller(base.Controller):
        name = "image_members"
        path = "/v2/images/{image}/members"
        item_path = path + "/{member}"
        list_key = "members"
        schema_name = "member"

        def get(self, image_id, member_id):
            path = self._path(self.item_path, image=image_id, member=member_id)
            return self._model(*self._send("GET", path))
"""

from __future__ import annotations

import re
import typing as ty
from urllib import parse

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.common import models
from glanceclient.common import pagination
from glanceclient.common import results

if ty.TYPE_CHECKING:
    import requests

    from glanceclient.common import http

T = ty.TypeVar("T")


class Schema(ty.Protocol):
    """What the base needs of a schema (:class:`glanceclient.v2.schemas.Schema`)."""

    def validate(self, values: ty.Mapping[str, ty.Any]) -> None:
        """Check values to write against the schema."""


class Schemas(ty.Protocol):
    """What the base needs of the client's schemas
    (:class:`glanceclient.v2.schemas.Controller`)."""

    def get(self, schema_name: str) -> Schema:
        """The server's schema ``schema_name``."""

    def model(self, schema_name: str) -> type[models.Model]:
        """The model class of a schema's resources."""


class Gate(ty.Protocol):
    """What the base needs of the version gate
    (:class:`glanceclient.v2.versions.VersionGate`)."""

    def call(self, operation: str, send: ty.Callable[[], T]) -> T:
        """Run ``send()``, the request that does ``operation``'s work."""


class Segment(ty.NamedTuple):
    """How errors name one kind of path segment."""

    #: The message for an empty (or blank, or not a string) value.
    missing: str
    #: The message for ``.``, ``..`` or a value holding ``/`` (``%(value)r``).
    invalid: str
    #: The message for a value that is not valid Unicode (``%(value)r``).
    undecodable: str


_NOT_UNICODE = _("%(value)r is not valid Unicode.")
_METADEF_NAME = Segment(
    _("A metadata definition name is required."),
    _("%(value)r cannot be a metadata definition name in a URL."),
    _NOT_UNICODE,
)

#: The kinds of path segment, by the name of their field in path templates.
SEGMENTS: dict[str, Segment] = {
    "image": Segment(
        _("An image ID is required."),
        _("%(value)r is not an image ID."),
        _("%(value)r is not an image ID: it is not valid Unicode."),
    ),
    "member": Segment(
        _("A member ID is required."), _("%(value)r is not a member ID."), _NOT_UNICODE
    ),
    "tag": Segment(_("A tag is required."), _("%(value)r cannot be a tag in a URL."), _NOT_UNICODE),
    "task": Segment(_("A task ID is required."), _("%(value)r is not a task ID."), _NOT_UNICODE),
    "store": Segment(_("A store ID is required."), _("%(value)r is not a store ID."), _NOT_UNICODE),
    "schema": Segment(
        _("A schema name is required."), _("%(value)r is not a schema name."), _NOT_UNICODE
    ),
    "namespace": _METADEF_NAME,
    "name": _METADEF_NAME,
}

_FIELD = re.compile(r"\{(\w+)\}")
#: The form of an image ID: a UUID, in either case, its dashes optional.
_IMAGE_ID = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.I)


def looks_like_image_id(value: str) -> bool:
    """True if ``value`` has the form of an image ID (a UUID): such a value
    is taken as an ID, never looked up as a name."""
    return bool(_IMAGE_ID.match(value))


def segment(value: object, kind: str) -> str:
    """Return ``value`` quoted as one URL path segment.

    No quoting keeps ``.``, ``..`` or a ``/`` one segment: requests
    normalizes dot-segments away (``/v2/cache/..`` is sent as ``/v2/``), and
    Glance decodes ``%2F`` before routing (``nodes/<id>`` given to the cache
    delete reached the nodes route). Such values are refused.

    :param value: the value (an image ID, a tag...).
    :param kind: a key of :data:`SEGMENTS`, naming it in errors.
    :raises glanceclient.exc.InvalidArgument: an empty or blank value, a
        dot-segment, one holding a slash, or one that is not valid Unicode.
    """
    messages = SEGMENTS[kind]
    if not isinstance(value, str) or not value.strip():
        raise exc.InvalidArgument(messages.missing)
    if value in (".", "..") or "/" in value:
        raise exc.InvalidArgument(messages.invalid % {"value": value})
    try:
        return parse.quote(value, safe="")
    except UnicodeEncodeError:
        raise exc.InvalidArgument(messages.undecodable % {"value": value}) from None


def build_path(template: str, **fields: str | ty.Sequence[str]) -> str:
    """Fill a path template, each field quoted by :func:`segment`.

    :param template: e.g. ``/v2/images/{image}/tags/{tag}``; each field's
        name is its kind of segment.
    :param fields: the value of each field; a sequence of values fills
        the field with as many segments (``metadefs/namespace``).
    :raises glanceclient.exc.InvalidArgument: a value :func:`segment`
        refuses; nothing is sent.
    """

    def fill(found: re.Match[str]) -> str:
        kind = found.group(1)
        value = fields[kind]
        parts = [value] if isinstance(value, str) or not value else value
        return "/".join(segment(part, kind) for part in parts)

    return _FIELD.sub(fill, template)


#: What upstream returns from a call whose answer has no body, kept by
#: callers: ``"pair"`` (a :class:`~glanceclient.common.results.ResponseResult`
#: of the response and None), ``"empty"`` (an
#: :class:`~glanceclient.common.results.Empty`) or ``"none"`` (None: the
#: image-cache calls, which upstream added returning nothing).
NO_BODY: dict[str, str] = {
    "cache.queue": "none",
    "cache.delete": "none",
    "cache.clear": "none",
    "cache.clean": "none",
    "image_tags.update": "pair",
    "image_tags.delete": "pair",
    "image_members.delete": "pair",
    "images.delete": "pair",
    "images.deactivate": "pair",
    "images.reactivate": "pair",
    "images.upload": "pair",
    "images.delete_locations": "pair",
    "images.stage": "empty",
    "images.delete_from_store": "empty",
    "images.image_import": "empty",
    "metadefs_namespace.delete": "pair",
    "metadefs_resource_type.deassociate": "pair",
    "metadefs_property.delete": "pair",
    "metadefs_property.delete_all": "pair",
    "metadefs_object.delete": "pair",
    "metadefs_object.delete_all": "pair",
    "metadefs_tag.delete": "pair",
    "metadefs_tag.delete_all": "pair",
}


class Controller:
    """What every controller shares: the HTTP client, the schemas, the
    version gate, and the paths, sending and checks built on them.

    :param http_client: sends the requests.
    :param schemas: the client's schemas (fetched once each, when needed).
    :param gate: checks version-gated operations against the server.
    """

    #: The controller's name in :data:`NO_BODY` (its client attribute).
    name: ty.ClassVar[str] = ""
    #: The path of the resource's collection, a :func:`build_path` template.
    path: ty.ClassVar[str] = ""
    #: The key of the items in a list answer.
    list_key: ty.ClassVar[str] = ""
    #: The server's schema of the resources (``image``, ``member``...).
    schema_name: ty.ClassVar[str] = ""

    def __init__(
        self,
        http_client: http.SessionClient,
        schemas: Schemas | None = None,
        gate: Gate | None = None,
    ) -> None:
        self._http = http_client
        self._schemas = schemas
        self._gate = gate

    @property
    def model(self) -> type[models.Model]:
        """The class of the resources this controller returns."""
        assert self._schemas is not None, "a controller of models needs the schemas"
        return self._schemas.model(self.schema_name)

    def _path(self, template: str | None = None, **fields: str | ty.Sequence[str]) -> str:
        """:func:`build_path` of ``template`` (default: :attr:`path`)."""
        return build_path(self.path if template is None else template, **fields)

    def _gated(self, operation: str | None, send: ty.Callable[[], T]) -> T:
        """Run ``send()``; with ``operation``, through the version gate."""
        if operation is None:
            return send()
        assert self._gate is not None, "a gated operation needs the version gate"
        return self._gate.call(operation, send)

    def _request(
        self, method: str, path: str, *, operation: str | None = None, **kwargs: ty.Any
    ) -> requests.Response:
        """Send a request; with ``operation``, through the version gate.

        :param operation: a key of the version gate's table
            (:data:`glanceclient.v2.versions.OPERATIONS`).
        :param kwargs: as :meth:`glanceclient.common.http.SessionClient.request`.
        """
        return self._gated(operation, lambda: self._http.request(method, path, **kwargs))

    def _send(
        self, method: str, path: str, *, operation: str | None = None, **kwargs: ty.Any
    ) -> tuple[requests.Response, ty.Any]:
        """Send a request (as :meth:`_request`); decode its JSON answer.

        :returns: the response, and its decoded body (None when empty).
        :raises glanceclient.exc.InvalidResponse: a body that is not JSON.
        """
        return self._gated(operation, lambda: self._http.json_request(method, path, **kwargs))

    def _model(self, response: requests.Response, body: ty.Any) -> models.Model:
        """The resource an answer holds, with its request id."""
        return results.attach(models.make(self.model, body), response)

    def _result(self, response: requests.Response, value: dict[str, ty.Any]) -> results.DictResult:
        """A JSON object an answer holds (already checked), with its request id."""
        return results.attach(results.DictResult(value), response)

    def _validate(self, values: ty.Mapping[str, ty.Any]) -> None:
        """Check values to write against the server's schema.

        :raises glanceclient.exc.SchemaValidationError: a value that does
            not fit (also a :class:`TypeError`, as upstream raises).
        """
        assert self._schemas is not None, "a controller of models needs the schemas"
        self._schemas.get(self.schema_name).validate(values)

    def _no_body(self, call: str, response: requests.Response) -> ty.Any:
        """What ``call`` returns, as :data:`NO_BODY` records it."""
        shape = NO_BODY[self.name + "." + call]
        if shape == "pair":
            return results.pair(response, None)
        if shape == "empty":
            return results.empty(response)
        return None

    def _list(
        self,
        path: str,
        query: pagination.Query,
        *,
        page_size: int | None,
        limit: int | None = None,
        key: str | None = None,
    ) -> results.ResultGenerator[models.Model]:
        """The resources at ``path``, fetched page by page as they are read."""
        model = self.model
        return pagination.paginate(
            self._http,
            path,
            query,
            key=key or self.list_key,
            make=lambda item: models.make(model, item),
            page_size=page_size,
            limit=limit,
        )

    def _simple_list(
        self,
        kwargs: ty.Mapping[str, ty.Any],
        sort_keys: ty.Sequence[str],
        default_page_size: int,
    ) -> results.ResultGenerator[models.Model]:
        """A list call of one sort key (tasks, namespaces), as
        :func:`glanceclient.common.pagination.simple_list` reads it."""
        model = self.model
        return pagination.simple_list(
            self._http,
            self.path,
            kwargs,
            key=self.list_key,
            make=lambda item: models.make(model, item),
            sort_keys=sort_keys,
            default_page_size=default_page_size,
        )
