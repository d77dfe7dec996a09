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
its own. A property whose option or destination would shadow one of the
command's own options or a global one (``--file``, ``--help``,
``--os-image-url``, ``--timeout``) gets none either, with a debug line: a
server's schema can add options, never change what the others mean.

The cached copy is a server's word: it is checked before it is used and
before it is kept (a regular file, of a bounded size, a JSON object with
``properties``), written to a new file opened with ``O_EXCL|O_NOFOLLOW``
and then renamed into place; a cache that fails the checks (a FIFO, a
symbolic link to a device, JSON nested too deeply) is passed over for the
shipped copy.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import stat
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.cli import args as cli_args

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
#: Destinations the shell itself sets on a command's namespace.
SHELL_DESTS = frozenset({FIELDS, "func", "command", "topic", "help"})
#: The largest cached schema read or kept (Glance's is about 10 KiB).
MAX_SCHEMA_BYTES = 1024 * 1024
#: The property names an option can be made of.
_OPTION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.-]*$")


def cache_path(name: str = IMAGE) -> str:
    """Where the schema ``name`` fetched from a server is kept."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "glanceclient", SCHEMAS[name])


def _usable(schema: object) -> bool:
    """True if ``schema`` can give options: an object whose ``properties``
    is an object."""
    return isinstance(schema, dict) and isinstance(schema.get("properties"), dict)


def _read(path: str) -> dict[str, ty.Any] | None:
    """The schema kept at ``path``, or None if it is missing or unusable
    (not a regular file, too large, not JSON, nested too deeply...)."""
    import json

    try:
        # Not blocking: a FIFO there must not hang the command.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as f:
            found = os.fstat(f.fileno())
            if not stat.S_ISREG(found.st_mode) or found.st_size > MAX_SCHEMA_BYTES:
                LOG.debug("%s is not a regular file of a schema's size: not used", path)
                return None
            schema = json.loads(f.read(MAX_SCHEMA_BYTES + 1))
    except (OSError, ValueError, RecursionError) as e:
        LOG.debug("The schema kept in %s cannot be read: %s", path, e)
        return None
    return schema if _usable(schema) else None


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
    problem: str | None = None
    try:
        text = json.dumps(schema, sort_keys=True).encode("utf-8")
    except (TypeError, ValueError, RecursionError) as e:
        text, problem = b"", str(e)
    if len(text) > MAX_SCHEMA_BYTES:
        problem = _("too large")
    if problem is not None or not _usable(schema):
        LOG.debug("The %s schema is not kept: %s", name, problem or _("no properties"))
        return
    temporary = "%s.%d" % (path, os.getpid())
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        # A new file of ours: never through a link, never someone else's.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except OSError as e:
        LOG.debug("Could not keep the %s schema in %s: %s", name, path, e)
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text)
        os.replace(temporary, path)
    except OSError as e:
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
        global_options, global_dests = cli_args.reserved(parser)
        taken_options = set(parser._option_string_actions) | global_options
        taken_dests = {a.dest for a in parser._actions} | global_dests | SHELL_DESTS
        if image:
            taken_options.add("--hidden")
        properties: dict[str, ty.Any] = load(schema)["properties"]
        for name, spec in sorted(properties.items()):
            if not isinstance(spec, dict) or spec.get("readOnly"):
                continue
            if image and name in NOT_OPTIONS:
                continue
            if name in omit:
                continue
            flag = "--" + name.replace("_", "-")
            if not _OPTION_NAME.match(name) or flag in taken_options or name in taken_dests:
                LOG.debug(
                    "The %s schema's property %r gets no option: it would shadow another "
                    "option, or cannot be one.",
                    schema,
                    name,
                )
                continue
            kind = _kind(spec)
            # argparse formats help with %: a server's text is taken as it is.
            text = str(spec.get("description") or name).strip().replace("%", "%%")
            if not text.endswith("."):
                text += "."
            enum = spec.get("enum")
            choices = [str(v) for v in enum if v is not None] if isinstance(enum, list) else []
            if choices:
                values = ", ".join(choices).replace("%", "%%")
                text += " " + _("Valid values: %(values)s.") % {"values": values}
            kwargs: dict[str, ty.Any] = {"dest": name, "help": text, "action": _Given}
            if kind == "array":
                kwargs.update(nargs="+", metavar="<%s>" % name.upper())
            elif kind == "boolean":
                kwargs.update(type=boolean, metavar="[True|False]")
            elif kind == "integer":
                kwargs.update(type=int, metavar="<%s>" % name.upper())
            else:
                kwargs.update(metavar="<%s>" % name.upper())
            parser.add_argument(flag, default=None, **kwargs)
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
