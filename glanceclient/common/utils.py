"""Helpers of the command-line front ends: declaring arguments, printing
tables, the argument types and cells of the commands run on several nodes.

Tables are laid out here rather than with prettytable: its width
computation loads wcwidth, whose start-up cost is several times that of the
whole table for the few short ASCII cells these commands print.
"""

from __future__ import annotations

import argparse
import collections.abc
import re
import sys
import typing as ty

from glanceclient._i18n import _

if ty.TYPE_CHECKING:
    from glanceclient.v2 import fleet

F = ty.TypeVar("F", bound=ty.Callable[..., ty.Any])

#: Where ``@arg`` keeps a command function's argparse arguments.
ARGUMENTS = "arguments"


def arg(*args: ty.Any, **kwargs: ty.Any) -> ty.Callable[[F], F]:
    """Declare an argparse argument of a ``do_<command>`` function.

    ``@arg(add)``, with a callable ``add``, declares options made only when
    the command's parser is built: ``add(parser)`` is called then.
    """

    def decorate(func: F) -> F:
        # Decorators apply bottom-up; insert first to keep reading order.
        func.__dict__.setdefault(ARGUMENTS, []).insert(0, (args, kwargs))
        return func

    return decorate


#: What a terminal would obey rather than show: C0 and C1 controls (line
#: breaks, ESC sequences), DEL, Unicode line separators and the
#: bidirectional overrides that reorder what is shown.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    return "\\x%02x" % code if code < 0x100 else "\\u%04x" % code


def safe_text(text: str) -> str:
    """Return ``text`` safe to show in a terminal: control characters,
    line breaks included, are escaped (``\\n``, ``\\x1b``).

    Every value that comes from a server or a user goes through this
    before it is printed, in tables, messages and errors alike.
    """
    if text.isprintable():  # the common case, checked in C
        return text
    return _UNSAFE.sub(_escape, text)


def safe_row(row: collections.abc.Iterable[ty.Any]) -> tuple[ty.Any, ...]:
    """A row with each text cell made :func:`safe_text`."""
    return tuple(safe_text(v) if isinstance(v, str) else v for v in row)


#: Output formats whose serializer escapes control characters itself.
ESCAPING_FORMATS = ("json", "yaml")


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide characters count two)."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def format_table(
    rows: collections.abc.Iterable[collections.abc.Sequence[ty.Any]],
    columns: collections.abc.Sequence[str],
) -> str:
    """Lay rows out as a boxed, left-aligned text table.

    A table with no rows still shows its header, so an empty answer is
    visible. Columns are padded whole, so that the common all-ASCII column
    costs a few passes in C however long it is.
    """
    cells = [["" if value is None else safe_text(str(value)) for value in row] for row in rows]
    padded, widths = [], []
    for everything in zip(columns, *cells, strict=True):  # title, then the cells
        if "".join(everything).isascii():
            width = max(map(len, everything))
            padded.append([text.ljust(width) for text in everything])
        else:
            width = max(map(display_width, everything))
            padded.append([text + " " * (width - display_width(text)) for text in everything])
        widths.append(width)
    rule = "+" + "+".join("-" * (width + 2) for width in widths) + "+"
    lines = ["| " + " | ".join(values) + " |" for values in zip(*padded, strict=True)]
    return "\n".join([rule, lines[0], rule, *lines[1:], rule]) + "\n"


def print_list(
    rows: collections.abc.Iterable[collections.abc.Sequence[ty.Any]],
    columns: collections.abc.Sequence[str],
) -> None:
    """Print rows as a table with the given column titles."""
    sys.stdout.write(format_table(rows, columns))


def print_dict(values: collections.abc.Mapping[str, ty.Any]) -> None:
    """Print a mapping as a two-column Property / Value table."""
    print_list(sorted(values.items()), ("Property", "Value"))


def format_timestamp(epoch: object) -> str:
    """Show a UNIX epoch time as ``YYYY-MM-DDTHH:MM:SS`` in UTC."""
    if isinstance(epoch, bool) or not isinstance(epoch, (int, float)):
        return "-" if epoch is None else str(epoch)
    import datetime

    moment = datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def format_size(size: object) -> str:
    """Show a byte count the way people read it (``1.5MiB``)."""
    if isinstance(size, bool) or not isinstance(size, (int, float)):
        return "-" if size is None else str(size)
    value = float(size)
    units = ("B", "KiB", "MiB", "GiB", "TiB")
    index = 0
    while abs(value) >= 1024 and index < len(units) - 1:
        value /= 1024
        index += 1
    return "%d%s" % (value, units[0]) if index == 0 else "%.1f%s" % (value, units[index])


def print_error(message: str) -> None:
    """Write one error line to stderr (control characters escaped)."""
    sys.stderr.write("glance: error: %s\n" % safe_text(message))


class IterableWithLength:
    """An iterable that also knows its length (image data and its size).

    nova builds these itself around files it serves; ``images.data()``
    returns one. Iterating closes the underlying iterator when done.

    :param iterable: the chunks.
    :param length: the total size in bytes.
    """

    def __init__(self, iterable: collections.abc.Iterable[ty.Any], length: int) -> None:
        self.iterable = iterable
        self.length = length

    def __iter__(self) -> collections.abc.Iterator[ty.Any]:
        try:
            yield from self.iterable
        finally:
            close = getattr(self.iterable, "close", None)
            if close is not None:
                close()

    def __next__(self) -> ty.Any:
        if not isinstance(self.iterable, collections.abc.Iterator):
            self.iterable = iter(self.iterable)
        return next(self.iterable)

    next = __next__  # upstream's spelling

    def __len__(self) -> int:
        return self.length


#: The columns of the fleet tables, the same in ``glance`` and ``openstack``:
#: the nodes list, what ``--check`` adds to it, and the first, the
#: ``--debug`` and the last columns of a command run on several nodes.
NODES_COLUMN = "Node Reference URL"
CHECK_COLUMNS = ("Status", "Latency (ms)")
NODE_COLUMN = "Node"
MAPPED_COLUMN = "Mapped URL"
RESULT_COLUMN = "Result"
PRUNE_COLUMNS = ("Files Pruned", "Bytes Pruned")


def add_check_options(parser: argparse.ArgumentParser) -> None:
    """``--check`` and ``--probe-timeout`` of the nodes list commands."""
    from glanceclient.v2 import fleet

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
        type=positive_float,
        default=fleet.PROBE_TIMEOUT,
        help=_("With --check: seconds each probe may take (default %(t)g).")
        % {"t": fleet.PROBE_TIMEOUT},
    )


def add_node_options(parser: argparse.ArgumentParser, *, all_nodes: bool = False) -> None:
    """``--node`` (repeatable) and ``--max-parallel`` of a per-node command.

    :param all_nodes: also ``--all-nodes``, which excludes ``--node``.
    """
    from glanceclient.v2 import fleet

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
        type=positive_int,
        default=fleet.MAX_PARALLEL,
        help=(
            _("With --node or --all-nodes: how many nodes to act on at once (default %(n)d).")
            if all_nodes
            else _("With --node: how many nodes to act on at once (default %(n)d).")
        )
        % {"n": fleet.MAX_PARALLEL},
    )


def positive_float(text: str) -> float:
    """An argparse type: a number of seconds above zero."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(
            _("%(value)r is not a positive number of seconds") % {"value": text}
        )
    return value


def positive_int(text: str) -> int:
    """An argparse type: a whole number of 1 or more."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(
            _("%(value)r is not a number of 1 or more") % {"value": text}
        )
    return int(text)


def node_argument(text: str) -> str:
    """An argparse type: a node URL (``--node``) without path, query or fragment."""
    from glanceclient import exc
    from glanceclient.v2 import fleet

    try:
        return fleet.node_url(text)
    except exc.InvalidArgument as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def prune_cells(result: collections.abc.Mapping[str, int] | None) -> tuple[ty.Any, ...]:
    """The pruned files and bytes of one node, or dashes when it failed."""
    if result is None:
        return ("-", "-")
    return (result["total_files_pruned"], result["total_bytes_pruned"])


def format_latency(latency_ms: float | None) -> str:
    """A probe's latency as a table shows it (``-`` without an answer)."""
    return "-" if latency_ms is None else "%.1f" % latency_ms


def result_text(result: fleet.NodeResult) -> str:
    """``ok``, or the one-line error of a call on one node."""
    from glanceclient import exc

    return "ok" if result.error is None else exc.one_line(result.error)
