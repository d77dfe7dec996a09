"""The argument parser of ``glance``: its usage errors.

A usage error exits with status 2. On the top-level parser it is one line.
On a command's parser it is, as upstream's users know it, the command's
usage and then the error line, which names the command. An unknown command
gets the names of the commands closest to it ("did you mean"), not the
list of all of them.
"""

from __future__ import annotations

import argparse
import sys
import typing as ty

from glanceclient._i18n import _
from glanceclient.cli import messages


def unknown_command(name: str, commands: ty.Iterable[str]) -> str:
    """The error for ``name``, which is not one of ``commands``."""
    import difflib

    close = difflib.get_close_matches(name, list(commands), n=3)
    if close:
        return _("invalid choice: %(name)r (did you mean %(close)s? see 'glance help')") % {
            "name": name,
            "close": ", ".join(close),
        }
    return _("invalid choice: %(name)r (see 'glance help' for the commands)") % {"name": name}


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are as the module says.

    :param command: the name of the command this parser is for, if any.
    """

    def __init__(self, *args: ty.Any, command: str | None = None, **kwargs: ty.Any) -> None:
        super().__init__(*args, **kwargs)
        self.command = command

    def error(self, message: str) -> ty.NoReturn:
        if self.command is not None:
            sys.stderr.write(self.format_usage())
            message = "%s: %s" % (self.command, message)
        messages.error(message)
        self.exit(2)

    def _check_value(self, action: argparse.Action, value: ty.Any) -> None:
        choices = action.choices
        if isinstance(action, argparse._SubParsersAction) and value not in (choices or ()):
            raise argparse.ArgumentError(action, unknown_command(value, choices or ()))
        super()._check_value(action, value)
