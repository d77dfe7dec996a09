"""Resources as the server describes them: dicts with attribute access.

A model is a ``dict`` of what the server answered (``img['id']``), whose
keys are also attributes (``img.id``); a missing one raises
:class:`AttributeError`, so ``getattr(img, 'x', default)`` works. Its
``schema`` attribute is the server's JSON schema for it, fetched once per
client and only when asked for.

Values a caller wants to write are checked against that schema before
anything is sent (:class:`Validator`); the JSON-schema library is loaded
only then.
"""

from __future__ import annotations

import collections.abc
import copy
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.common import results

SchemaSource = collections.abc.Callable[[], dict[str, ty.Any]]


class Model(results.DictResult):
    """A resource of the Image API (an image, a member...)."""

    #: Returns the raw schema of this kind of resource (set per class,
    #: as a staticmethod).
    schema_source: ty.ClassVar[ty.Any] = None

    def __getattr__(self, name: str) -> ty.Any:
        if name.startswith("__"):
            raise AttributeError(name)  # copy and pickle probe for these
        try:
            return self[name]
        except KeyError:
            raise AttributeError(
                _("%(kind)r has no attribute %(name)r")
                % {"kind": type(self).__name__, "name": name}
            ) from None

    def __setattr__(self, name: str, value: ty.Any) -> None:
        self[name] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def schema(self) -> dict[str, ty.Any]:
        """The server's JSON schema of this kind of resource (raw dict).

        ``self['schema']`` stays what the server sent (the schema's path).
        """
        if self.schema_source is None:
            raise AttributeError("schema")
        schema: dict[str, ty.Any] = self.schema_source()
        return schema

    def copy(self) -> dict[str, ty.Any]:
        """A plain, deep copy of the resource's properties."""
        return copy.deepcopy(dict(self))

    def __copy__(self) -> Model:
        new = type(self)(self)
        new.__dict__.update(self.__dict__)
        return new

    def __deepcopy__(self, memo: dict[int, ty.Any]) -> Model:
        new = type(self)(copy.deepcopy(dict(self), memo))
        new.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return new

    def __reduce__(self) -> tuple[ty.Any, ...]:
        # A model class is made per client: pickle as the base class, which
        # can be found by name (the schema is not carried along).
        return (Model, (dict(self),), dict(self.__dict__))


#: The largest byte count believed (a signed 64-bit size, as Glance keeps).
MAX_BYTES = 2**63 - 1


def byte_count(value: object) -> int | None:
    """A record's size field (``size``) as a number of bytes, or None when
    the server gave anything else (a string, a negative or fractional
    number, a boolean, a number past 64 bits)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_BYTES:
        return value
    return None


def model_class(name: str, schema_source: SchemaSource | None) -> type[Model]:
    """A :class:`Model` class named after its schema (``image``)."""
    source = staticmethod(schema_source) if schema_source else None
    return type(name, (Model,), {"schema_source": source})


def make(cls: type[Model], body: ty.Any) -> Model:
    """Build a ``cls`` from a JSON object answered by the server.

    ``self`` (the resource's own path) is dropped, as upstream does.

    :raises glanceclient.exc.InvalidResponse: ``body`` is not an object.
    """
    if not isinstance(body, dict):
        raise results.malformed(None, cls.__name__, body)
    model = cls(body)
    model.pop("self", None)
    return model


class Validator:
    """Checks values to write against a JSON schema the server sent.

    The schema is the server's, so it is not trusted: nothing it refers to
    is fetched or read (a ``$ref`` resolves within the schema only, through
    an empty registry), and whatever a malformed schema makes the check
    raise becomes one :class:`~glanceclient.exc.InvalidResponse`. (The
    schema is not checked against its meta-schema as a whole: that costs
    more than a write's own round trips.)

    :param schema: the raw schema (an object schema with ``properties``).
    :param name: the schema's name, for messages (``image``).
    :raises glanceclient.exc.InvalidResponse: a schema that cannot be used.
    """

    def __init__(self, schema: dict[str, ty.Any], name: str = "") -> None:
        import jsonschema  # only writes need it, and it is slow to import
        import referencing

        self._name = name or _("resource")
        # Each value is checked alone: "required" concerns whole resources.
        partial = {k: v for k, v in schema.items() if k != "required"}
        try:
            # An unknown $schema: the latest draft, as for none (no warning).
            cls = jsonschema.validators.validator_for(
                partial, default=jsonschema.Draft202012Validator
            )
            # An empty registry: a $ref to another document (a URL, a
            # file://) fails rather than being fetched or read.
            self._validator = cls(partial, registry=referencing.Registry())
        except Exception as e:  # whatever a malformed schema makes it raise
            raise self._unusable(e) from e

    def check(self, values: collections.abc.Mapping[str, ty.Any]) -> None:
        """Raise unless every value fits the schema.

        :raises glanceclient.exc.SchemaValidationError: naming the first
            value that does not fit, and why.
        :raises glanceclient.exc.InvalidResponse: the schema cannot be
            used (it refers to another document, for one).
        """
        for key, value in values.items():
            try:
                error = next(iter(self._validator.iter_errors({key: value})), None)
            except Exception as e:  # a $ref outside it, a bad regex, a wrong type...
                raise self._unusable(e) from e
            if error is not None:
                raise exc.SchemaValidationError(
                    _("Unable to set %(key)r to %(value)r. Reason: %(reason)s")
                    % {"key": key, "value": value, "reason": error.message}
                )

    def _unusable(self, error: Exception) -> exc.InvalidResponse:
        """The error for a schema that cannot be used, saying why."""
        ref = getattr(error, "ref", None)
        if isinstance(error, RecursionError):
            reason = _("it is nested too deeply")
        elif isinstance(ref, str):
            reason = _("it refers to %(ref)r, which is not within it (nothing is fetched)") % {
                "ref": exc.truncate(ref, 100)
            }
        else:
            text = str(getattr(error, "message", None) or error).strip()
            reason = text.splitlines()[0] if text else type(error).__name__
        return exc.InvalidResponse(
            _("The server's %(name)s schema cannot be used: %(reason)s")
            % {"name": self._name, "reason": exc.truncate(reason, 200)}
        )
