"""Argument types and the named options several commands share."""

from __future__ import annotations

import argparse
import os

from glanceclient._i18n import _
from glanceclient.cli.args import arg

#: Widest a Property / Value table's values get before they wrap.
DEFAULT_MAX_WIDTH = 80


def env(*names: str, default: str | None = None) -> str | None:
    """Return the first non-empty environment variable of ``names``."""
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return default


def env_flag(name: str) -> bool:
    return (os.environ.get(name) or "").strip().lower() in ("1", "true", "yes", "on")


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


#: ``--max-column-width`` of the commands that print one object.
MAX_COLUMN_WIDTH = arg(
    "--max-column-width",
    metavar="<integer>",
    type=int,
    default=DEFAULT_MAX_WIDTH,
    help=_("The max column width of the printed table (default %(default)s)."),
)
