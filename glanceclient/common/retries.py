"""A read sent again, once, when the connection broke before any answer.

A server closes a kept-alive connection once it has been idle for its
keep-alive timeout (gunicorn's default is 2 s, so is the poll interval of
``--wait``): a request that the client sends on it at that moment meets a
closed connection, and fails with no answer at all. A GET or HEAD changes
nothing on the server, so it is sent once more, on a new connection.
Anything else fails as it would without this: a timeout, a refused
connection, a connection that broke after the answer began, any other
method.
"""

from __future__ import annotations

import typing as ty

from keystoneauth1 import session as ksa_session
from urllib3 import exceptions as u3_exc
from urllib3.util import retry as u3_retry

if ty.TYPE_CHECKING:
    from typing_extensions import Self

#: The methods sent again: those that only read.
RETRIED = frozenset({"GET", "HEAD"})
#: What requests does without retries: a read error raised as it is.
_NONE = u3_retry.Retry(0, read=False)


class StaleConnectionRetry(u3_retry.Retry):
    """urllib3's retry policy that sends a GET or HEAD once more after
    "Connection aborted" (reset, closed, broken pipe before the status
    line), and nothing else."""

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: ty.Any = None,
        error: Exception | None = None,
        _pool: ty.Any = None,
        _stacktrace: ty.Any = None,
    ) -> Self:
        if not (self.total and isinstance(error, u3_exc.ProtocolError) and method in RETRIED):
            _NONE.increment(method, url, response, error, _pool, _stacktrace)  # raises
        return super().increment(method, url, response, error, _pool, _stacktrace)


def once_after_stale_connections(session: ksa_session.Session) -> None:
    """Make ``session`` send a GET or HEAD once more when its connection
    broke before any answer (see the module)."""
    policy = StaleConnectionRetry(
        total=1,
        connect=0,
        read=1,
        redirect=False,
        status=0,
        other=0,
        respect_retry_after_header=False,  # a 503 is an answer, not a reason to wait
    )
    for adapter in session.session.adapters.values():
        adapter.max_retries = policy  # type: ignore[attr-defined]
