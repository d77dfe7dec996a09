"""The ``glance`` commands on the stores of a multi-store cloud."""

from __future__ import annotations

import argparse
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.cli import formats
from glanceclient.cli import options
from glanceclient.cli import output
from glanceclient.cli.args import arg

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client


@arg(
    "--detail",
    action="store_true",
    help=_("Show the details of each store (admin only)."),
)
@arg(formats.add_options)
def do_stores_info(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Print the stores the cloud offers."""
    try:
        info = gc.images.get_stores_info_detail() if args.detail else gc.images.get_stores_info()
    except exc.HTTPNotFound:
        raise exc.CommandError(_("Multi Backend support is not enabled.")) from None
    output.print_properties(info, max_width=options.DEFAULT_MAX_WIDTH)
    return 0


@arg("--store", metavar="<STORE_ID>", required=True, help=_("Store to delete the image from."))
@arg("image", metavar="<IMAGE_ID>", help=_("Name or ID of the image."))
def do_stores_delete(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Delete an image's data from one store (the image stays in the others)."""
    gc.images.delete_from_store(args.store, gc.images.find_id(args.image))
    return 0
