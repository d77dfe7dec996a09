"""Reading the tables ``glance`` prints, for the unit and functional tests.

A table is drawn by PrettyTable: border lines start with ``+``, every line
of the header and the rows starts with ``|``, cells are split by ``|``.
"""

from __future__ import annotations


def table(output: str) -> list[list[str]]:
    """The cells of each line of a table, the header first."""
    return [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in output.splitlines()
        if line.startswith("|")
    ]


def rows(output: str) -> list[list[str]]:
    """The cells of each line of a table, below its header."""
    return table(output)[1:]


def column(output: str) -> list[str]:
    """The cells of a one-column table, below its header.

    :raises ValueError: when a line has more than one cell.
    """
    found = []
    for cells in rows(output):
        if len(cells) != 1:
            raise ValueError("not a one-column table: %r" % output)
        found.append(cells[0])
    return found


def properties(output: str) -> dict[str, str]:
    """A Property / Value table as a mapping, a wrapped value joined back.

    :raises ValueError: when the header is not Property / Value.
    """
    lines = table(output)
    if not lines or lines[0] != ["Property", "Value"]:
        raise ValueError("not a Property / Value table: %r" % output)
    found: dict[str, str] = {}
    last = ""
    for key, value in lines[1:]:
        if key:
            found[key] = value
            last = key
        else:
            found[last] += value
    return found
