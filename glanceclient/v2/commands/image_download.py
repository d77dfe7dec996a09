"""``glance image-download``: image data to a file or to stdout, its hash
checked; with ``--from-cache``, from a node that caches the image, a line
on stderr saying where the data came from. Where a download is written,
and how, is :mod:`glanceclient.cli.destination`'s.
"""

from __future__ import annotations

import argparse
import collections.abc
import functools
import sys
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.cli import destination
from glanceclient.cli import fleet as cli_fleet
from glanceclient.cli import messages
from glanceclient.cli import progress as progress_bar
from glanceclient.cli import schema_options
from glanceclient.cli.args import arg
from glanceclient.cli.args import usage_check
from glanceclient.common import models
from glanceclient.common import results
from glanceclient.v2.commands import common

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

_IMAGE = _("Name or ID of the image.")


def download_usage(args: argparse.Namespace) -> str | None:
    """Read ``--from-cache <image>`` as ``--from-cache`` and the image; say
    what is wrong with an ``image-download`` command line, if anything.

    ``--from-cache`` takes an optional URL, so argparse gives it the image
    when the image comes right after it.
    """
    if args.image is None and isinstance(args.from_cache, str) and "://" not in args.from_cache:
        args.image, args.from_cache = args.from_cache, True
    if args.image is None:
        return _("the following arguments are required: <IMAGE_ID>")
    if isinstance(args.from_cache, str):
        try:
            cli_fleet.node_argument(args.from_cache)
        except argparse.ArgumentTypeError as e:
            return _("argument --from-cache: %(error)s") % {"error": e}
    return None


@arg(
    "--allow-md5-fallback",
    action="store_true",
    default=None,
    help=_(
        "If the image's multihash cannot be checked here, check its MD5 checksum "
        "instead (env OS_IMAGE_ALLOW_MD5_FALLBACK)."
    ),
)
@arg(
    "--file",
    metavar="<FILE>",
    help=_("Local file to save downloaded image data to; without it, data goes to stdout."),
)
@arg("--progress", action="store_true", help=_("Show download progress bar."))
@arg(
    "--prefer",
    metavar="<STORES>",
    help=_("Comma-separated stores to download from first, in order."),
)
@arg(
    "--from-cache",
    metavar="<node URL>",
    nargs="?",
    const=True,
    default=False,
    help=_(
        "Download from a Glance node that has the image in its cache (the nodes "
        "list names them; the live ones are tried by preference, then latency), "
        "or from the node given first. Falls back to the regular endpoint, "
        "saying why on stderr."
    ),
)
@arg(
    "--prefer-node",
    metavar="<URL>",
    action="append",
    type=cli_fleet.node_argument,
    help=_("With --from-cache: try this node first when it caches the image (repeatable)."),
)
@arg(functools.partial(cli_fleet.add_probe_timeout, when=_("With --from-cache")))
@arg("image", metavar="<IMAGE_ID>", nargs="?", help=_IMAGE)
@usage_check(download_usage)
def do_image_download(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Download a specific image, checking its hash."""
    if not args.file and sys.stdout.isatty():
        raise exc.CommandError(
            _("Refusing to write image data to a terminal: use --file or redirect stdout.")
        )
    if not args.allow_md5_fallback:
        common.from_environment(args, allow_md5_fallback="OS_IMAGE_ALLOW_MD5_FALLBACK")
        args.allow_md5_fallback = schema_options.boolean(args.allow_md5_fallback or "false")
    image_id = gc.images.find_id(args.image)
    prefer = [s.strip() for s in args.prefer.split(",") if s.strip()] if args.prefer else None
    body = gc.images.data(
        image_id,
        allow_md5_fallback=args.allow_md5_fallback,
        prefer=prefer,
        from_cache=args.from_cache,
        prefer_nodes=args.prefer_node,
        probe_timeout=args.probe_timeout,
    )
    if isinstance(body, results.Empty):
        raise exc.CommandError(_("Image %(id)s has no data.") % {"id": image_id})
    chunks: collections.abc.Iterable[bytes] = body
    bar = progress_bar.ProgressBar(None)
    if args.progress:
        # Glance streams without a Content-Length: the image says its size.
        total = len(body) or models.byte_count(gc.images.get(image_id).get("size"))
        bar = progress_bar.ProgressBar(total)
        chunks = progress_bar.iterate(body, bar)
    with bar:  # an error is printed on a line of its own
        if args.file:
            destination.write(chunks, args.file)
        else:
            sys.stdout.flush()
            destination.copy(chunks, sys.stdout.buffer, "stdout")
    if args.from_cache is not False or args.prefer_node:
        messages.note(served_by(body))
    return 0


def served_by(body: results.Download) -> str:
    """The line that says where a download's data came from."""
    if body.fallback_reason:
        return _("Image data came from the regular endpoint %(url)s: %(reason)s.") % {
            "url": body.served_by,
            "reason": body.fallback_reason,
        }
    text = ""
    for index, part in enumerate(body.sources):
        if part.node is not None:
            where = _("the cache of node %(node)s") % {"node": part.node}
            if part.url != part.node.rstrip("/"):
                where += " (%s)" % part.url
        else:
            where = _("the regular endpoint %(url)s") % {"url": part.url}
        if index == 0:
            text = _("Image data came from %(where)s") % {"where": where}
        else:
            failed = body.sources[index - 1]
            text += _(
                ", then from %(where)s from byte %(offset)d on, after %(url)s failed (%(error)s)"
            ) % {
                "where": where,
                "offset": part.offset,
                "url": failed.url,
                "error": failed.error,
            }
    return text + "."
