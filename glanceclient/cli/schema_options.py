"""Command-line options made from the server's schemas, kept on disk.

``image-create``, ``image-create-via-import`` and ``image-update`` take one
option per property a user may write (``--min-ram``, ``--os-distro``...);
``md-namespace-create``, ``md-namespace-update`` and
``md-resource-type-associate`` likewise from the ``metadefs/namespace`` and
``metadefs/resource_type`` schemas (``namespace_schema.json`` and
``resource_type_schema.json`` below, in place of ``image_schema.json``).
The schema they come from is never fetched to build a parser, which would
cost a request per call: it is read from disk, from

1. the copy shipped in the package: what a Glance 33.0.0 serves with its
   stock ``schema-image.json`` properties (``os_distro``, ``kernel_id``...);
2. extended (and overridden) by the copy fetched from a server, kept in the
   user's cache directory (``$XDG_CACHE_HOME/glanceclient/image_schema.json``);
   it is written by ``glance --get-schema`` and whenever a command has
   fetched the schema anyway (the writing commands validate against it).

Properties the server keeps to itself (``readOnly``) get no option;
``os_hidden`` is spelled ``--hidden``, and ``locations`` has commands of
its own.
"""

from __future__ import annotations

import argparse
import logging
import os
import typing as ty

from glanceclient._i18n import _

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

LOG = logging.getLogger(__name__)

IMAGE = "image"
#: The schemas options are made from, by name, with the file each is kept in.
SCHEMAS = {
    IMAGE: "image_schema.json",
    "metadefs/namespace": "namespace_schema.json",
    "metadefs/resource_type": "resource_type_schema.json",
}
SHIPPED_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "v2")
SHIPPED = os.path.join(SHIPPED_DIR, SCHEMAS[IMAGE])

#: Writable image properties without an option of their own name.
NOT_OPTIONS = frozenset({"locations", "os_hidden"})

#: Where the parsed options say which schema properties were given.
FIELDS = "schema_fields"


def cache_path(name: str = IMAGE) -> str:
    """Where the schema ``name`` fetched from a server is kept."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "glanceclient", SCHEMAS[name])


def _read(path: str) -> dict[str, ty.Any] | None:
    import json

    try:
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, ValueError):
        return None
    if isinstance(schema, dict) and isinstance(schema.get("properties"), dict):
        return schema
    return None


def load(name: str = IMAGE) -> dict[str, ty.Any]:
    """The schema ``name`` the options come from (default: the image's).

    The shipped copy's properties, overridden and extended by those of the
    copy fetched from a server: a server without the stock custom
    properties (``os_distro``...) still takes them as extra properties, so
    their options stay.
    """
    path = os.path.join(SHIPPED_DIR, SCHEMAS[name])
    shipped = _read(path)
    if shipped is None:
        raise RuntimeError("the schema shipped in %s is missing or broken" % path)
    fetched = _read(cache_path(name))
    if fetched is not None:
        shipped["properties"].update(fetched["properties"])
    return shipped


def save(schema: ty.Mapping[str, ty.Any], name: str = IMAGE) -> None:
    """Keep a schema fetched from a server for the next parsers.

    A failure to write is logged, never raised: the options then come from
    the copy there was.
    """
    import json

    path = cache_path(name)
    temporary = "%s.%d" % (path, os.getpid())
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as f:
            json.dump(schema, f, sort_keys=True)
        os.replace(temporary, path)
    except OSError as e:
        if os.path.exists(temporary):
            os.unlink(temporary)
        LOG.debug("Could not keep the %s schema in %s: %s", name, path, e)


def refresh(gc: v2_client.Client, names: ty.Iterable[str] = tuple(SCHEMAS)) -> None:
    """Fetch the server's schemas and keep them (``--get-schema``)."""
    for name in names:
        save(gc.schemas.get(name).raw(), name)


def save_fetched(gc: v2_client.Client, name: str = IMAGE) -> None:
    """Keep the schema a write has just fetched to validate itself.

    The client fetches a schema once, so this costs no request after
    ``images.create`` or ``images.update``; a failure only loses the copy.
    """
    from glanceclient import exc

    try:
        refresh(gc, (name,))
    except exc.ClientException as e:
        LOG.debug("Could not keep the %s schema: %s", name, e)


def boolean(text: str) -> bool:
    """Read True or False the way upstream does (also yes, 1, on...).

    :raises argparse.ArgumentTypeError: anything else.
    """
    lowered = text.strip().lower()
    if lowered in ("true", "1", "yes", "on", "y", "t"):
        return True
    if lowered in ("false", "0", "no", "off", "n", "f"):
        return False
    raise argparse.ArgumentTypeError(
        _("%(value)r is not a boolean: use True or False.") % {"value": text}
    )


def _kind(spec: ty.Mapping[str, ty.Any]) -> str:
    """The JSON type of a property, ``null`` aside."""
    kind = spec.get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    return str(kind)


class _Given(argparse.Action):
    """Store the value and note that the property was given."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: ty.Any,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, values)
        given = getattr(namespace, FIELDS, None) or []
        setattr(namespace, FIELDS, [*given, self.dest])


def options(
    omit: ty.Collection[str] = (), schema: str = IMAGE
) -> ty.Callable[[argparse.ArgumentParser], None]:
    """What adds the schema's options to a command's parser when it is built.

    Used as ``@arg(schema_options.options())``: the schema is read only when
    the command's parser is made.

    :param omit: properties that get no option in this command.
    :param schema: the schema's name (``image``, ``metadefs/namespace``...).
    """
    image = schema == IMAGE

    def add(parser: argparse.ArgumentParser) -> None:
        parser.set_defaults(**{FIELDS: []})
        properties: dict[str, ty.Any] = load(schema)["properties"]
        for name, spec in sorted(properties.items()):
            if not isinstance(spec, dict) or spec.get("readOnly"):
                continue
            if image and name in NOT_OPTIONS:
                continue
            if name in omit:
                continue
            kind = _kind(spec)
            text = str(spec.get("description") or name).strip()
            if not text.endswith("."):
                text += "."
            choices = [v for v in spec.get("enum") or () if v is not None]
            if choices:
                text += " " + _("Valid values: %(values)s.") % {"values": ", ".join(choices)}
            kwargs: dict[str, ty.Any] = {"dest": name, "help": text, "action": _Given}
            if kind == "array":
                kwargs.update(nargs="+", metavar="<%s>" % name.upper())
            elif kind == "boolean":
                kwargs.update(type=boolean, metavar="[True|False]")
            elif kind == "integer":
                kwargs.update(type=int, metavar="<%s>" % name.upper())
            else:
                kwargs.update(metavar="<%s>" % name.upper())
            parser.add_argument("--" + name.replace("_", "-"), default=None, **kwargs)
        if not image:
            return
        parser.add_argument(
            "--hidden",
            dest="os_hidden",
            type=boolean,
            metavar="[True|False]",
            action=_Given,
            default=None,
            help=_("Whether to leave the image out of default image lists."),
        )

    return add


def given(args: argparse.Namespace) -> dict[str, ty.Any]:
    """The schema properties given on the command line, with their values."""
    return {name: getattr(args, name) for name in getattr(args, FIELDS, [])}
