"""Lines ``glance`` writes on stderr: errors, warnings and notes; and the
``--debug`` log and traceback.

Each line is prefixed ``glance:``, its control characters escaped (a
message may quote a server or a user) and the password of any URL in it
hidden (``http://user:***@node``), as in the ``--debug`` output.
"""

from __future__ import annotations

import logging
import sys
import traceback

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.common.utils import safe_text


def _write(line: str) -> None:
    sys.stderr.write("glance: %s\n" % safe_text(exc.redact_url(line)))


class _HidePasswords(logging.Filter):
    """Hide the password of every URL in a log record (keystoneauth1 logs
    the URLs it requests, a node's URL may hold ``user:password@``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "@" in message:
            record.msg, record.args = exc.redact_url(message), None
        return True


def debug_handler() -> logging.Handler:
    """The handler of the ``--debug`` log: stderr, URL passwords hidden."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_HidePasswords())
    return handler


def debug_traceback() -> None:
    """Print the traceback of the error being handled (``--debug``), with
    URL passwords hidden: the errors it chains may quote a URL whole."""
    sys.stderr.write(exc.redact_url(traceback.format_exc()))


def error(message: str) -> None:
    """Write ``glance: error: <message>``."""
    _write(_("error: %(message)s") % {"message": message})


def warning(message: str) -> None:
    """Write ``glance: warning: <message>``."""
    _write(_("warning: %(message)s") % {"message": message})


def note(message: str) -> None:
    """Write ``glance: <message>``: what the user should know, not a fault."""
    _write(message)
