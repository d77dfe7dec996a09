"""``glance cache-report`` and ``glance cache-orphans``: what the caches of
many nodes hold, and the entries whose image no longer exists.

Both ask each node (``--all-nodes``: every inventory node; ``--node``: the
named ones) for its ``GET /v2/cache``; the library sums the answers
(:mod:`glanceclient.v2.cache_report`, :mod:`glanceclient.v2.cache_orphans`)
and :mod:`glanceclient.cli.reports` lays them out.
"""

from __future__ import annotations

import argparse
import functools
import typing as ty

from glanceclient._i18n import _
from glanceclient.cli import fleet as cli_fleet
from glanceclient.cli import formats
from glanceclient.cli import messages
from glanceclient.cli import output
from glanceclient.cli import reports
from glanceclient.cli.args import arg

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client
    from glanceclient.v2 import fleet


def _mapped(gc: v2_client.Client, args: argparse.Namespace) -> bool:
    return bool(getattr(args, "debug", False) and gc.fleet.url_map)


def _print(table: cli_fleet.Table) -> None:
    output.print_list(table.rows, table.columns)


def _verbose(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "debug", False))


@arg(reports.add_where_options)
@arg(
    "--by-image",
    action="store_true",
    help=_("One row per cached image: its name, size, how many nodes and which cache it, hits."),
)
@arg("--human-readable", action="store_true", help=_("Show sizes as KiB, MiB, GiB."))
@arg(formats.add_options)
def do_cache_report(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Report what the caches of many nodes hold.

    One row per node (cached images, their bytes and hits, queued images,
    the newest access, and the fill level where the inventory gives the
    node's cache_max_size), then a totals row. With --by-image, one row per
    cached image instead. A node that does not answer fails its own row
    (with --by-image, it is named on standard error); the exit status is
    then 1. With --skip-unreachable, the nodes that do not answer a probe
    are not asked: their rows say "skipped: unreachable", the totals count
    them apart and add nothing of theirs, and they fail nothing. Ctrl-C
    prints the rows of the nodes that answered (the others interrupted)
    and exits 130.
    """
    results, stopped = _listings(gc, args)
    if not args.by_image:
        _print(
            reports.report_table(
                gc,
                results,
                mapped=_mapped(gc, args),
                verbose=_verbose(args),
                human_readable=args.human_readable,
            )
        )
        return cli_fleet.ended(results, stopped=stopped)
    _print(reports.image_table(gc, results, human_readable=args.human_readable))
    failed = reports.unlisted(results, cli_fleet.FAILED)
    if failed:
        messages.error(_("No answer from: %(nodes)s") % {"nodes": "; ".join(failed)})
    left_out = reports.unlisted(results, cli_fleet.SKIPPED, cli_fleet.INTERRUPTED)
    if left_out:
        messages.warning(_("Not in the report: %(nodes)s") % {"nodes": "; ".join(left_out)})
    return cli_fleet.ended(results, stopped=stopped)


@arg(reports.add_where_options)
@arg(
    "--delete",
    action="store_true",
    help=_("Evict the orphans found from their nodes' caches and queues."),
)
@arg(formats.add_options)
def do_cache_orphans(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """List cache entries whose image no longer exists, on many nodes.

    Deleting an image evicts it only on the node that took the request;
    the other nodes keep their copy. This lists each node's cached and
    queued entries whose image the endpoint answers 404 for; --delete
    evicts exactly those. If an image cannot be looked up (403, 5xx),
    nothing is listed or evicted. With --skip-unreachable, the nodes that
    do not answer a probe are neither asked nor evicted from (their rows
    say "skipped: unreachable"). Ctrl-C stops the run: nothing more is
    evicted, the rows of what ended are printed, the exit status is 130.
    """
    results, stopped = _listings(gc, args)
    table, outcomes, stopped = reports.orphans_table(
        gc,
        results,
        delete=args.delete,
        stopped=stopped,
        max_parallel=args.max_parallel,
        timeout=args.node_timeout,
        mapped=_mapped(gc, args),
        verbose=_verbose(args),
    )
    _print(table)
    return cli_fleet.ended(outcomes, stopped=stopped)


def _listings(
    gc: v2_client.Client, args: argparse.Namespace
) -> tuple[list[fleet.NodeResult], bool]:
    """Each chosen node's cache listing (a progress line on a terminal),
    and whether Ctrl-C interrupted them."""
    nodes = reports.nodes(gc, args)
    return cli_fleet.fan_out(args, functools.partial(gc.cache_report.listings, nodes))
