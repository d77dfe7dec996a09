"""The fleet commands' options and tables, the same in ``glance`` and
``openstack``.

The tables are built here from the library's results, front-end neutral:
cells keep their values (a latency stays a number, None where there is
none), and each front end formats them its own way (``glance`` draws text,
OpenStackClient hands them to its formatters).

A command run on several nodes ends each row with how the node fared, in
two shapes (:func:`results_table`):

- in a table, one ``Result`` cell: ``ok`` or one short reason
  (:func:`reason`: ``HTTP 404 Not Found: ...``, ``connection refused``,
  ``timed out``), the whole message under ``--debug``;
- in the data formats, ``Status`` (``ok``, ``failed``), ``Error`` (the
  short reason, None when ok) and ``Error Detail`` (:func:`detail`: the
  whole message, method, URL and request id, None when ok).
"""

from __future__ import annotations

import argparse
import collections.abc
import contextlib
import logging
import sys
import typing as ty

from glanceclient import exc
from glanceclient import vocabulary
from glanceclient._i18n import _
from glanceclient.cli import errors
from glanceclient.cli import formats
from glanceclient.cli import options
from glanceclient.common import base
from glanceclient.common import urlmap

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client
    from glanceclient.v2 import fleet
    from glanceclient.v2 import inventory as v2_inventory

LOG = logging.getLogger(__name__)

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
#: How a node fared: ``Result`` in a table, the other three in the data
#: formats.
OUTCOME_COLUMNS = (
    formats.Column(RESULT_COLUMN, only=formats.TABLE_ONLY),
    formats.Column(STATUS_COLUMN, only=formats.DATA_ONLY),
    formats.Column("Error", only=formats.DATA_ONLY),
    formats.Column("Error Detail", only=formats.DATA_ONLY),
)
OK = "ok"
FAILED = "failed"
SKIPPED = "skipped"
INTERRUPTED = "interrupted"
#: The longest server message a short reason quotes.
REASON_WIDTH = 100
#: How many image IDs one name lookup asks for (``id=in:...``), which
#: keeps its URL short.
NAMES_PER_REQUEST = 50


class Table(ty.NamedTuple):
    """Columns (titles or :class:`~glanceclient.cli.formats.Column`
    declarations) and rows of cells."""

    columns: tuple[formats.ColumnLike, ...]
    rows: list[tuple[ty.Any, ...]]

    def formatted(self, column: str, show: collections.abc.Callable[[ty.Any], ty.Any]) -> Table:
        """The table with the cells of ``column`` shown by ``show``."""
        index = self.titles().index(column)
        rows = [(*row[:index], show(row[index]), *row[index + 1 :]) for row in self.rows]
        return Table(self.columns, rows)

    def titles(self) -> tuple[str, ...]:
        """The column titles."""
        return tuple(c.title for c in formats.declared(self.columns))

    def shaped(self, *, data: bool) -> tuple[tuple[str, ...], list[tuple[ty.Any, ...]]]:
        """Titles and rows for a formatter that lays them out itself
        (OpenStackClient's): in a data format (``data``) the data columns
        with the values as they are; in a table the table's columns, their
        values as the columns show them."""
        declared = formats.declared(self.columns)
        hidden = formats.TABLE_ONLY if data else formats.DATA_ONLY
        keep = [i for i, c in enumerate(declared) if c.only != hidden]
        rows = [tuple(_shaped(row[i], declared[i], data) for i in keep) for row in self.rows]
        return tuple(declared[i].title for i in keep), rows


def _shaped(value: ty.Any, column: formats.Column, data: bool) -> ty.Any:
    show = column.show
    return value if data or show is None else show(value)


def nodes_table(nodes: collections.abc.Iterable[str]) -> Table:
    """The nodes list: one node reference URL a row, sorted.

    Node URLs are shown with their password hidden, in every table here.
    """
    return Table((NODES_COLUMN,), [(exc.redact_url(node),) for node in sorted(nodes)])


def check_table(states: collections.abc.Iterable[fleet.NodeStatus], *, mapped: bool) -> Table:
    """The nodes list with ``--check``: status and latency of each node.

    :param mapped: add the URL each probe went to (``--debug`` with a URL map).
    """
    columns = (NODES_COLUMN, *((MAPPED_COLUMN,) if mapped else ()), *CHECK_COLUMNS)
    rows = [
        (
            exc.redact_url(s.url),
            *((exc.redact_url(s.endpoint),) if mapped else ()),
            s.status,
            s.latency_ms,
        )
        for s in states
    ]
    return Table(columns, rows)


def results_table(
    rows: collections.abc.Iterable[tuple[fleet.NodeResult, collections.abc.Sequence[ty.Any]]],
    columns: collections.abc.Sequence[formats.ColumnLike] = (),
    *,
    mapped: bool,
    verbose: bool = False,
) -> Table:
    """The table of a command run on several nodes: one row per node (or
    per node and image, or per line a node answered).

    :param rows: each call's result, with the command's own cells.
    :param columns: the titles (or declarations) of those cells.
    :param mapped: add the URL each call went to.
    :param verbose: the ``Result`` of a failure is its whole message
        (``--debug``), not the short reason.
    """
    head = (NODE_COLUMN, *((MAPPED_COLUMN,) if mapped else ()))
    return Table(
        (*head, *columns, *OUTCOME_COLUMNS),
        [
            (
                exc.redact_url(r.node),
                *((exc.redact_url(r.endpoint),) if mapped else ()),
                *cells,
                *outcome(r, verbose=verbose),
            )
            for r, cells in rows
        ],
    )


def outcome(result: fleet.NodeResult, *, verbose: bool = False) -> tuple[ty.Any, ...]:
    """The cells of :data:`OUTCOME_COLUMNS` for one call."""
    error = result.error
    if error is None:
        return (OK, OK, None, None)
    state = result.status
    short = reason(error)
    if state == SKIPPED:
        return ("%s: %s" % (SKIPPED, short), SKIPPED, short, None)
    if state == INTERRUPTED:
        return (INTERRUPTED, INTERRUPTED, short, None)
    LOG.debug("%s: %s", result.node, errors.one_line(error))
    return (errors.one_line(error) if verbose else short, FAILED, short, detail(error))


def reason(error: BaseException) -> str:
    """What went wrong, in a few words, without URL or request id (the
    row names the node; :func:`detail` keeps the rest)."""
    from glanceclient.common import bounded  # as in outcome()

    if isinstance(error, bounded.NodeTimeout):
        return _("no answer within %(seconds)g s") % {"seconds": round(error.seconds, 1)}
    if isinstance(error, exc.HTTPException):
        text = "HTTP %s %s" % (error.status_code, error.reason)
        if error.details:
            details = exc.one_line(exc.ClientException(error.details))
            if len(details) > REASON_WIDTH:
                details = details[: REASON_WIDTH - 3].rstrip() + "..."
            text += ": " + details
        return text
    if isinstance(error, exc.ConnectionRefused):
        return _("connection refused")
    if isinstance(error, exc.Timeout):
        return _("timed out")
    if isinstance(error, exc.Unreachable):
        return _("unreachable")
    if isinstance(error, exc.SSLError):
        return _("TLS failure: %(reason)s") % {"reason": error.reason or _("unknown")}
    if isinstance(error, exc.CommunicationError):
        return _("connection failed")
    if isinstance(error, exc.InvalidResponse):
        return _("malformed answer")
    return exc.one_line(error)


def detail(error: BaseException) -> dict[str, ty.Any]:
    """The whole message of a failure, and the request that failed where
    the error knows it."""
    url = getattr(error, "url", None)
    return {
        "message": errors.one_line(error),
        "method": getattr(error, "method", None),
        "url": exc.redact_url(url) if isinstance(url, str) else url,
        "request_id": getattr(error, "request_id", None),
    }


def exit_status(results: collections.abc.Iterable[fleet.NodeResult]) -> int:
    """1 if a call on a node failed (a skipped node is no failure), else 0."""
    return int(any(r.status == FAILED for r in results))


def summary(results: collections.abc.Iterable[fleet.NodeResult]) -> str:
    """How the nodes fared, ``38 ok, 1 failed, 1 skipped``: each node
    counted once, by the worst of its calls."""
    order = (OK, SKIPPED, INTERRUPTED, FAILED)
    worst: dict[str, int] = {}
    for r in results:
        worst[r.node] = max(worst.get(r.node, 0), order.index(r.status))
    counts = collections.Counter(order[i] for i in worst.values())
    return ", ".join(
        "%d %s" % (counts[state], state)
        for state in (OK, FAILED, SKIPPED, INTERRUPTED)
        if counts[state]
    )


def fan_out(
    args: argparse.Namespace,
    run: collections.abc.Callable[..., list[fleet.NodeResult]],
    stream: ty.TextIO | None = None,
) -> tuple[list[fleet.NodeResult], bool]:
    """Run a fleet call with the fan-out options of the command line
    (:func:`add_node_options`), and a progress line when ``stream``
    (default: standard error) is a terminal.

    :param run: the call, taking ``max_parallel``, ``timeout``,
        ``skip_unreachable``, ``probe_timeout`` and ``progress``.
    :returns: the results, and whether Ctrl-C interrupted the run (the
        calls that had not ended then are marked interrupted).
    """
    # The fleet is imported when a command acts on nodes, not at start-up.
    from glanceclient.v2 import fleet

    try:
        with progress_line(stream) as line:
            results = run(
                max_parallel=args.max_parallel,
                timeout=args.node_timeout,
                skip_unreachable=args.skip_unreachable,
                probe_timeout=args.probe_timeout,
                progress=line,
            )
        return results, False
    except fleet.RunInterrupted as e:
        return e.results, True


@contextlib.contextmanager
def progress_line(
    stream: ty.TextIO | None = None, wording: str | None = None
) -> collections.abc.Iterator[ProgressLine | None]:
    """A :class:`ProgressLine` on ``stream`` (default: standard error)
    when it is a terminal, else None; erased at the end of the block."""
    stream = stream or sys.stderr
    line = ProgressLine(stream, wording) if stream.isatty() else None
    try:
        yield line
    finally:
        if line is not None:
            line.clear()


def ended(
    results: collections.abc.Sequence[fleet.NodeResult],
    *,
    stopped: bool = False,
    stream: ty.TextIO | None = None,
) -> int:
    """After the table: how the nodes fared (``38 ok, 1 failed, 1
    skipped``) when ``stream`` (default: standard error) is a terminal;
    and the exit status.

    :param stopped: the run was interrupted.
    :returns: 130 if ``stopped``, else 1 if a call failed, else 0.
    """
    stream = stream or sys.stderr
    if stream.isatty() and results:
        sys.stdout.flush()
        stream.write(summary(results) + "\n")
    return 130 if stopped else exit_status(results)


class ProgressLine:
    """``12/40 nodes done`` on stderr, redrawn in place (for a terminal).

    :param wording: what is counted, with ``%(done)d`` and ``%(total)d``
        (default ``%(done)d/%(total)d nodes done``).
    """

    def __init__(self, stream: ty.TextIO, wording: str | None = None) -> None:
        self.stream = stream
        self.wording = wording or _("%(done)d/%(total)d nodes done")
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        self.draw(self.wording % {"done": done, "total": total})

    def draw(self, text: str) -> None:
        """Show ``text`` instead of what the line showed."""
        self.stream.write("\r\033[K" + text)
        self.stream.flush()
        self.drawn = True

    def clear(self) -> None:
        """Erase the line, if drawn."""
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.drawn = False


def prune_cells(result: collections.abc.Mapping[str, int] | None) -> tuple[ty.Any, ...]:
    """The pruned files and bytes of one node (None when it failed)."""
    if result is None:
        return (None,) * len(vocabulary.PRUNE_KEYS)
    return tuple(result[key] for key in vocabulary.PRUNE_KEYS)


def image_id(gc: v2_client.Client, given: str) -> str:
    """The ID of the image a command names (``images.find_id``).

    A value in the form of an ID is that ID, without a request: it is
    returned before the images controller is built, which a command such
    as ``cache-nodes-list <ID>`` need not load (start-up is paid on every
    call).
    """
    if base.looks_like_image_id(given):
        return given
    return gc.images.find_id(given)


def image_names(
    gc: v2_client.Client, image_ids: collections.abc.Iterable[str]
) -> dict[str, ty.Any]:
    """The names of images, by ID, for the tables that show IDs.

    One listing per :data:`NAMES_PER_REQUEST` IDs (``id=in:...``). An
    image that is gone or not visible has no name here; a failed lookup
    leaves the names out (a name is a courtesy, not the command's result).
    """
    names: dict[str, ty.Any] = {}
    wanted = list(dict.fromkeys(image_ids))
    try:
        for start in range(0, len(wanted), NAMES_PER_REQUEST):
            chunk = wanted[start : start + NAMES_PER_REQUEST]
            listing = gc.images.list(filters={"id": "in:" + ",".join(chunk)}, page_size=len(chunk))
            names.update((image["id"], image.get("name")) for image in listing)
    except exc.ClientException as e:
        LOG.debug("Image names not looked up: %s", exc.one_line(e))
    return names


def node_argument(text: str) -> str:
    """An argparse type: a node URL (``--node``) without path, query or fragment."""
    try:
        return urlmap.node_url(text)
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
    add_probe_timeout(parser, _("With --check"))


def add_node_timeout(parser: argparse.ArgumentParser) -> None:
    """``--node-timeout``: seconds each node may take, apart from each
    request's ``--timeout``."""
    parser.add_argument(
        "--node-timeout",
        metavar="<seconds>",
        type=options.positive_float,
        default=vocabulary.NODE_TIMEOUT,
        help=_(
            "With --node or --all-nodes: seconds each node may take, whatever --timeout "
            "allows each request; a node still busy then fails its row (default %(t)g)."
        )
        % {"t": vocabulary.NODE_TIMEOUT},
    )


def add_probe_timeout(parser: argparse.ArgumentParser, when: str) -> None:
    """``--probe-timeout``: seconds each health probe may take.

    :param when: what the option is for (``With --check``).
    """
    parser.add_argument(
        "--probe-timeout",
        metavar="<seconds>",
        type=options.positive_float,
        default=vocabulary.PROBE_TIMEOUT,
        help=_("%(when)s: seconds each probe may take (default %(t)g).")
        % {"when": when, "t": vocabulary.PROBE_TIMEOUT},
    )


def add_node_options(parser: argparse.ArgumentParser, *, per_image: bool = False) -> None:
    """``--node`` (repeatable) or ``--all-nodes``, and ``--max-parallel``,
    of a per-node command.

    :param per_image: ``--all-nodes`` also means the nodes the nodes list
        names for each image (``cache-delete``).
    """
    where = parser.add_mutually_exclusive_group()
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
    where.add_argument(
        "--all-nodes",
        action="store_true",
        help=(
            _(
                "Act on every node the nodes list names for each image, and on "
                "every node of the inventory (image_nodes, OS_IMAGE_NODES)."
            )
            if per_image
            else _("Act on every node of the inventory (image_nodes, OS_IMAGE_NODES).")
        ),
    )
    parser.add_argument(
        "--max-parallel",
        metavar="<n>",
        type=options.positive_int,
        default=vocabulary.MAX_PARALLEL,
        help=_("With --node or --all-nodes: how many nodes to act on at once (default %(n)d).")
        % {"n": vocabulary.MAX_PARALLEL},
    )
    add_node_timeout(parser)
    add_skip_options(parser)


def add_skip_options(parser: argparse.ArgumentParser) -> None:
    """``--skip-unreachable`` and its ``--probe-timeout``."""
    parser.add_argument(
        "--skip-unreachable",
        action="store_true",
        help=_(
            "With --node or --all-nodes: probe the nodes first (their /healthcheck) and "
            "act only on those that answer; the others are skipped: their rows say so, "
            "and the exit status does not count them."
        ),
    )
    add_probe_timeout(parser, _("With --skip-unreachable"))


def chosen_nodes(inventory: v2_inventory.Inventory, args: argparse.Namespace) -> list[str] | None:
    """The nodes a per-node command acts on: those ``--node`` names, with
    ``--all-nodes`` every inventory node, else None (the endpoint).

    :param inventory: the client's inventory.
    :raises glanceclient.v2.inventory.InventoryError: ``--all-nodes``
        without an inventory.
    """
    if getattr(args, "node", None):
        return list(args.node)
    if getattr(args, "all_nodes", False):
        return inventory.require("--all-nodes")
    return None
