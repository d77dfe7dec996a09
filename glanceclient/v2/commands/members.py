"""The ``glance`` commands on the members of a shared image."""

from __future__ import annotations

import argparse
import typing as ty

from glanceclient import vocabulary
from glanceclient._i18n import _
from glanceclient.cli import formats
from glanceclient.cli import output
from glanceclient.cli.args import arg
from glanceclient.v2.commands import common

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

COLUMNS = ("Image ID", "Member ID", "Status")

_IMAGE = _("Name or ID of the image.")
_MEMBER = _("Project ID of the member.")


def _print_members(members: ty.Iterable[ty.Mapping[str, ty.Any]]) -> None:
    output.print_list(
        ((m.get("image_id"), m.get("member_id"), m.get("status")) for m in members), COLUMNS
    )


@arg("--image-id", metavar="<IMAGE_ID>", required=True, help=_IMAGE)
@arg(formats.add_options)
def do_member_list(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Describe sharing permissions by image."""
    _print_members(gc.image_members.list(gc.images.find_id(args.image_id)))
    return 0


@arg("image", metavar="<IMAGE_ID>", help=_IMAGE)
@arg("member", metavar="<MEMBER_ID>", help=_MEMBER)
@arg(formats.add_options)
def do_member_get(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Show the membership of one project in an image."""
    member = gc.image_members.get(gc.images.find_id(args.image), args.member)
    output.print_properties(member, hidden=common.HIDDEN_FIELDS)
    return 0


@arg("image", metavar="<IMAGE_ID>", help=_IMAGE)
@arg("member", metavar="<MEMBER_ID>", help=_MEMBER)
@arg(formats.add_options)
def do_member_create(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Create member for a given image."""
    _print_members([gc.image_members.create(gc.images.find_id(args.image), args.member)])
    return 0


@arg("image", metavar="<IMAGE_ID>", help=_IMAGE)
@arg("member", metavar="<MEMBER_ID>", help=_MEMBER)
@arg(
    "status",
    metavar="<MEMBER_STATUS>",
    choices=vocabulary.MEMBER_STATUS_VALUES,
    help=_("Status of the member: %(choices)s."),
)
@arg(formats.add_options)
def do_member_update(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Update the status of a member for a given image."""
    member = gc.image_members.update(gc.images.find_id(args.image), args.member, args.status)
    _print_members([member])
    return 0


@arg("image", metavar="<IMAGE_ID>", help=_IMAGE)
@arg("member", metavar="<MEMBER_ID>", help=_MEMBER)
def do_member_delete(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Delete image member."""
    gc.image_members.delete(gc.images.find_id(args.image), args.member)
    return 0
