"""What the image commands share: printing an image, reading options."""

from __future__ import annotations

import argparse
import collections.abc
import json
import os
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.common import utils

#: Image fields that are links or plumbing, not something to show.
HIDDEN_FIELDS = frozenset({"self", "access", "file", "schema"})

DEFAULT_MAX_WIDTH = 80


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
    import textwrap

    return [
        piece for line in text.splitlines() or [""] for piece in textwrap.wrap(line, width) or [""]
    ]


def print_properties(
    values: collections.abc.Mapping[str, ty.Any],
    *,
    hidden: collections.abc.Collection[str] = (),
    max_width: int = 0,
    formatters: collections.abc.Mapping[str, collections.abc.Callable[[ty.Any], str]] = {},
) -> None:
    """Print a Property / Value table, sorted by property.

    :param hidden: properties to leave out.
    :param max_width: longer values are wrapped on continuation rows
        (0: never).
    :param formatters: how to show some properties.
    """
    rows: list[tuple[str, str]] = []
    for key in sorted(values):
        if key in hidden:
            continue
        text = formatters[key](values[key]) if key in formatters else cell(values[key])
        pieces = wrap(text, max_width)
        rows.append((key, pieces[0]))
        rows.extend(("", piece) for piece in pieces[1:])
    utils.print_list(rows, ("Property", "Value"))


def print_image(
    image: collections.abc.Mapping[str, ty.Any],
    *,
    human_readable: bool = False,
    max_width: int = DEFAULT_MAX_WIDTH,
) -> None:
    """Print an image as a Property / Value table."""
    formatters = {"size": utils.format_size} if human_readable else {}
    print_properties(image, hidden=HIDDEN_FIELDS, max_width=max_width, formatters=formatters)


def key_values(pairs: collections.abc.Iterable[str] | None, option: str) -> dict[str, str]:
    """``key=value`` arguments as a mapping.

    :raises glanceclient.exc.CommandError: an argument without ``=``.
    """
    found: dict[str, str] = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise exc.CommandError(
                _("%(option)s takes KEY=VALUE, not %(value)r.") % {"option": option, "value": pair}
            )
        found[key] = value
    return found


def json_object(text: str, option: str) -> dict[str, ty.Any]:
    """A JSON object given on the command line.

    :raises glanceclient.exc.CommandError: text that is not a JSON object.
    """
    try:
        value = json.loads(text)
    except ValueError as e:
        raise exc.CommandError(
            _("%(option)s is not valid JSON: %(error)s") % {"option": option, "error": e}
        ) from None
    if not isinstance(value, dict):
        raise exc.CommandError(_("%(option)s must be a JSON object.") % {"option": option})
    return value


def from_environment(args: argparse.Namespace, **variables: str) -> None:
    """Give options left unset the value of their environment variable.

    Read when the command runs (not when its module is imported).

    :param variables: option destination: variable name.
    """
    for dest, variable in variables.items():
        if getattr(args, dest, None) is None:
            setattr(args, dest, os.environ.get(variable) or None)
