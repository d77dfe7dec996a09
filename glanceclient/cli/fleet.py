"""The fleet commands' options and tables, the same in ``glance`` and
``openstack``.

The tables are built here from the library's results, front-end neutral:
cells keep their values (a latency stays a number, None where there is
none), and each front end formats them its own way (``glance`` draws text,
OpenStackClient hands them to its formatters).
"""

from __future__ import annotations

import argparse
import collections.abc
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.cli import options
from glanceclient.v2 import fleet

#: The columns of the fleet tables: the nodes list, what ``--check`` adds
#: to it, and the first, the ``--debug`` and the last columns of a command
#: run on several nodes.
NODES_COLUMN = "Node Reference URL"
STATUS_COLUMN = "Status"
LATENCY_COLUMN = "Latency (ms)"
CHECK_COLUMNS = (STATUS_COLUMN, LATENCY_COLUMN)
NODE_COLUMN = "Node"
MAPPED_COLUMN = "Mapped URL"
RESULT_COLUMN = "Result"
PRUNE_COLUMNS = ("Files Pruned", "Bytes Pruned")


class Table(ty.NamedTuple):
    """Column titles and rows of cells."""

    columns: tuple[str, ...]
    rows: list[tuple[ty.Any, ...]]

    def formatted(self, column: str, show: collections.abc.Callable[[ty.Any], ty.Any]) -> Table:
        """The table with the cells of ``column`` shown by ``show``."""
        index = self.columns.index(column)
        rows = [(*row[:index], show(row[index]), *row[index + 1 :]) for row in self.rows]
        return Table(self.columns, rows)


def nodes_table(nodes: collections.abc.Iterable[str]) -> Table:
    """The nodes list: one node reference URL a row, sorted."""
    return Table((NODES_COLUMN,), [(node,) for node in sorted(nodes)])


def check_table(states: collections.abc.Iterable[fleet.NodeStatus], *, mapped: bool) -> Table:
    """The nodes list with ``--check``: status and latency of each node.

    :param mapped: add the URL each probe went to (``--debug`` with a URL map).
    """
    columns = (NODES_COLUMN, *((MAPPED_COLUMN,) if mapped else ()), *CHECK_COLUMNS)
    rows = [(s.url, *((s.endpoint,) if mapped else ()), s.status, s.latency_ms) for s in states]
    return Table(columns, rows)


def results_table(
    rows: collections.abc.Iterable[tuple[fleet.NodeResult, collections.abc.Sequence[ty.Any]]],
    columns: collections.abc.Sequence[str] = (),
    *,
    mapped: bool,
) -> Table:
    """The table of a command run on several nodes: one row per node (or
    per node and image, or per line a node answered).

    :param rows: each call's result, with the command's own cells.
    :param columns: the titles of those cells.
    :param mapped: add the URL each call went to.
    """
    head = (NODE_COLUMN, *((MAPPED_COLUMN,) if mapped else ()))
    return Table(
        (*head, *columns, RESULT_COLUMN),
        [(r.node, *((r.endpoint,) if mapped else ()), *cells, result_text(r)) for r, cells in rows],
    )


def exit_status(results: collections.abc.Iterable[fleet.NodeResult]) -> int:
    """1 if a call on a node failed, else 0."""
    return int(any(not r.ok for r in results))


def result_text(result: fleet.NodeResult) -> str:
    """``ok``, or the one-line error of a call on one node."""
    return "ok" if result.error is None else exc.one_line(result.error)


def prune_cells(result: collections.abc.Mapping[str, int] | None) -> tuple[ty.Any, ...]:
    """The pruned files and bytes of one node, or dashes when it failed."""
    if result is None:
        return ("-", "-")
    return (result["total_files_pruned"], result["total_bytes_pruned"])


def node_argument(text: str) -> str:
    """An argparse type: a node URL (``--node``) without path, query or fragment."""
    try:
        return fleet.node_url(text)
    except exc.InvalidArgument as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def add_check_options(parser: argparse.ArgumentParser) -> None:
    """``--check`` and ``--probe-timeout`` of the nodes list commands."""
    parser.add_argument(
        "--check",
        action="store_true",
        help=_(
            "Probe each node's /healthcheck, concurrently, and add its Status "
            "(ok, disabled, unreachable, error) and Latency (ms)."
        ),
    )
    parser.add_argument(
        "--probe-timeout",
        metavar="<seconds>",
        type=options.positive_float,
        default=fleet.PROBE_TIMEOUT,
        help=_("With --check: seconds each probe may take (default %(t)g).")
        % {"t": fleet.PROBE_TIMEOUT},
    )


def add_node_options(parser: argparse.ArgumentParser, *, all_nodes: bool = False) -> None:
    """``--node`` (repeatable) and ``--max-parallel`` of a per-node command.

    :param all_nodes: also ``--all-nodes``, which excludes ``--node``.
    """
    where: ty.Any = parser.add_mutually_exclusive_group() if all_nodes else parser
    where.add_argument(
        "--node",
        metavar="<URL>",
        action="append",
        type=node_argument,
        help=_(
            "Act on this node instead of the endpoint: its reference URL, as "
            "the nodes list shows it (repeatable)."
        ),
    )
    if all_nodes:
        where.add_argument(
            "--all-nodes",
            action="store_true",
            help=_("Act on every node the nodes list names for each image."),
        )
    parser.add_argument(
        "--max-parallel",
        metavar="<n>",
        type=options.positive_int,
        default=fleet.MAX_PARALLEL,
        help=(
            _("With --node or --all-nodes: how many nodes to act on at once (default %(n)d).")
            if all_nodes
            else _("With --node: how many nodes to act on at once (default %(n)d).")
        )
        % {"n": fleet.MAX_PARALLEL},
    )
