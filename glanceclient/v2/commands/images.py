"""The ``glance`` image commands: create, update, list, show, delete,
(de)activate, and the tasks of an image."""

from __future__ import annotations

import argparse
import typing as ty

from glanceclient import exc
from glanceclient import vocabulary
from glanceclient._i18n import _
from glanceclient.cli import formats
from glanceclient.cli import messages
from glanceclient.cli import options
from glanceclient.cli import output
from glanceclient.cli import schema_options
from glanceclient.cli.args import arg
from glanceclient.v2.commands import common
from glanceclient.v2.commands import uploading

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

LIST_COLUMNS = ("ID", "Name")
VERBOSE_COLUMNS = ("Disk_format", "Container_format", "Size", "Status", "Owner")
TASK_COLUMNS = ("Message", "Status", "Updated at")
#: With --verbose, upstream's order: these two first, then TASK_COLUMNS,
#: then VERBOSE_TASK_COLUMNS.
VERBOSE_TASK_IDS = ("Image Id", "Task Id")
VERBOSE_TASK_COLUMNS = ("User Id", "Request Id", "Result", "Owner", "Input", "Expires at")

_IMAGE = _("Name or ID of the image.")


def _optional_bool(flag: str, text: str) -> ty.Callable[[argparse.ArgumentParser], None]:
    """``--flag [True|False]``: alone it means True."""

    def add(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            flag,
            nargs="?",
            const=True,
            default=None,
            type=schema_options.boolean,
            metavar="[True|False]",
            help=text,
        )

    return add


PROPERTY = arg(
    "--property",
    metavar="<key=value>",
    action="append",
    default=[],
    help=_("Arbitrary property to associate with image. May be used multiple times."),
)


def _fields(args: argparse.Namespace) -> dict[str, ty.Any]:
    """The image properties the options give: schema options, then --property."""
    fields = schema_options.given(args)
    for key, value in common.key_values(args.property, "--property").items():
        fields.setdefault(key, value)
    return fields


def require_formats(fields: dict[str, ty.Any], option: str) -> None:
    """Image data needs both formats: say which are missing.

    :raises glanceclient.exc.CommandError: a format is missing.
    """
    missing = [
        "--" + name.replace("_", "-")
        for name in ("container_format", "disk_format")
        if not fields.get(name)
    ]
    if missing:
        raise exc.CommandError(
            _("Must provide %(options)s when using %(source)s.")
            % {"options": ", ".join(missing), "source": option}
        )


@arg(schema_options.options())
@PROPERTY
@arg(
    "--file",
    metavar="<FILE>",
    help=_(
        "Local file that contains the image data to upload; without it, "
        "data is read from stdin when stdin is a pipe or a file."
    ),
)
@uploading.SIZE
@uploading.UPLOAD_PROGRESS
@uploading.STORE
@arg(formats.add_options)
def do_image_create(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Create a new image, and upload its data if some is given."""
    common.from_environment(args, store="OS_IMAGE_STORE")
    fields = _fields(args)
    data = uploading.open_data(args.file, args.size)
    if data is None:
        if args.store:
            raise exc.CommandError(
                _("--store needs image data: give --file, or pipe the data to stdin.")
            )
    else:
        require_formats(fields, data.option)
        if args.store:
            uploading.check_stores(gc, [args.store])
    with uploading.closing(data):
        image = gc.images.create(**fields)
        if data is not None:
            uploading.upload(gc, image["id"], data, args.progress, store=args.store, created=True)
            image = gc.images.get(image["id"])
    schema_options.save_fetched(gc)
    common.print_image(image)
    return 0


@arg(schema_options.options())
@PROPERTY
@arg(
    "--file",
    metavar="<FILE>",
    help=_("Local file that contains the image data to stage (glance-direct)."),
)
@uploading.SIZE
@uploading.UPLOAD_PROGRESS
@uploading.import_options(default_method=None)
@arg(formats.add_options)
def do_image_create_via_import(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Create an image and import its data with the interoperable import.

    With data (--file or stdin) the method defaults to glance-direct: the
    data is staged, then imported.
    """
    fields = _fields(args)
    data = uploading.open_data(args.file, args.size)
    with uploading.closing(data):
        uploading.import_settings(args, "glance-direct" if data is not None else None)
        method = args.import_method
        if method == "copy-image":
            raise exc.CommandError(
                _("The copy-image method copies an existing image: use image-import.")
            )
        if method is None:
            if args.uri or args.stores or args.all_stores or args.store or args.wait:
                raise exc.CommandError(_("Give --import-method to import."))
        else:
            uploading.check_import(gc, args, method, has_data=data is not None)
        if data is not None:
            require_formats(fields, data.option)
        image = gc.images.create(**fields)
        image_id = image["id"]
        if method is not None:
            if data is not None:
                uploading.stage(gc, image_id, data, args.progress, created=True)
            uploading.start_import(gc, image_id, args, method)
    schema_options.save_fetched(gc)
    if method is not None:
        return uploading.finish_import(gc, image_id, args)
    common.print_image(image)
    return 0


@arg(schema_options.options(omit=("id", "tags")))
@PROPERTY
@arg(
    "--remove-property",
    metavar="<key>",
    action="append",
    default=[],
    help=_("Name of arbitrary property to remove from the image."),
)
@arg("image", metavar="<IMAGE_ID>", help=_IMAGE)
@arg(formats.add_options)
def do_image_update(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Update an existing image."""
    image_id = gc.images.find_id(args.image)
    fields = _fields(args)
    image = gc.images.update(image_id, args.remove_property or None, **fields)
    if fields:  # the client fetched the schema to check them
        schema_options.save_fetched(gc)
    common.print_image(image)
    return 0


@arg("--limit", metavar="<LIMIT>", type=int, help=_("Maximum number of images to get."))
@arg(
    "--page-size",
    metavar="<SIZE>",
    type=int,
    help=_("Number of images to request in each paginated request."),
)
@arg(
    "--visibility",
    metavar="<VISIBILITY>",
    help=_("The visibility of the images to display."),
)
@arg(
    "--member-status",
    metavar="<MEMBER_STATUS>",
    help=_("The status of images to display."),
)
@arg("--owner", metavar="<OWNER>", help=_("Display images owned by <OWNER>."))
@arg(
    "--property-filter",
    metavar="<KEY=VALUE>",
    action="append",
    default=[],
    help=_("Filter images by a user-defined image property."),
)
@arg("--checksum", metavar="<CHECKSUM>", help=_("Displays images that match the MD5 checksum."))
@arg(
    "--hash",
    dest="os_hash_value",
    metavar="<HASH_VALUE>",
    help=_("Displays images that match the specified hash value."),
)
@arg(
    "--tag",
    metavar="<TAG>",
    action="append",
    default=[],
    help=_("Filter images by a user-defined tag."),
)
@arg(
    "--sort-key",
    choices=vocabulary.IMAGE_SORT_KEY_VALUES,
    action="append",
    default=[],
    help=_("Sort image list by specified fields. May be used multiple times."),
)
@arg(
    "--sort-dir",
    choices=vocabulary.SORT_DIR_VALUES,
    action="append",
    default=[],
    help=_("Sort image list in specified directions."),
)
@arg(
    "--sort",
    metavar="<key>[:<direction>]",
    help=_(
        "Comma-separated list of sort keys and directions in the form of "
        "<key>[:<asc|desc>]. Valid keys: %(keys)s. Not with --sort-key or --sort-dir."
    )
    % {"keys": ", ".join(vocabulary.IMAGE_SORT_KEY_VALUES)},
)
@arg(_optional_bool("--hidden", _("Filter images by their os_hidden property.")))
@arg(_optional_bool("--include-stores", _("Print the stores of each image (a Stores column).")))
@arg(formats.add_options)
def do_image_list(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """List images you can access."""
    if args.sort and (args.sort_key or args.sort_dir):
        raise exc.CommandError(_("--sort cannot be used with --sort-key or --sort-dir."))
    filters: dict[str, ty.Any] = {
        key: getattr(args, key)
        for key in ("visibility", "member_status", "owner", "checksum", "os_hash_value")
        if getattr(args, key)
    }
    if args.tag:
        filters["tag"] = args.tag
    if args.hidden is not None:
        filters["os_hidden"] = args.hidden
    filters.update(common.key_values(args.property_filter, "--property-filter"))
    kwargs: dict[str, ty.Any] = {"filters": filters}
    if args.limit is not None:
        kwargs["limit"] = args.limit
    if args.page_size is not None:
        kwargs["page_size"] = args.page_size
    if args.sort:
        kwargs["sort"] = args.sort
    else:
        kwargs["sort_key"] = args.sort_key or ["name"]
        kwargs["sort_dir"] = args.sort_dir or ["asc"]
    columns = LIST_COLUMNS + (VERBOSE_COLUMNS if args.verbose else ())
    if args.include_stores:
        columns += ("Stores",)
    output.print_list(output.field_rows(gc.images.list(**kwargs), columns), columns)
    return 0


@arg(
    "--human-readable", action="store_true", help=_("Print image size in a human-friendly format.")
)
@options.MAX_COLUMN_WIDTH
@arg("image", metavar="<IMAGE_ID>", help=_IMAGE)
@arg(formats.add_options)
def do_image_show(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Describe a specific image."""
    image = gc.images.get(gc.images.find_id(args.image))
    common.print_image(image, human_readable=args.human_readable, max_width=args.max_column_width)
    return 0


@arg("images", metavar="<IMAGE_ID>", nargs="+", help=_("Name or ID of image(s) to delete."))
def do_image_delete(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Delete specified image(s); go on past the ones that fail."""
    status = 0
    for image in args.images:
        try:
            gc.images.delete(gc.images.find_id(image))
        except (exc.CommunicationError, exc.HTTPUnauthorized):
            raise  # Every other image would fail the same way.
        except exc.ClientException as e:
            messages.error(
                _("Unable to delete image %(image)s: %(error)s") % {"image": image, "error": e}
            )
            status = 1
    return status


@arg("image", metavar="<IMAGE_ID>", help=_IMAGE)
def do_image_deactivate(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Deactivate specified image."""
    gc.images.deactivate(gc.images.find_id(args.image))
    return 0


@arg("image", metavar="<IMAGE_ID>", help=_IMAGE)
def do_image_reactivate(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Reactivate specified image."""
    gc.images.reactivate(gc.images.find_id(args.image))
    return 0


@arg("image", metavar="<IMAGE_ID>", help=_IMAGE)
@arg(formats.add_options)
def do_image_tasks(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Get the tasks associated with an image (Image API 2.12)."""
    answer = gc.images.get_associated_image_tasks(gc.images.find_id(args.image))
    columns = (
        VERBOSE_TASK_IDS + TASK_COLUMNS + VERBOSE_TASK_COLUMNS if args.verbose else TASK_COLUMNS
    )
    # Glance names a task's id "id"; the Task Id column shows it.
    tasks = ({**task, "task_id": task.get("id")} for task in answer.get("tasks") or ())
    rows = output.field_rows(tasks, columns)
    output.print_list(rows, [formats.Column(c, show=output.cell) for c in columns])
    return 0
