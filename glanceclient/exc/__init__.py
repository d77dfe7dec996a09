"""Errors raised by python-glanceclient.

Everything the library raises on purpose derives from :class:`ClientException`,
so a caller (or a command-line front end) needs one ``except`` clause. The
HTTP errors are built from a status-code map by :func:`from_response`; each
carries the status, the server's message cleaned of markup, the method, the
URL and the request id, and its ``str()`` is one readable line.
"""

from __future__ import annotations

import errno
import typing as ty

from glanceclient._i18n import _
from glanceclient.exc.text import MAX_QUOTED as MAX_QUOTED
from glanceclient.exc.text import clean_message as clean_message
from glanceclient.exc.text import one_line as one_line
from glanceclient.exc.text import redact_url as redact_url
from glanceclient.exc.text import safe_text as safe_text
from glanceclient.exc.text import server_message as server_message
from glanceclient.exc.text import truncate as truncate

if ty.TYPE_CHECKING:
    import requests


class ClientException(Exception):
    """Base of every error raised by python-glanceclient."""

    def __init__(self, message: object = None) -> None:
        # Any object, as upstream takes it (cinder raises Forbidden(image_id)).
        text = message if message is None or isinstance(message, str) else str(message)
        # A URL's password must not reach a terminal or a log.
        self.message = redact_url(text or self.__class__.__doc__ or self.__class__.__name__)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class InvalidArgument(ClientException, ValueError):
    """A caller's argument was rejected before anything was sent."""


class SchemaValidationError(InvalidArgument, TypeError):
    """A value to write does not fit the server's schema.

    Also a :class:`TypeError`, which upstream python-glanceclient raises
    for it (nova and horizon callers may catch that).
    """


class CommandError(ClientException):
    """The command line does not say enough to do what is asked."""


class UnsupportedVersion(ClientException):
    """The requested Image API major version is not supported."""


class EndpointNotFound(ClientException):
    """No Image API endpoint could be found."""


class AuthenticationError(ClientException):
    """Authentication with the identity service failed."""


class CommunicationError(ClientException):
    """The server could not be reached or did not answer."""


class InvalidEndpoint(InvalidArgument):
    """The Image API endpoint is not usable (upstream name; nova retries it):
    not an http or https URL with a host, or with a query or fragment,
    whether given or found in a catalog."""


class Unreachable(CommunicationError):
    """No connection could be made to the server (refused, no route, name
    not resolved)."""


class ConnectionRefused(Unreachable):
    """The connection to the server was refused."""


class Timeout(CommunicationError):
    """The server did not answer in time."""


class StreamError(CommunicationError, OSError):
    """Image data could not be read to its end: the connection broke, or
    the server sent less or more than the image's size.

    Also an :class:`OSError`, as upstream's stream errors were ``IOError``
    (nova catches those around an image download).
    """


class StreamTimeout(StreamError, Timeout):
    """No image data came within the timeout while it was read."""


class SSLError(CommunicationError):
    """The TLS connection to the server failed.

    :ivar url: the URL being requested, when known.
    :ivar reason: what went wrong, one of the ``REASON_*`` names of
        :mod:`glanceclient.common.tls` (``"untrusted"``, ``"expired"``...).
    :ivar fix: what fixes it, one of the ``TLS_FIX_*`` names of
        :mod:`glanceclient.vocabulary`, which front ends word with the
        option to use (``--os-cacert``...).
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        url: str | None = None,
        reason: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.url = url
        self.reason = reason
        self.fix = fix
        super().__init__(message)


# Upstream's names for TLS problems, kept for callers that catch them.
class SSLCertificateError(SSLError):
    """The server's certificate was refused: untrusted, expired, or not
    valid for the host name."""


class SSLConfigurationError(SSLError):
    """A TLS file given to the client (CA bundle, client certificate or
    key) is missing or unusable."""


class NoTokenLookupException(ClientException):
    """No token could be found (upstream name, never raised)."""


class CorruptDownload(BrokenPipeError, ClientException):
    """Downloaded image data does not match the hash the server recorded.

    An :class:`OSError` with errno ``EPIPE``, as upstream raises it (nova
    retries on ``IOError``); raised after the last chunk was read.
    """

    def __init__(self, message: str) -> None:
        BrokenPipeError.__init__(self, errno.EPIPE, message)
        self.message = message


class ImageDataEndedEarly(ClientException):
    """Image data to upload ended before the size announced for it."""


class InvalidResponse(ClientException):
    """The server answered something this client cannot understand."""

    def __init__(self, message: str, *, url: str | None = None, body: str | None = None) -> None:
        self.url = url
        self.body = body
        super().__init__(message)


class UnknownHashAlgorithm(InvalidResponse, ValueError):
    """The image's multihash algorithm is not one this Python has (also a
    :class:`ValueError`, which upstream raises for it)."""


class ResponseTooLarge(InvalidResponse):
    """The server's answer is larger than the client reads."""


class NotFound(ClientException):
    """Something asked for does not exist."""


class NoImageMatch(NotFound):
    """No image has the given name or ID."""


class NoUniqueMatch(ClientException):
    """More than one image has the given name."""

    def __init__(self, message: str, *, candidates: ty.Sequence[str]) -> None:
        self.candidates = list(candidates)
        super().__init__(message)


class HTTPException(ClientException):
    """The server answered with an HTTP error status."""

    status_code: int = 0
    #: Reason phrase used when the server does not send one.
    reason: str = "HTTP Error"

    def __init__(
        self,
        message: object = None,
        *,
        details: object = None,
        status_code: int | None = None,
        method: str | None = None,
        url: str | None = None,
        request_id: str | None = None,
    ) -> None:
        # details=: upstream's name for the message (heat and nova tests).
        message = details if message is None else message
        if status_code is not None:
            self.status_code = status_code
        self.details = "" if message is None else str(message)
        self.method = method
        self.url = redact_url(url) if url else url
        self.request_id = request_id
        super().__init__(self.details)

    @property
    def code(self) -> int | str:
        """The HTTP status (upstream's name for it; ``'N/A'`` if unknown)."""
        return self.status_code or "N/A"

    def __str__(self) -> str:
        text = "HTTP %s %s" % (self.status_code, self.reason)
        if self.details:
            text += ": " + self.details
        where = " ".join(part for part in (self.method, self.url) if part)
        extra = [
            part for part in (where, self.request_id and "request id " + self.request_id) if part
        ]
        if extra:
            text += " (%s)" % ", ".join(extra)
        return text


class HTTPClientError(HTTPException):
    """The server rejected the request (4xx)."""

    reason = "Client Error"


class HTTPServerError(HTTPException):
    """The server failed to answer the request (5xx)."""

    reason = "Server Error"


class HTTPRedirection(HTTPException):
    """The server answered a redirection (3xx), which is never followed:
    Glance does not redirect, and the request's token must not travel to
    wherever an answer points."""

    reason = "Redirection"

    def __init__(self, *args: ty.Any, location: str | None = None, **kwargs: ty.Any) -> None:
        #: Where the server tried to send the request (``Location``).
        self.location = redact_url(location) if location else location
        super().__init__(*args, **kwargs)


class HTTPMultipleChoices(HTTPRedirection):
    status_code = 300
    reason = "Multiple Choices"


# The short names (BadRequest, Unauthorized, Forbidden, NotFound, Conflict,
# OverLimit, ServiceUnavailable) are upstream's deprecated aliases; cinder
# and old ironic still catch them, so each HTTP* class derives from its one.
class BadRequest(HTTPClientError):
    status_code = 400
    reason = "Bad Request"


class HTTPBadRequest(BadRequest):
    pass


class Unauthorized(HTTPClientError):
    status_code = 401
    reason = "Unauthorized"


class HTTPUnauthorized(Unauthorized):
    pass


class Forbidden(HTTPClientError):
    status_code = 403
    reason = "Forbidden"


class HTTPForbidden(Forbidden):
    pass


class HTTPNotFound(HTTPClientError, NotFound):
    status_code = 404
    reason = "Not Found"


class HTTPMethodNotAllowed(HTTPClientError):
    status_code = 405
    reason = "Method Not Allowed"


class HTTPNotAcceptable(HTTPClientError):
    status_code = 406
    reason = "Not Acceptable"


class Conflict(HTTPClientError):
    status_code = 409
    reason = "Conflict"


class HTTPConflict(Conflict):
    pass


class HTTPGone(HTTPClientError):
    status_code = 410
    reason = "Gone"


class OverLimit(HTTPClientError):
    status_code = 413
    reason = "Request Entity Too Large"


class HTTPOverLimit(OverLimit):
    pass


class HTTPUnsupportedMediaType(HTTPClientError):
    status_code = 415
    reason = "Unsupported Media Type"


class HTTPRequestedRangeNotSatisfiable(HTTPClientError):
    status_code = 416
    reason = "Requested Range Not Satisfiable"


class HTTPTooManyRequests(HTTPClientError):
    status_code = 429
    reason = "Too Many Requests"


class HTTPInternalServerError(HTTPServerError):
    status_code = 500
    reason = "Internal Server Error"


class HTTPNotImplemented(HTTPServerError):
    status_code = 501
    reason = "Not Implemented"


class HTTPBadGateway(HTTPServerError):
    status_code = 502
    reason = "Bad Gateway"


class ServiceUnavailable(HTTPServerError):
    status_code = 503
    reason = "Service Unavailable"


class HTTPServiceUnavailable(ServiceUnavailable):
    pass


class HTTPGatewayTimeout(HTTPServerError):
    status_code = 504
    reason = "Gateway Timeout"


class VersionNotSupported(HTTPNotImplemented):
    """The server does not offer the API version an operation needs.

    Decided from the server's version list, not from a 501: it is an
    :class:`HTTPNotImplemented` because python-glanceclient 4.x raised that
    for a missing version, and callers catch it (nova falls back to the old
    location API on it). Its text is its message alone.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        required: tuple[int, int],
        available: tuple[int, int] | None,
        url: str,
    ) -> None:
        self.operation = operation
        self.required = required
        self.available = available
        super().__init__(message, url=url)

    def __str__(self) -> str:
        return self.message


class CachingNotEnabled(VersionNotSupported):
    """The server does not offer the image-cache API (no v2.14)."""


#: The error class for each status code this client knows by name.
STATUS_CODE_MAP: dict[int, type[HTTPException]] = {
    cls.status_code: cls
    for cls in (
        HTTPMultipleChoices,
        HTTPBadRequest,
        HTTPUnauthorized,
        HTTPForbidden,
        HTTPNotFound,
        HTTPMethodNotAllowed,
        HTTPNotAcceptable,
        HTTPConflict,
        HTTPGone,
        HTTPOverLimit,
        HTTPUnsupportedMediaType,
        HTTPRequestedRangeNotSatisfiable,
        HTTPTooManyRequests,
        HTTPInternalServerError,
        HTTPNotImplemented,
        HTTPBadGateway,
        HTTPServiceUnavailable,
        HTTPGatewayTimeout,
    )
}


def error_class(status: int) -> type[HTTPException]:
    """The class for an HTTP error status: its own, else its family's."""
    default = (
        HTTPServerError if status >= 500 else HTTPClientError if status >= 400 else HTTPRedirection
    )
    return STATUS_CODE_MAP.get(status, default)


def from_response(response: requests.Response, method: str, url: str) -> HTTPException:
    """Build the error matching an HTTP answer of status 300 or above.

    :param response: the server's answer.
    :param method: the request's method.
    :param url: the request's URL.
    :returns: an instance of the class :data:`STATUS_CODE_MAP` gives for the
        status, else :class:`HTTPRedirection`, :class:`HTTPClientError` or
        :class:`HTTPServerError`.
    """
    status = response.status_code
    cls = error_class(status)
    request_id = response.headers.get("x-openstack-request-id")
    if issubclass(cls, HTTPRedirection):
        location = response.headers.get("Location")
        if location:
            message = _(
                "the server redirected the request to %(location)s; Glance does not "
                "redirect, so it was not followed: check the endpoint"
            ) % {"location": truncate(clean_message(location), 200)}
        else:
            message = _(
                "the server answered a redirection without a location; Glance does not "
                "redirect: check the endpoint"
            )
        return cls(
            message,
            status_code=status,
            method=method,
            url=url,
            request_id=request_id,
            location=location,
        )
    return cls(
        server_message(response) or _("(no message)"),
        status_code=status,
        method=method,
        url=url,
        request_id=request_id,
    )
