"""The ``glance`` commands on the locations of an image's data.

``location-add``, ``-delete`` and ``-update`` patch the image's
``locations`` (the server must have ``show_multiple_locations``);
``add-location`` uses the locations API of Image API 2.17.
"""

from __future__ import annotations

import argparse
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.cli import formats
from glanceclient.cli import messages
from glanceclient.cli.args import arg
from glanceclient.v2.commands import common

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

_IMAGE = _("Name or ID of the image.")

#: The hash algorithms add-location accepts.
HASH_ALGORITHMS = ("sha512", "sha256", "sha1", "md5")
VALIDATION_KEYS = frozenset({"os_hash_algo", "os_hash_value"})


@arg("--url", metavar="<URL>", required=True, help=_("URL of location to add."))
@arg(
    "--metadata",
    metavar="<STRING>",
    default="{}",
    help=_("Metadata associated with the location, as a JSON object (default {})."),
)
@arg("--checksum", metavar="<STRING>", help=_("MD5 checksum of the image data at the location."))
@arg("--hash-algo", metavar="<STRING>", help=_("Hash algorithm of --hash-value (os_hash_algo)."))
@arg("--hash-value", metavar="<STRING>", help=_("Hash of the image data at the location."))
@arg("image", metavar="<IMAGE_ID>", help=_IMAGE)
@arg(formats.add_options)
def do_location_add(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Add a location (and related metadata) to an image."""
    metadata = common.json_object(args.metadata, "--metadata")
    image_id = gc.images.find_id(args.image)
    validation = {
        key: value
        for key, value in (
            ("checksum", args.checksum),
            ("os_hash_algo", args.hash_algo),
            ("os_hash_value", args.hash_value),
        )
        if value
    }
    image = gc.images.add_location(image_id, args.url, metadata, validation_data=validation or None)
    common.print_image(image)
    return 0


@arg(
    "--url",
    metavar="<URL>",
    action="append",
    required=True,
    help=_("URL of location to remove. May be used multiple times."),
)
@arg("image", metavar="<IMAGE_ID>", help=_IMAGE)
def do_location_delete(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Remove locations (and related metadata) from an image."""
    gc.images.delete_locations(gc.images.find_id(args.image), set(args.url))
    return 0


@arg("--url", metavar="<URL>", required=True, help=_("URL of location to update."))
@arg(
    "--metadata",
    metavar="<STRING>",
    default="{}",
    help=_("Metadata associated with the location, as a JSON object (default {})."),
)
@arg("image", metavar="<IMAGE_ID>", help=_IMAGE)
@arg(formats.add_options)
def do_location_update(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Update the metadata of an image's location."""
    metadata = common.json_object(args.metadata, "--metadata")
    if not metadata:
        messages.warning(_("the location's metadata is set to {} (empty)."))
    image = gc.images.update_location(gc.images.find_id(args.image), args.url, metadata)
    common.print_image(image)
    return 0


@arg("--url", metavar="<URL>", required=True, help=_("URL of the location to add."))
@arg(
    "--validation-data",
    metavar="<VALIDATION_DATA>",
    default="{}",
    help=_(
        "Hash of the data at the location, as a JSON object with os_hash_algo "
        "(%(algos)s) and os_hash_value (default {})."
    )
    % {"algos": ", ".join(HASH_ALGORITHMS)},
)
@arg("image", metavar="<IMAGE_ID>", help=_IMAGE)
@arg(formats.add_options)
def do_add_location(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Add a location to an image with the locations API (Image API 2.17)."""
    validation = common.json_object(args.validation_data, "--validation-data")
    unknown = sorted(set(validation) - VALIDATION_KEYS)
    if unknown:
        raise exc.CommandError(
            _("--validation-data takes only os_hash_algo and os_hash_value, not %(keys)s.")
            % {"keys": ", ".join(unknown)}
        )
    algo = validation.get("os_hash_algo")
    if algo is not None and algo not in HASH_ALGORITHMS:
        raise exc.CommandError(
            _("os_hash_algo must be one of %(algos)s, not %(algo)r.")
            % {"algos": ", ".join(HASH_ALGORITHMS), "algo": algo}
        )
    image = gc.images.add_image_location(
        gc.images.find_id(args.image), args.url, validation_data=validation
    )
    common.print_image(image)
    return 0
