"""Command-line options made from the image schema, kept on disk.

``image-create``, ``image-create-via-import`` and ``image-update`` take one
option per property a user may write (``--min-ram``, ``--os-distro``...).
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

SHIPPED = os.path.join(os.path.dirname(os.path.dirname(__file__)), "v2", "image_schema.json")

#: Writable properties without an option of their own name.
NOT_OPTIONS = frozenset({"locations", "os_hidden"})

#: Where the parsed options say which schema properties were given.
FIELDS = "schema_fields"


def cache_path() -> str:
    """Where the schema fetched from a server is kept."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "glanceclient", "image_schema.json")


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


def load() -> dict[str, ty.Any]:
    """The image schema the options come from.

    The shipped copy's properties, overridden and extended by those of the
    copy fetched from a server: a server without the stock custom
    properties (``os_distro``...) still takes them as extra properties, so
    their options stay.
    """
    shipped = _read(SHIPPED)
    if shipped is None:
        raise RuntimeError("the image schema shipped in %s is missing or broken" % SHIPPED)
    fetched = _read(cache_path())
    if fetched is not None:
        shipped["properties"].update(fetched["properties"])
    return shipped


def save(schema: ty.Mapping[str, ty.Any]) -> None:
    """Keep a schema fetched from a server for the next parsers.

    A failure to write is logged, never raised: the options then come from
    the copy there was.
    """
    import json

    path = cache_path()
    temporary = "%s.%d" % (path, os.getpid())
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as f:
            json.dump(schema, f, sort_keys=True)
        os.replace(temporary, path)
    except OSError as e:
        if os.path.exists(temporary):
            os.unlink(temporary)
        LOG.debug("Could not keep the image schema in %s: %s", path, e)


def refresh(gc: v2_client.Client) -> None:
    """Fetch the server's image schema and keep it (``--get-schema``)."""
    save(gc.schemas.get("image").raw())


def save_fetched(gc: v2_client.Client) -> None:
    """Keep the image schema a write has just fetched to validate itself.

    The client fetches a schema once, so this costs no request after
    ``images.create`` or ``images.update``; a failure only loses the copy.
    """
    from glanceclient import exc

    try:
        refresh(gc)
    except exc.ClientException as e:
        LOG.debug("Could not keep the image schema: %s", e)


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


def options(omit: ty.Collection[str] = ()) -> ty.Callable[[argparse.ArgumentParser], None]:
    """What adds the schema's options to a command's parser when it is built.

    Used as ``@arg(schema_options.options())``: the schema is read only when
    the command's parser is made.

    :param omit: properties that get no option in this command.
    """

    def add(parser: argparse.ArgumentParser) -> None:
        parser.set_defaults(**{FIELDS: []})
        properties: dict[str, ty.Any] = load()["properties"]
        for name, spec in sorted(properties.items()):
            if not isinstance(spec, dict) or spec.get("readOnly") or name in NOT_OPTIONS:
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
