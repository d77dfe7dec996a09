"""The ``glance`` commands of the image-cache API, one ``do_<name>`` each.

Each function takes the v2 client and the parsed arguments, prints its
result, and returns the exit status. ``cache-nodes-list`` answers for the
whole deployment; every other command acts on the one node that receives
the request (aim it with ``--os-image-url``).
"""

from __future__ import annotations

import argparse
import collections.abc
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.common import utils
from glanceclient.common.utils import arg

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

PER_NODE = _(
    "This acts on the Glance API node that receives the request; use "
    "--os-image-url to choose the node."
)
NODES_COLUMN = "Node Reference URL"
CACHE_COLUMNS = ("ID", "State", "Last Accessed (UTC)", "Last Modified (UTC)", "Size", "Hits")


@arg("image", metavar="<image>", help=_("Name or ID of the image."))
def do_cache_nodes_list(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """List the Glance API nodes that have an image in their cache.

    One row per node reference URL, sorted; empty when the image is cached
    nowhere. Nodes are listed from the shared database, alive or not.
    """
    image_id = gc.images.find_id(args.image)
    nodes = gc.cache.list_nodes(image_id)
    utils.print_list(([node] for node in sorted(nodes)), (NODES_COLUMN,))
    return 0


@arg("--human-readable", action="store_true", help=_("Show sizes as KiB, MiB, GiB."))
def do_cache_list(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """List the images cached or queued for caching on one node."""
    listing = gc.cache.list()
    size = utils.format_size if args.human_readable else _plain
    rows: list[tuple[ty.Any, ...]] = [
        (
            image["image_id"],
            "cached",
            utils.format_timestamp(image.get("last_accessed")),
            utils.format_timestamp(image.get("last_modified")),
            size(image.get("size")),
            image.get("hits", "-"),
        )
        for image in listing["cached_images"]
    ]
    rows += [(image_id, "queued", "-", "-", "-", "-") for image_id in listing["queued_images"]]
    utils.print_list(rows, CACHE_COLUMNS)
    return 0


@arg("images", metavar="<image>", nargs="+", help=_("Name or ID of an image to queue."))
def do_cache_queue(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Queue images for caching on one node."""
    return _for_each_image(gc, args.images, gc.cache.queue, _("queue"))


@arg("images", metavar="<image>", nargs="+", help=_("Name or ID of an image to delete."))
def do_cache_delete(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Delete images from the cache of one node."""
    return _for_each_image(gc, args.images, gc.cache.delete, _("delete from the cache"))


@arg(
    "--target",
    choices=("both", "cache", "queue"),
    default="both",
    help=_("What to empty: the cache, the queue, or both (the default)."),
)
def do_cache_clear(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Empty the cache, the queue, or both, of one node."""
    gc.cache.clear(args.target)
    return 0


def do_cache_clean(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Remove invalid and stalled files from the cache of one node."""
    gc.cache.clean()
    return 0


def do_cache_prune(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Shrink the cache of one node below its size limit; print what went."""
    utils.print_dict(gc.cache.prune())
    return 0


#: The commands whose help says that they act on one node.
PER_NODE_COMMANDS = (
    do_cache_list,
    do_cache_queue,
    do_cache_delete,
    do_cache_clear,
    do_cache_clean,
    do_cache_prune,
)


#: Errors that no other image would escape: stop at the first.
NODE_WIDE_ERRORS = (
    exc.VersionNotSupported,
    exc.CommunicationError,
    exc.EndpointNotFound,
    exc.AuthenticationError,
    exc.HTTPUnauthorized,
    exc.HTTPForbidden,
)


def _plain(value: object) -> object:
    return "-" if value is None else value


def _for_each_image(
    gc: v2_client.Client,
    images: collections.abc.Sequence[str],
    action: collections.abc.Callable[[str], None],
    verb: str,
) -> int:
    """Apply ``action`` to every image; report each failure; go on."""
    status = 0
    for image in images:
        try:
            action(gc.images.find_id(image))
        except NODE_WIDE_ERRORS:
            raise  # The node would answer the same for every image.
        except exc.ClientException as e:
            utils.print_error(
                _("Unable to %(verb)s image %(image)s: %(error)s")
                % {"verb": verb, "image": image, "error": e}
            )
            status = 1
    return status
