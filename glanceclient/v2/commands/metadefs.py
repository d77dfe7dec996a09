"""The ``glance md-*`` commands: metadata definitions namespaces, their
resource types, properties, objects and tags."""

from __future__ import annotations

import argparse
import collections.abc
import sys
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.cli import formats
from glanceclient.cli import options
from glanceclient.cli import output
from glanceclient.cli import schema_options
from glanceclient.cli.args import arg
from glanceclient.v2.commands import common

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

NAMESPACE_SCHEMA = "metadefs/namespace"
RESOURCE_TYPE_SCHEMA = "metadefs/resource_type"
#: A namespace's contents: shown by name, and given by their own commands.
CONTENTS = ("properties", "objects", "tags", "resource_type_associations")
#: Widest a description gets in md-object-list.
DESCRIPTION_WIDTH = 50

_NAMESPACE = _("Name of namespace.")


def _names(values: ty.Any) -> ty.Any:
    """The names in a namespace's list (or mapping) of things; anything
    else a server sends, as it is."""
    if isinstance(values, collections.abc.Mapping):
        return list(values)
    if not isinstance(values, list):
        return values
    return [v.get("name") if isinstance(v, collections.abc.Mapping) else v for v in values]


def show(
    values: collections.abc.Mapping[str, ty.Any], max_width: int = options.DEFAULT_MAX_WIDTH
) -> None:
    """Print a Property / Value table, long values wrapped as upstream does."""
    output.print_properties(values, hidden=("self",), max_width=max_width)


def show_namespace(
    namespace: collections.abc.Mapping[str, ty.Any], max_width: int = options.DEFAULT_MAX_WIDTH
) -> None:
    """Print a namespace, its contents as lists of names."""
    shown = dict(namespace)
    for key in CONTENTS:
        if key in shown:
            shown[key] = _names(shown[key])
    show(shown, max_width)


def show_object(
    obj: collections.abc.Mapping[str, ty.Any], max_width: int = options.DEFAULT_MAX_WIDTH
) -> None:
    """Print an object, its properties as a list of names."""
    shown = dict(obj)
    if "properties" in shown:
        shown["properties"] = _names(shown["properties"])
    show(shown, max_width)


def _association(value: str) -> dict[str, ty.Any]:
    """A resource type association given on the command line: a name,
    or a JSON object (``{"name": ..., "prefix": ...}``)."""
    if value.lstrip().startswith("{"):
        return common.json_object(value, "--resource-type-associations")
    return {"name": value}


def _schema_fields(args: argparse.Namespace) -> dict[str, ty.Any]:
    fields = schema_options.given(args)
    if "resource_type_associations" in fields:
        fields["resource_type_associations"] = [
            _association(v) for v in fields["resource_type_associations"]
        ]
    return fields


# -- namespaces ---------------------------------------------------------------


@arg("namespace", metavar="<NAMESPACE>", help=_("Name of the namespace."))
@arg(schema_options.options(omit=("namespace", *CONTENTS[:3]), schema=NAMESPACE_SCHEMA))
@arg(formats.add_options)
def do_md_namespace_create(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Create a new metadata definitions namespace."""
    fields = _schema_fields(args)
    fields["namespace"] = args.namespace
    namespace = gc.metadefs_namespace.create(**fields)
    schema_options.save_fetched(gc, NAMESPACE_SCHEMA)
    show_namespace(namespace)
    return 0


@arg(
    "--file",
    metavar="<FILEPATH>",
    help=_(
        "Path to file with namespace schema to import. Alternatively, "
        "namespaces schema can be passed to the client via stdin."
    ),
)
@arg(formats.add_options)
def do_md_namespace_import(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Import a metadata definitions namespace from file or standard input."""
    if args.file:
        try:
            with open(args.file, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            raise exc.CommandError(
                _("Unable to read %(file)s: %(error)s")
                % {"file": args.file, "error": getattr(e, "strerror", None) or e}
            ) from None
    elif not sys.stdin.isatty():
        text = sys.stdin.read()
    else:
        text = ""
    if not text.strip():
        raise exc.CommandError(
            _("No metadata definition namespace passed via stdin or --file argument.")
        )
    fields = common.json_object(text, args.file or _("the namespace on stdin"))
    namespace = gc.metadefs_namespace.create(**fields)
    show_namespace(namespace)
    return 0


@arg("id", metavar="<NAMESPACE>", help=_("Name of namespace to update."))
@arg(schema_options.options(omit=CONTENTS, schema=NAMESPACE_SCHEMA))
@arg(formats.add_options)
def do_md_namespace_update(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Update an existing metadata definitions namespace."""
    namespace = gc.metadefs_namespace.update(args.id, **_schema_fields(args))
    schema_options.save_fetched(gc, NAMESPACE_SCHEMA)
    show_namespace(namespace)
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_("Name of namespace to describe."))
@arg(
    "--resource-type",
    metavar="<RESOURCE_TYPE>",
    help=_(
        "Applies prefix of given resource type associated to a namespace "
        "to all properties of a namespace."
    ),
)
@options.MAX_COLUMN_WIDTH
@arg(formats.add_options)
def do_md_namespace_show(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Describe a specific metadata definitions namespace.

    Lists also the namespace properties, objects and resource type
    associations.
    """
    namespace = gc.metadefs_namespace.get(args.namespace, resource_type=args.resource_type)
    show_namespace(namespace, args.max_column_width)
    return 0


@arg(
    "--resource-types",
    metavar="<RESOURCE_TYPES>",
    action="append",
    help=_("Resource type to filter namespaces."),
)
@arg("--visibility", metavar="<VISIBILITY>", help=_("Visibility parameter to filter namespaces."))
@arg(
    "--page-size",
    metavar="<SIZE>",
    type=int,
    help=_("Number of namespaces to request in each paginated request."),
)
@arg(formats.add_options)
def do_md_namespace_list(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """List metadata definitions namespaces."""
    filters = {"resource_types": args.resource_types, "visibility": args.visibility}
    namespaces = gc.metadefs_namespace.list(
        filters={k: v for k, v in filters.items() if v is not None}, page_size=args.page_size
    )
    output.print_list(([n.get("namespace")] for n in namespaces), ("namespace",))
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_("Name of namespace to delete."))
def do_md_namespace_delete(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Delete specified metadata definitions namespace with its contents."""
    gc.metadefs_namespace.delete(args.namespace)
    return 0


# -- resource types -----------------------------------------------------------


@arg("namespace", metavar="<NAMESPACE>", help=_NAMESPACE)
@arg(schema_options.options(schema=RESOURCE_TYPE_SCHEMA))
@arg(formats.add_options)
def do_md_resource_type_associate(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Associate resource type with a metadata definitions namespace."""
    fields = schema_options.given(args)
    if not fields.get("name"):
        raise exc.CommandError(_("Give the resource type's --name."))
    association = gc.metadefs_resource_type.associate(args.namespace, **fields)
    schema_options.save_fetched(gc, RESOURCE_TYPE_SCHEMA)
    show(association)
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_NAMESPACE)
@arg("resource_type", metavar="<RESOURCE_TYPE>", help=_("Name of resource type."))
def do_md_resource_type_deassociate(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Deassociate resource type with a metadata definitions namespace."""
    gc.metadefs_resource_type.deassociate(args.namespace, args.resource_type)
    return 0


@arg(formats.add_options)
def do_md_resource_type_list(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """List available resource type names."""
    output.print_list(([t.get("name")] for t in gc.metadefs_resource_type.list()), ("name",))
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_NAMESPACE)
@arg(formats.add_options)
def do_md_namespace_resource_type_list(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """List resource types associated to specific namespace."""
    columns = ("name", "prefix", "properties_target")
    associations = gc.metadefs_resource_type.get(args.namespace)
    output.print_list(output.field_rows(associations, columns), columns)
    return 0


# -- properties ---------------------------------------------------------------


@arg("namespace", metavar="<NAMESPACE>", help=_("Name of namespace the property will belong."))
@arg("--name", metavar="<NAME>", required=True, help=_("Internal name of a property."))
@arg("--title", metavar="<TITLE>", required=True, help=_("Property name displayed to the user."))
@arg("--schema", metavar="<SCHEMA>", required=True, help=_("Valid JSON schema of a property."))
@arg("--type", metavar="<TYPE>", required=True, help=_("Type of the property"))
@arg(formats.add_options)
def do_md_property_create(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Create a new metadata definitions property inside a namespace."""
    fields = {"name": args.name, "title": args.title, "type": args.type}
    fields.update(common.json_object(args.schema, "--schema"))
    show(gc.metadefs_property.create(args.namespace, **fields))
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_("Name of namespace the property belongs."))
@arg("property", metavar="<PROPERTY>", help=_("Name of a property."))
@arg("--name", metavar="<NAME>", help=_("New name of a property."))
@arg("--title", metavar="<TITLE>", help=_("Property name displayed to the user."))
@arg("--schema", metavar="<SCHEMA>", help=_("Valid JSON schema of a property."))
@arg(formats.add_options)
def do_md_property_update(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Update metadata definitions property inside a namespace."""
    fields = {k: v for k, v in (("name", args.name), ("title", args.title)) if v}
    if args.schema:
        fields.update(common.json_object(args.schema, "--schema"))
    prop = gc.metadefs_property.update(args.namespace, args.property, **fields)
    show(prop)
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_("Name of namespace the property belongs."))
@arg("property", metavar="<PROPERTY>", help=_("Name of a property."))
@options.MAX_COLUMN_WIDTH
@arg(formats.add_options)
def do_md_property_show(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Describe a specific metadata definitions property inside a namespace."""
    prop = gc.metadefs_property.get(args.namespace, args.property)
    show(prop, args.max_column_width)
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_("Name of namespace the property belongs."))
@arg("property", metavar="<PROPERTY>", help=_("Name of a property."))
def do_md_property_delete(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Delete a specific metadata definitions property inside a namespace."""
    gc.metadefs_property.delete(args.namespace, args.property)
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_NAMESPACE)
def do_md_namespace_properties_delete(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Delete all metadata definitions property inside a specific namespace."""
    gc.metadefs_property.delete_all(args.namespace)
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_NAMESPACE)
@arg(formats.add_options)
def do_md_property_list(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """List metadata definitions properties inside a specific namespace."""
    columns = ("name", "title", "type")
    properties = gc.metadefs_property.list(args.namespace)
    output.print_list(output.field_rows(properties, columns), columns)
    return 0


# -- objects ------------------------------------------------------------------


@arg("namespace", metavar="<NAMESPACE>", help=_("Name of namespace the object will belong."))
@arg("--name", metavar="<NAME>", required=True, help=_("Internal name of an object."))
@arg("--schema", metavar="<SCHEMA>", required=True, help=_("Valid JSON schema of an object."))
@arg(formats.add_options)
def do_md_object_create(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Create a new metadata definitions object inside a namespace."""
    fields: dict[str, ty.Any] = {"name": args.name}
    fields.update(common.json_object(args.schema, "--schema"))
    show_object(gc.metadefs_object.create(args.namespace, **fields))
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_("Name of namespace the object belongs."))
@arg("object", metavar="<OBJECT>", help=_("Name of an object."))
@arg("--name", metavar="<NAME>", help=_("New name of an object."))
@arg("--schema", metavar="<SCHEMA>", help=_("Valid JSON schema of an object."))
@arg(formats.add_options)
def do_md_object_update(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Update metadata definitions object inside a namespace."""
    fields: dict[str, ty.Any] = {"name": args.name} if args.name else {}
    if args.schema:
        fields.update(common.json_object(args.schema, "--schema"))
    show_object(gc.metadefs_object.update(args.namespace, args.object, **fields))
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_("Name of namespace the object belongs."))
@arg("object", metavar="<OBJECT>", help=_("Name of an object."))
@options.MAX_COLUMN_WIDTH
@arg(formats.add_options)
def do_md_object_show(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Describe a specific metadata definitions object inside a namespace."""
    show_object(gc.metadefs_object.get(args.namespace, args.object), args.max_column_width)
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_("Name of namespace the object belongs."))
@arg("object", metavar="<OBJECT>", help=_("Name of an object."))
@arg("property", metavar="<PROPERTY>", help=_("Name of a property."))
@options.MAX_COLUMN_WIDTH
@arg(formats.add_options)
def do_md_object_property_show(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Describe a specific metadata definitions property inside an object."""
    obj = gc.metadefs_object.get(args.namespace, args.object)
    properties = obj.get("properties")
    found = properties.get(args.property) if isinstance(properties, dict) else None
    if not isinstance(found, collections.abc.Mapping):
        raise exc.CommandError(
            _("Property %(property)s not found in object %(object)s.")
            % {"property": args.property, "object": args.object}
        )
    show({**found, "name": args.property}, args.max_column_width)
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_("Name of namespace the object belongs."))
@arg("object", metavar="<OBJECT>", help=_("Name of an object."))
def do_md_object_delete(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Delete a specific metadata definitions object inside a namespace."""
    gc.metadefs_object.delete(args.namespace, args.object)
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_NAMESPACE)
def do_md_namespace_objects_delete(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Delete all metadata definitions objects inside a specific namespace."""
    gc.metadefs_object.delete_all(args.namespace)
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_NAMESPACE)
@arg(formats.add_options)
def do_md_object_list(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """List metadata definitions objects inside a specific namespace."""
    objects = gc.metadefs_object.list(args.namespace)
    rows = [(o.get("name"), o.get("description")) for o in objects]
    # A table wraps descriptions; the data formats keep each one whole.
    shown = output.wrapped_rows(rows, {1: DESCRIPTION_WIDTH}) if formats.is_table() else rows
    output.print_list(shown, ("name", "description"))
    return 0


# -- tags ---------------------------------------------------------------------


def _tag_name(text: str) -> str:
    name = text.strip()
    if not name:
        raise exc.CommandError(_("Please supply at least one non-blank tag name."))
    return name


@arg("namespace", metavar="<NAMESPACE>", help=_("Name of the namespace the tag will belong to."))
@arg("--name", metavar="<NAME>", required=True, help=_("The name of the new tag to add."))
@arg(formats.add_options)
def do_md_tag_create(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Add a new metadata definitions tag inside a namespace."""
    show(gc.metadefs_tag.create(args.namespace, _tag_name(args.name)))
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_("Name of the namespace the tags will belong to."))
@arg("--names", metavar="<NAMES>", required=True, help=_("A comma separated list of tag names."))
@arg(
    "--delim",
    metavar="<DELIM>",
    help=_(
        "The delimiter used to separate the names (if none is provided "
        "then the default is a comma)."
    ),
)
@arg(
    "--append",
    action="store_true",
    help=_("Append the new tags to the existing ones instead of overwriting them."),
)
@arg(formats.add_options)
def do_md_tag_create_multiple(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Create new metadata definitions tags inside a namespace."""
    names = [n.strip() for n in args.names.split(args.delim or ",") if n.strip()]
    if not names:
        raise exc.CommandError(_("Please supply at least one tag name. For example: --names Tag1"))
    tags = gc.metadefs_tag.create_multiple(args.namespace, tags=names, append=args.append)
    output.print_list(([t.get("name")] for t in tags), ("name",))
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_("Name of the namespace to which the tag belongs."))
@arg("tag", metavar="<TAG>", help=_("Name of the old tag."))
@arg("--name", metavar="<NAME>", required=True, help=_("New name of the new tag."))
@arg(formats.add_options)
def do_md_tag_update(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Rename a metadata definitions tag inside a namespace."""
    tag = gc.metadefs_tag.update(args.namespace, args.tag, name=_tag_name(args.name))
    show(tag)
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_("Name of the namespace to which the tag belongs."))
@arg("tag", metavar="<TAG>", help=_("Name of the tag."))
@arg(formats.add_options)
def do_md_tag_show(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Describe a specific metadata definitions tag inside a namespace."""
    show(gc.metadefs_tag.get(args.namespace, args.tag))
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_("Name of the namespace to which the tag belongs."))
@arg("tag", metavar="<TAG>", help=_("Name of the tag."))
def do_md_tag_delete(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Delete a specific metadata definitions tag inside a namespace."""
    gc.metadefs_tag.delete(args.namespace, args.tag)
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_NAMESPACE)
def do_md_namespace_tags_delete(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Delete all metadata definitions tags inside a specific namespace."""
    gc.metadefs_tag.delete_all(args.namespace)
    return 0


@arg("namespace", metavar="<NAMESPACE>", help=_NAMESPACE)
@arg(formats.add_options)
def do_md_tag_list(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """List metadata definitions tags inside a specific namespace."""
    output.print_list(([t.get("name")] for t in gc.metadefs_tag.list(args.namespace)), ("name",))
    return 0
