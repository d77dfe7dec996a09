"""The cache report and the orphans as tables, for ``glance`` and
``openstack`` alike.

The library sums the nodes' listings (:mod:`glanceclient.v2.cache_report`,
:mod:`glanceclient.v2.cache_orphans`); here they become rows of a command
run on several nodes (:func:`glanceclient.cli.fleet.results_table`), with
the cells keeping their values: counts and sizes stay numbers, a missing
value is None, and each front end shows them its own way.
"""

from __future__ import annotations

import argparse
import collections.abc
import typing as ty

from glanceclient._i18n import _
from glanceclient.cli import fleet as cli_fleet
from glanceclient.cli import formats
from glanceclient.cli import options
from glanceclient.cli import output
from glanceclient.v2 import cache_report
from glanceclient.v2 import fleet

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client


def _dash(value: object) -> object:
    """A missing value as a table shows it."""
    return "-" if value is None else value


def _columns(
    titles: collections.abc.Iterable[str],
    shows: collections.abc.Mapping[str, formats.Show] | None = None,
) -> list[formats.Column]:
    return [formats.Column(t, show=(shows or {}).get(t, _dash)) for t in titles]


LAST_ACCESSED = "Last Accessed (UTC)"
BYTES = "Bytes"
#: The report's own columns, between ``Node`` and the outcome (keys
#: ``images``, ``bytes``, ``hits``, ``queued``, ``last_accessed_utc``,
#: ``fill``).
NODE_TITLES = ("Images", BYTES, "Hits", "Queued", LAST_ACCESSED, "Fill (%)")
SIZE = "Size"
CACHED_ON = "Cached On"
#: The report per image (keys ``image_id``, ``name``, ``size``, ``nodes``,
#: ``cached_on``, ``hits``).
IMAGE_TITLES = ("Image ID", "Name", SIZE, "Nodes", CACHED_ON, "Hits")
#: The orphans' own columns, and what ``--delete`` adds.
ORPHAN_TITLES = ("Image ID", SIZE, "Reason")
EVICTED = "Evicted"


def _sizes(human_readable: bool) -> dict[str, formats.Show]:
    return dict.fromkeys((BYTES, SIZE), output.format_size) if human_readable else {}


def add_where_options(parser: argparse.ArgumentParser) -> None:
    """``--all-nodes`` or ``--node`` (one is required), ``--max-parallel``,
    ``--node-timeout`` and ``--skip-unreachable`` (with its
    ``--probe-timeout``) of a command that reports on many nodes."""
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--all-nodes",
        action="store_true",
        help=_("Every node of the inventory (image_nodes, OS_IMAGE_NODES, --os-image-nodes)."),
    )
    where.add_argument(
        "--node",
        metavar="<URL>",
        action="append",
        type=cli_fleet.node_argument,
        help=_("This node: its reference URL (repeatable)."),
    )
    parser.add_argument(
        "--max-parallel",
        metavar="<n>",
        type=options.positive_int,
        default=fleet.MAX_PARALLEL,
        help=_("How many nodes to ask at once (default %(n)d).") % {"n": fleet.MAX_PARALLEL},
    )
    cli_fleet.add_node_timeout(parser)
    cli_fleet.add_skip_options(parser)


def nodes(gc: v2_client.Client, args: argparse.Namespace) -> list[str]:
    """The nodes ``--node`` names, or with ``--all-nodes`` the inventory's.

    :raises glanceclient.v2.inventory.InventoryError: ``--all-nodes``
        without an inventory.
    """
    return cli_fleet.chosen_nodes(gc.inventory, args) or []


def _node_cells(row: collections.abc.Mapping[str, ty.Any]) -> tuple[ty.Any, ...]:
    accessed = row["last_accessed"]
    return (
        row["images"],
        row["bytes"],
        row["hits"],
        row["queued"],
        None if accessed is None else output.format_timestamp(accessed),
        row["fill"],
    )


def report_table(
    gc: v2_client.Client,
    results: collections.abc.Sequence[fleet.NodeResult],
    *,
    mapped: bool,
    verbose: bool = False,
    human_readable: bool = False,
) -> cli_fleet.Table:
    """One row per node, then the totals row (``node`` ``total``, whose
    ``Result`` and ``status`` count the nodes: ``2 ok, 1 failed``).

    :param results: each node's listing.
    :param mapped: add the URL each listing was asked from.
    :param verbose: a failure's whole message in ``Result``.
    :param human_readable: a table shows bytes as KiB, MiB, GiB.
    """
    rows = cache_report.by_node(results, gc.inventory)
    table = cli_fleet.results_table(
        zip(results, map(_node_cells, rows), strict=True),
        _columns(NODE_TITLES, _sizes(human_readable)),
        mapped=mapped,
        verbose=verbose,
    )
    total = cache_report.totals(rows)
    head = (total["node"], *((None,) if mapped else ()))
    table.rows.append((*head, *_node_cells(total), total["status"], total["status"], None, None))
    return table


def image_table(
    gc: v2_client.Client,
    results: collections.abc.Sequence[fleet.NodeResult],
    *,
    human_readable: bool = False,
) -> cli_fleet.Table:
    """One row per cached image, with its name; ``cached_on`` is a list in
    the data formats.

    :raises glanceclient.exc.ClientException: an image lookup failed
        otherwise than with 404.
    """
    found = cache_report.lookup(gc.images, cache_report.image_ids(results, queued=False))
    names = {i: image.get("name") for i, image in found.items() if image is not None}
    rows = cache_report.by_image(results, names)
    keys = ("image_id", "name", "size", "nodes", "cached_on", "hits")
    shows: dict[str, formats.Show] = {CACHED_ON: ", ".join, **_sizes(human_readable)}
    return cli_fleet.Table(
        tuple(_columns(IMAGE_TITLES, shows)), [tuple(row[k] for k in keys) for row in rows]
    )


def _yes_no(value: object) -> object:
    return _dash(value) if value is None else _("yes") if value else _("no")


def unlisted(results: collections.abc.Iterable[fleet.NodeResult], *states: str) -> list[str]:
    """``URL (reason)`` of each node whose listing ended in one of
    ``states`` (``failed``, ``skipped``, ``interrupted``)."""
    return [
        "%s (%s)" % (r.node, cli_fleet.reason(r.error))
        for r in results
        if r.error is not None and r.status in states
    ]


def orphans_table(
    gc: v2_client.Client,
    results: collections.abc.Sequence[fleet.NodeResult],
    *,
    delete: bool,
    stopped: bool = False,
    max_parallel: int,
    timeout: float | None,
    mapped: bool,
    verbose: bool = False,
    stream: ty.TextIO | None = None,
) -> tuple[cli_fleet.Table, list[fleet.NodeResult], bool]:
    """The orphans of each node, evicted with ``delete`` (with a progress
    line, ``3/10 evictions done``, when ``stream`` is a terminal).

    Only the orphans of the nodes that answered are evicted: never on a
    node that failed, was skipped or interrupted, and nothing at all once
    Ctrl-C was pressed.

    :param results: each node's listing.
    :param stopped: Ctrl-C interrupted the listings: with ``delete``, each
        orphan's row says ``interrupted`` and nothing is evicted.
    :param stream: standard error (default: ``sys.stderr``).
    :returns: the table (a row per orphan, ``Result`` ``ok`` or the
        eviction's error; a row per node that failed, was skipped or
        interrupted); every outcome, listings and evictions (for the exit
        status and the summary); whether Ctrl-C interrupted the listings
        or the evictions.
    :raises glanceclient.exc.ClientException: an image lookup failed
        otherwise than with 404: nothing is evicted.
    """
    rows = gc.cache_orphans.find_in(results, timeout=timeout)
    listed = {r.node: r for r in results}
    orphans = [row for row in rows if row["status"] == cache_report.OK]
    evictions: list[fleet.NodeResult] = []
    if delete and stopped:
        evictions = [_not_evicted(gc, row) for row in orphans]
    elif delete:
        wording = _("%(done)d/%(total)d evictions done")
        try:
            with cli_fleet.progress_line(stream, wording) as line:
                evictions = gc.cache_orphans.evict_results(
                    orphans, max_parallel=max_parallel, timeout=timeout, progress=line
                )
        except fleet.RunInterrupted as e:
            evictions, stopped = e.results, True
    evicted = iter(evictions)
    pairs: list[tuple[fleet.NodeResult, tuple[ty.Any, ...]]] = []
    for row in rows:
        if row["status"] != cache_report.OK:  # the node failed, was skipped or interrupted
            pairs.append((listed[row["node"]], (None,) * (len(ORPHAN_TITLES) + delete)))
            continue
        cells = (row["image_id"], row["size"], row["reason"])
        if delete:
            outcome = next(evicted)
            done = None if outcome.status == cache_report.INTERRUPTED else outcome.ok
            pairs.append((outcome, (*cells, done)))
        else:
            pairs.append((listed[row["node"]], cells))
    columns = _columns((*ORPHAN_TITLES, *((EVICTED,) if delete else ())), {EVICTED: _yes_no})
    table = cli_fleet.results_table(pairs, columns, mapped=mapped, verbose=verbose)
    return table, [*results, *evictions], stopped


def _not_evicted(
    gc: v2_client.Client, row: collections.abc.Mapping[str, ty.Any]
) -> fleet.NodeResult:
    """The outcome of an eviction that Ctrl-C kept from starting."""
    node = row["node"]
    return fleet.NodeResult(
        node, gc.fleet.endpoint(node), row["image_id"], None, fleet.Interrupted(_("interrupted"))
    )
