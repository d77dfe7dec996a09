"""Lines ``glance`` writes on stderr: errors, warnings and notes.

Each is one line, prefixed ``glance:``, its control characters escaped
(a message may quote a server or a user).
"""

from __future__ import annotations

import sys

from glanceclient._i18n import _
from glanceclient.common.utils import safe_text


def _write(line: str) -> None:
    sys.stderr.write("glance: %s\n" % safe_text(line))


def error(message: str) -> None:
    """Write ``glance: error: <message>``."""
    _write(_("error: %(message)s") % {"message": message})


def warning(message: str) -> None:
    """Write ``glance: warning: <message>``."""
    _write(_("warning: %(message)s") % {"message": message})


def note(message: str) -> None:
    """Write ``glance: <message>``: what the user should know, not a fault."""
    _write(message)
