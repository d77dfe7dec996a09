"""What the image commands share: printing an image, reading options."""

from __future__ import annotations

import argparse
import collections.abc
import json
import os
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.cli import options
from glanceclient.cli import output

#: Image fields that are links or plumbing, not something to show.
HIDDEN_FIELDS = frozenset({"self", "access", "file", "schema"})


def print_image(
    image: collections.abc.Mapping[str, ty.Any],
    *,
    human_readable: bool = False,
    max_width: int = options.DEFAULT_MAX_WIDTH,
) -> None:
    """Print an image as a Property / Value table."""
    formatters = {"size": output.format_size} if human_readable else {}
    output.print_properties(image, hidden=HIDDEN_FIELDS, max_width=max_width, formatters=formatters)


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
