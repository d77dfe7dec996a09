"""Tables and Property / Value blocks, and the values in their cells.

Tables are laid out here rather than with prettytable: its width
computation loads wcwidth, whose start-up cost is several times that of the
whole table for the few short ASCII cells these commands print.
"""

from __future__ import annotations

import collections.abc
import json
import math
import sys
import typing as ty

from glanceclient.cli import formats
from glanceclient.common.utils import safe_text

#: Output formats whose serializer escapes control characters itself.
ESCAPING_FORMATS = ("json", "yaml")

PROPERTY_COLUMNS = ("Property", "Value")


def safe_row(row: collections.abc.Iterable[ty.Any]) -> tuple[ty.Any, ...]:
    """A row with each text cell made :func:`safe_text`."""
    return tuple(safe_text(v) if isinstance(v, str) else v for v in row)


def column_key(column: str) -> str:
    """The field a column shows: ``Disk_format`` and ``Image Id`` show
    ``disk_format`` and ``image_id``."""
    return column.lower().replace(" ", "_")


def field_rows(
    items: collections.abc.Iterable[collections.abc.Mapping[str, ty.Any]],
    columns: collections.abc.Sequence[str],
    cell: collections.abc.Callable[[ty.Any], ty.Any] = lambda value: value,
) -> collections.abc.Iterator[list[ty.Any]]:
    """One row per item: the field of each column (:func:`column_key`)."""
    keys = [column_key(column) for column in columns]
    return ([cell(item.get(key)) for key in keys] for item in items)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide characters count two)."""
    if text.isascii():
        return len(text)
    import unicodedata  # only for non-ASCII text: rare, and not free

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
    rows = list(rows)
    padded, widths = [], []
    cells = zip(*rows, strict=True) if rows else ([] for _title in columns)
    for title, values in zip(columns, cells, strict=True):
        texts = [v if type(v) is str else "" if v is None else str(v) for v in values]
        if not "".join(texts).isprintable():  # one pass in C for the common case
            texts = [safe_text(text) for text in texts]
        everything = [title, *texts]
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
    columns: collections.abc.Sequence[formats.ColumnLike],
) -> None:
    """Print rows in the format the command line chose (a table by default).

    :param rows: one value per column: the values themselves (numbers,
        None...), which the data formats carry as they are.
    :param columns: titles, or :class:`~glanceclient.cli.formats.Column`
        declarations saying how a table shows a column's values.
    :raises glanceclient.cli.formats.ColumnError: ``-c`` named a column
        that is not there.
    """
    declared = formats.declared(columns)
    picked = formats.selected(declared)
    chosen = [declared[i] for i in picked]
    if picked == list(range(len(declared))):
        values: list[collections.abc.Sequence[ty.Any]] = list(rows)
    else:
        values = [[row[i] for i in picked] for row in rows]
    choice = formats.chosen()
    if choice.format == formats.TABLE:
        shows = [c.show for c in chosen]
        if any(shows):
            values = [
                [v if show is None else show(v) for v, show in zip(row, shows, strict=True)]
                for row in values
            ]
        sys.stdout.write(format_table(values, [c.title for c in chosen]))
    else:
        formats.write_data(choice.format, [c.key for c in chosen], values, single=False)


def cell(value: ty.Any) -> str:
    """One value as a table shows it: lists and mappings as JSON."""
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return "" if value is None else str(value)


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, cut at its line
    breaks and at spaces where it can be (as upstream's tables wrap);
    ``width`` 0 never cuts."""
    if width <= 0 or (len(text) <= width and "\n" not in text):
        return [text]
    import textwrap  # only for long values

    return [
        piece for line in text.splitlines() or [""] for piece in textwrap.wrap(line, width) or [""]
    ]


def wrapped_rows(
    rows: collections.abc.Iterable[collections.abc.Sequence[ty.Any]], widths: dict[int, int]
) -> collections.abc.Iterator[list[str]]:
    """Rows whose cells in the ``widths`` columns wrap on continuation rows."""
    for row in rows:
        pieces = [wrap(cell(v), widths.get(i, 0)) for i, v in enumerate(row)]
        for line in range(max(map(len, pieces))):
            yield [column[line] if line < len(column) else "" for column in pieces]


def print_properties(
    values: collections.abc.Mapping[str, ty.Any],
    *,
    hidden: collections.abc.Collection[str] = (),
    max_width: int = 0,
    formatters: collections.abc.Mapping[str, collections.abc.Callable[[ty.Any], str]] = {},
) -> None:
    """Print a Property / Value table, sorted by property; in a data
    format, one object with the properties' own keys and values.

    With ``-c``, the properties it names, in that order (in a data format,
    null for one the object does not have).

    :param hidden: properties to leave out.
    :param max_width: longer values are wrapped on continuation rows
        (0: never; tables only).
    :param formatters: how a table shows some properties.
    """
    shown = {key: value for key, value in values.items() if key not in hidden}
    choice = formats.chosen()
    keys = formats.selected_properties(sorted(shown))
    if choice.format != formats.TABLE:
        formats.write_data(choice.format, keys, [[shown.get(k) for k in keys]], single=True)
        return
    rows = (
        (key, formatters[key](shown[key]) if key in formatters else shown[key])
        for key in keys
        if key in shown
    )
    sys.stdout.write(format_table(wrapped_rows(rows, {1: max_width}), PROPERTY_COLUMNS))


def format_timestamp(epoch: object) -> str:
    """Show a UNIX epoch time as ``YYYY-MM-DDTHH:MM:SS`` in UTC."""
    if isinstance(epoch, bool) or not isinstance(epoch, (int, float)):
        return "-" if epoch is None else str(epoch)
    import datetime  # only for the cache listing's times

    try:
        moment = datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc)
    except (ValueError, OverflowError, OSError):  # NaN, out of range: shown as given
        return str(epoch)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def format_size(size: object) -> str:
    """Show a byte count the way people read it (``1.5MiB``)."""
    if isinstance(size, bool) or not isinstance(size, (int, float)):
        return "-" if size is None else str(size)
    try:
        value = float(size)
    except OverflowError:
        return str(size)
    if not math.isfinite(value):
        return str(size)
    units = ("B", "KiB", "MiB", "GiB", "TiB")
    index = 0
    while abs(value) >= 1024 and index < len(units) - 1:
        value /= 1024
        index += 1
    return "%d%s" % (value, units[0]) if index == 0 else "%.1f%s" % (value, units[index])
