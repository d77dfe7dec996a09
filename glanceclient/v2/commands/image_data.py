"""The ``glance`` commands that send image data: upload, stage, import
(what they share with ``image-create`` is in
:mod:`glanceclient.v2.commands.uploading`; ``image-download`` has a module
of its own).
"""

from __future__ import annotations

import argparse
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.cli import formats
from glanceclient.cli.args import arg
from glanceclient.v2.commands import common
from glanceclient.v2.commands import uploading

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

_IMAGE = _("Name or ID of the image.")

#: The status each import method needs the image in.
IMPORT_STATUS = {"glance-direct": "uploading", "web-download": "queued", "copy-image": "active"}


@arg("--file", metavar="<FILE>", help=_("Local file that contains the image data to upload."))
@uploading.SIZE
@uploading.UPLOAD_PROGRESS
@uploading.STORE
@arg("image", metavar="<IMAGE_ID>", help=_IMAGE)
def do_image_upload(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Upload data for a specific image (from --file, or from stdin)."""
    common.from_environment(args, store="OS_IMAGE_STORE")
    image_id = gc.images.find_id(args.image)
    data = uploading.open_data(args.file, args.size)
    if data is None:
        raise exc.CommandError(_("No image data: give --file, or pipe the data to stdin."))
    with uploading.closing(data):
        if args.store:
            uploading.check_stores(gc, [args.store])
        uploading.upload(gc, image_id, data, args.progress, store=args.store)
    return 0


@arg("--file", metavar="<FILE>", help=_("Local file that contains the image data to stage."))
@uploading.SIZE
@uploading.UPLOAD_PROGRESS
@arg("image", metavar="<IMAGE_ID>", help=_IMAGE)
def do_image_stage(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Upload data for a specific image to the staging area (glance-direct)."""
    image_id = gc.images.find_id(args.image)
    data = uploading.open_data(args.file, args.size)
    if data is None:
        raise exc.CommandError(_("No image data: give --file, or pipe the data to stdin."))
    with uploading.closing(data):
        uploading.stage(gc, image_id, data, args.progress)
    return 0


@uploading.import_options(default_method="glance-direct")
@arg("image", metavar="<IMAGE_ID>", help=_IMAGE)
@arg(formats.add_options)
def do_image_import(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Import data into an image with the interoperable image import."""
    uploading.import_settings(args, "glance-direct")
    image_id = gc.images.find_id(args.image)
    method = args.import_method
    uploading.check_import(gc, args, method, has_data=None)
    image = gc.images.get(image_id)
    if not (image.get("container_format") and image.get("disk_format")):
        raise exc.CommandError(
            _("Set the container_format and disk_format of image %(id)s before importing it.")
            % {"id": image_id}
        )
    needed = IMPORT_STATUS.get(method)
    if needed and image.get("status") != needed:
        raise exc.CommandError(
            _(
                "The %(method)s import method needs the image in status %(needed)s; "
                "image %(id)s is %(status)s."
            )
            % {"method": method, "needed": needed, "id": image_id, "status": image.get("status")}
        )
    uploading.start_import(gc, image_id, args, method)
    return uploading.finish_import(gc, image_id, args)
