"""Error mapping: what keystoneauth1, requests and urllib3 raise, as
:mod:`glanceclient.exc` errors that say what failed.

Failures are told apart by their type and their public attributes (the
chain of ``__cause__``/``__context__``, urllib3's ``reason``, an
``OSError``'s ``strerror``), never by the words of a message.
"""

from __future__ import annotations

import http.client
import socket
import typing as ty

from keystoneauth1 import exceptions as ksa_exc
import requests
from urllib3 import exceptions as u3_exc

from glanceclient import exc
from glanceclient._i18n import _

if ty.TYPE_CHECKING:
    import collections.abc


def chain(error: BaseException) -> collections.abc.Iterator[BaseException]:
    """``error`` and every error it wraps, outermost first: its cause and
    context, urllib3's ``reason``, and exceptions given as arguments (as
    requests wraps urllib3's)."""
    seen: set[int] = set()
    stack: list[ty.Any] = [error]
    while stack:
        current = stack.pop(0)
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack.extend((current.__cause__, current.__context__, *current.args))
        stack.append(getattr(current, "reason", None))


def caused_by(error: BaseException, kinds: tuple[type[BaseException], ...]) -> BaseException | None:
    """``error`` or the first error it wraps that is one of ``kinds``, if any."""
    return next((e for e in chain(error) if isinstance(e, kinds)), None)


def timeout(
    where: str, seconds: float | None, kind: type[exc.Timeout] = exc.Timeout
) -> exc.Timeout:
    """The error for a call that took longer than ``seconds``."""
    if seconds is None:
        return kind(_("%(url)s did not answer in time.") % {"url": where})
    return kind(
        _("%(url)s did not answer within %(seconds)s seconds.")
        % {"url": where, "seconds": "%g" % seconds}
    )


def reason(error: BaseException) -> str:
    """The short reason of a connection failure (``Connection refused``)."""
    found = list(chain(error))
    if any(isinstance(e, http.client.RemoteDisconnected) for e in found):
        return _("the server closed the connection without answering")
    if any(isinstance(e, (http.client.IncompleteRead, u3_exc.InvalidChunkLength)) for e in found):
        return _("the answer was cut short")
    for e in reversed(found):
        if isinstance(e, OSError) and e.strerror:
            return e.strerror
    innermost = found[-1]
    return " ".join(str(innermost).split()) or type(innermost).__name__


def failed_url(error: BaseException) -> str | None:
    """The URL a connection failure was for, when the error says it."""
    for e in chain(error):
        request = getattr(e, "request", None) if isinstance(e, requests.RequestException) else None
        if request is not None and request.url:
            return str(request.url)
        if isinstance(e, u3_exc.MaxRetryError) and e.pool is not None:
            pool = e.pool
            return "%s://%s:%s%s" % (pool.scheme, pool.host, pool.port, e.url or "")
    return None


def connect_failure(error: BaseException, url: str | None) -> exc.CommunicationError:
    """Translate a failure before an answer came: a refused connection, one
    that could not be made (no route, a name that does not resolve), or one
    dropped before the answer.

    :param url: the URL requested, if known.
    """
    where = exc.redact_url(url or failed_url(error) or _("the server"))
    why = reason(error)
    if caused_by(error, (ConnectionRefusedError,)):
        return exc.ConnectionRefused(
            _("Unable to connect to %(url)s: %(reason)s.") % {"url": where, "reason": why}
        )
    if caused_by(error, (u3_exc.NewConnectionError, socket.gaierror)):
        return exc.Unreachable(
            _("Unable to connect to %(url)s: %(reason)s.") % {"url": where, "reason": why}
        )
    return exc.CommunicationError(
        _("The connection to %(url)s broke before an answer came: %(reason)s.")
        % {"url": where, "reason": why}
    )


def read_error(
    error: Exception, url: str, seconds: float | None, stream: bool = False
) -> exc.ClientException:
    """Translate a failure while an answer's body was read.

    :param stream: the body is image data: a timeout, a broken connection
        or data that cannot be decompressed is a
        :class:`~glanceclient.exc.StreamError` (also an ``OSError``).
    """
    where = exc.redact_url(url)
    if caused_by(error, (TimeoutError, u3_exc.TimeoutError)):
        return timeout(where, seconds, exc.StreamTimeout if stream else exc.Timeout)
    if caused_by(error, (u3_exc.DecodeError,)):
        message = _("The server at %(url)s answered a body that cannot be decompressed.") % {
            "url": where
        }
        return exc.StreamError(message) if stream else exc.InvalidResponse(message, url=url)
    return (exc.StreamError if stream else exc.CommunicationError)(
        _("The connection to %(url)s broke before the answer was complete: %(reason)s.")
        % {"url": where, "reason": reason(error)}
    )


class Unsendable(exc.InvalidArgument):
    """A request that cannot be sent (raised without its cause, whose text
    may quote the token)."""


def unsendable(where: str, error: BaseException) -> Unsendable:
    """A request that cannot be sent: a header or URL holding what HTTP
    cannot carry (a token outside Latin-1, a line break)."""
    cause = error.__context__ or error
    if isinstance(cause, (requests.exceptions.InvalidHeader, UnicodeError)):
        # requests quotes the header's value, which may be the token.
        why = _(
            "a header (the token?) holds a line break, a control character or a "
            "character outside Latin-1"
        )
    else:
        why = exc.safe_text(str(cause))
    return Unsendable(
        _("The request to %(url)s cannot be sent: %(error)s") % {"url": where, "error": why}
    )


def translate(
    error: Exception, url: str | None, seconds: float | None, session: ty.Any
) -> exc.ClientException | None:
    """The error of ours for what a keystoneauth1 call raised, or None to
    let it through.

    :param url: the URL requested, named in connection errors.
    :param seconds: the call's timeout, named in timeout errors.
    :param session: the keystoneauth1 Session (its TLS files name TLS
        failures).
    """
    where = exc.redact_url(url) if url else _("the server")
    if isinstance(error, ksa_exc.ConnectTimeout):
        return timeout(where, seconds)
    if isinstance(error, (ksa_exc.SSLError, OSError)):
        # Loaded on a TLS failure only: its patterns would cost every start-up.
        from glanceclient.common import tls

        if isinstance(error, ksa_exc.SSLError):
            return tls.ssl_error(error, url, session)
        # requests checks the CA, certificate and key paths itself.
        return tls.missing_file(error, url)
    if isinstance(error, ksa_exc.ConnectFailure):
        return connect_failure(error, url)
    if isinstance(error, ksa_exc.UnknownConnectionError):
        malformed = caused_by(error, (u3_exc.InvalidHeader,))
        if malformed is not None:  # in the answer (Content-Length: 5, 6)
            return exc.InvalidResponse(
                _("The server at %(url)s answered a malformed header: %(error)s")
                % {"url": where, "error": malformed}
            )
        if caused_by(error, (ValueError,)):  # requests' InvalidHeader, InvalidURL
            return unsendable(where, error)
        return exc.CommunicationError(
            _("Connection to %(url)s failed: %(error)s") % {"url": where, "error": error}
        )
    if isinstance(error, ksa_exc.EndpointNotFound):
        return exc.EndpointNotFound(
            _("No Image API endpoint was found in the service catalog: %(error)s")
            % {"error": error}
        )
    if isinstance(error, ksa_exc.HttpError):
        # Requests are sent with raise_exc=False: this one comes from
        # authenticating with the identity service.
        response = error.response
        message = exc.server_message(response) if response is not None else error.message
        return exc.error_class(error.http_status)(
            message,
            status_code=error.http_status,
            method=error.method,
            url=error.url,
            request_id=error.request_id,
        )
    if isinstance(error, ksa_exc.ClientException):
        return exc.AuthenticationError(_("Authentication failed: %(error)s") % {"error": error})
    if isinstance(error, (UnicodeError, ValueError)):
        # A header that cannot be sent (a token outside Latin-1).
        return unsendable(where, error)
    return None
