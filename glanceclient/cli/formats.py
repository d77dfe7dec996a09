"""Output formats of ``glance``: ``--format`` and ``-c/--column``.

The commands print through :func:`glanceclient.cli.output.print_list` and
:func:`~glanceclient.cli.output.print_properties`; the format the command
line chose (:func:`configure`, called by the shell before the command
runs) decides how, so that every command printing a table or a property
block gets every format:

``table``
    the boxed text table people read (the default);
``json``, ``yaml``
    a list of objects (one object for a property block) whose keys are the
    column titles in snake_case (:func:`key_of`; a property block keeps the
    API's keys); numbers stay numbers and a missing value is null;
``csv``
    a header of those keys, then one line per row;
``value``
    the cells alone, separated by spaces, one row per line (one value per
    line for a property block), for ``$(...)`` in shell scripts.

A column (:class:`Column`) can show its value one way in the table (a size
as ``1.5MiB``, a dash for none) while the data formats carry the value
itself; it can also belong to the table only (``Result``: ``ok`` or the
error) or to the data formats only (``status``, ``error``,
``error_detail``). ``-c`` names any column, by title or key, in any format,
and sets the order. This module writes the data formats; PyYAML (required
through cliff too) is imported only for ``--format yaml``.
"""

from __future__ import annotations

import argparse
import collections.abc
import math
import re
import sys
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.common.utils import safe_text

FORMATS = ("table", "json", "yaml", "csv", "value")
TABLE = "table"

#: Which formats a column appears in without ``-c``.
EVERYWHERE = "everywhere"
TABLE_ONLY = "table"
DATA_ONLY = "data"

Show = collections.abc.Callable[[ty.Any], object]


class Column(ty.NamedTuple):
    """A column of a table.

    :ivar title: what the table's header says (``Last Accessed (UTC)``).
    :ivar show: how the table shows a value (None: as text, an empty cell
        for None).
    :ivar only: :data:`EVERYWHERE`, :data:`TABLE_ONLY` or :data:`DATA_ONLY`.
    """

    title: str
    show: Show | None = None
    only: str = EVERYWHERE

    @property
    def key(self) -> str:
        """The column's key in the data formats."""
        return key_of(self.title)


ColumnLike = str | Column


def key_of(title: str) -> str:
    """A column title in snake_case: ``Latency (ms)`` gives ``latency_ms``."""
    return re.sub(r"[^0-9a-z]+", "_", title.lower()).strip("_")


class ColumnError(exc.CommandError):
    """``-c`` named a column the command does not print (a usage error)."""


class Choice(ty.NamedTuple):
    """What the command line chose: a format and the columns to show."""

    format: str = TABLE
    columns: tuple[str, ...] = ()


_chosen = Choice()


def add_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--format`` and ``-c/--column`` to a command's parser."""
    parser.add_argument(
        "-f",
        "--format",
        dest="output_format",
        choices=FORMATS,
        default=TABLE,
        help=_(
            "Output format: table (default), json, yaml, csv or value. The data "
            "formats key each value by its column title in snake_case."
        ),
    )
    parser.add_argument(
        "-c",
        "--column",
        dest="output_columns",
        metavar="<column>",
        action="append",
        default=[],
        help=_(
            "Show this column (title or snake_case key; repeatable, in this order) "
            "or, for a single object, this property."
        ),
    )


def configure(args: argparse.Namespace) -> None:
    """Take the format and columns the command line chose (or the defaults)."""
    global _chosen
    _chosen = Choice(
        getattr(args, "output_format", TABLE), tuple(getattr(args, "output_columns", ()) or ())
    )


def chosen() -> Choice:
    """The format and columns of this run."""
    return _chosen


def is_table() -> bool:
    """Whether this run prints text tables (rather than data)."""
    return _chosen.format == TABLE


def declared(columns: collections.abc.Sequence[ColumnLike]) -> list[Column]:
    """Column declarations from titles or declarations."""
    return [c if isinstance(c, Column) else Column(c) for c in columns]


def selected(columns: list[Column], choice: Choice | None = None) -> list[int]:
    """The indexes of the columns to print, in order.

    :raises ColumnError: ``-c`` names a column that is not there.
    """
    choice = choice or _chosen
    if not choice.columns:
        hidden = DATA_ONLY if choice.format == TABLE else TABLE_ONLY
        return [i for i, c in enumerate(columns) if c.only != hidden]
    picked = []
    for name in choice.columns:
        wanted = key_of(name)
        found = [i for i, c in enumerate(columns) if c.key == wanted]
        if not found:
            raise ColumnError(
                _("No column %(name)r here; the columns are: %(known)s.")
                % {"name": name, "known": ", ".join(c.key for c in columns)}
            )
        picked.append(found[0])
    return picked


def selected_properties(keys: collections.abc.Iterable[str]) -> list[str]:
    """The properties a property block shows: all, or those ``-c`` names
    (in that order)."""
    return list(_chosen.columns) if _chosen.columns else list(keys)


def text(value: object) -> str:
    """A value as the ``csv`` and ``value`` formats write it: None is
    empty, booleans, lists and mappings are JSON."""
    if value is None:
        return ""
    if isinstance(value, (bool, list, dict)):
        import json

        return json.dumps(value)
    return str(value)


def write_data(
    fmt: str,
    keys: list[str],
    rows: collections.abc.Sequence[collections.abc.Sequence[ty.Any]],
    *,
    single: bool,
) -> None:
    out = sys.stdout
    if fmt in ("json", "yaml"):
        objects = [dict(zip(keys, row, strict=True)) for row in rows]
        document: ty.Any = objects[0] if single else objects
        if fmt == "json":
            import json

            # ASCII only: every control or reordering character comes out
            # escaped, whatever a server put in a name.
            out.write(json.dumps(_plain(document), indent=2, allow_nan=False) + "\n")
        else:
            out.write(_yaml(document))
        return
    if fmt == "csv":
        import csv

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(keys)
        writer.writerows([safe_text(text(v)) for v in row] for row in rows)
        return
    if single:  # value, one object: one value per line
        out.writelines(safe_text(text(v)) + "\n" for v in rows[0])
        return
    out.writelines(" ".join(safe_text(text(v)) for v in row) + "\n" for row in rows)


def _yaml(document: object) -> str:
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    # Not allow_unicode: non-ASCII and control characters come out escaped.
    result: str = yaml.dump(
        _plain(document), Dumper=dumper, default_flow_style=False, sort_keys=False
    )
    return result


def _plain(value: object) -> object:
    """Mappings and lists as plain dicts and lists (models are dict
    subclasses, which PyYAML's safe dumper refuses); other values that are
    not JSON or YAML scalars (a server's NaN or infinity, too) as text."""
    if isinstance(value, collections.abc.Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # no JSON number holds it
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
