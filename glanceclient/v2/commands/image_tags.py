"""The ``glance`` commands on the tags of an image."""

from __future__ import annotations

import argparse
import typing as ty

from glanceclient._i18n import _
from glanceclient.cli import formats
from glanceclient.cli import output
from glanceclient.cli.args import arg

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

_IMAGE = _("Name or ID of the image.")


@arg("image", metavar="<IMAGE_ID>", help=_IMAGE)
@arg("tag", metavar="<TAG_VALUE>", help=_("Value of the tag."))
@arg(formats.add_options)
def do_image_tag_update(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Add a tag to an image; print the image's tags."""
    image_id = gc.images.find_id(args.image)
    gc.image_tags.update(image_id, args.tag)
    image = gc.images.get(image_id)
    output.print_list(
        [(image["id"], image.get("tags") or [])], ("ID", formats.Column("Tags", show=output.cell))
    )
    return 0


@arg("image", metavar="<IMAGE_ID>", help=_IMAGE)
@arg("tag", metavar="<TAG_VALUE>", help=_("Value of the tag."))
def do_image_tag_delete(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Delete the tag associated with the given image."""
    gc.image_tags.delete(gc.images.find_id(args.image), args.tag)
    return 0
