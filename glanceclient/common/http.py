"""The HTTP layer: one client on a keystoneauth1 Adapter.

Authentication, token redaction in logs, TLS, retries and request ids come
from keystoneauth1; this module adds the Image API's base URL, the checks
of endpoints and timeouts, the bounded reading of answers (a size cap and a
deadline on the whole call), and the translation of every failure into
:mod:`glanceclient.exc`.

Glance never redirects: redirections are not followed (a credential must
not travel to wherever a server points), and every status of 300 or above
is an error.
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
import time
import typing as ty
from urllib import parse

from keystoneauth1 import adapter
from keystoneauth1 import exceptions as ksa_exc

from glanceclient import exc
from glanceclient import version
from glanceclient._i18n import _

if ty.TYPE_CHECKING:
    from keystoneauth1 import session as ksa_session
    import requests

LOG = logging.getLogger(__name__)

JSON = "application/json"
SERVICE_TYPE = "image"
VERSION_SUFFIX = re.compile(r"/v\d+(\.\d+)?/*$")

#: The largest JSON answer read, once decompressed: far beyond any real
#: answer, small enough that a hostile server cannot exhaust memory.
DEFAULT_MAX_JSON_SIZE = 64 * 1024 * 1024
#: A call's time limit without a session, in seconds (upstream's, and the
#: ``glance`` command's ``--timeout`` default).
DEFAULT_TIMEOUT = 600.0
#: How much of an error answer is read to quote the server's message.
MAX_ERROR_BODY = 64 * 1024
#: The size of each read from the network.
CHUNK_SIZE = 64 * 1024
#: Connections kept per host by the sessions built here: enough for the
#: threads a caller typically runs on one client.
DEFAULT_POOL_SIZE = 32
#: The largest Content-Length believed (a signed 64-bit size).
MAX_CONTENT_LENGTH = 2**63 - 1
#: The schemes an Image API endpoint may use.
SCHEMES = ("http", "https")


def root_url(endpoint: str) -> str:
    """Return the service root of an Image API endpoint.

    Catalogs and users give either the root (``http://h:9292``) or a
    versioned URL (``http://h:9292/v2``); requests are built from the root.
    """
    return VERSION_SUFFIX.sub("", endpoint.rstrip("/")).rstrip("/")


def check_endpoint(url: str, where: str | None = None) -> str:
    """Return ``url`` if it can be an Image API endpoint.

    :param url: the endpoint, given by a user or found in a catalog.
    :param where: where it came from (``--os-image-url``), for the message.
    :raises glanceclient.exc.InvalidEndpoint: no ``http``/``https`` scheme,
        no host, or a query or fragment (which every request would drop or
        carry along, sending it to the wrong route).
    """
    problem = _endpoint_problem(url)
    if problem is None:
        return url
    shown = exc.redact_url(str(url))
    if where:
        message = _("The endpoint %(url)r from %(where)s cannot be used: %(problem)s.") % {
            "url": shown,
            "where": where,
            "problem": problem,
        }
    else:
        message = _("The endpoint %(url)r cannot be used: %(problem)s.") % {
            "url": shown,
            "problem": problem,
        }
    raise exc.InvalidEndpoint(message)


def _endpoint_problem(url: object) -> str | None:
    """What makes ``url`` unusable as an endpoint, or None."""
    if not isinstance(url, str) or not url:
        return _("it is not a URL")
    if any(c.isspace() or not c.isprintable() for c in url):
        return _("it holds spaces or control characters")
    try:
        parts = parse.urlsplit(url)
        parts.port  # noqa: B018 (raises for a port that is not a number)
    except ValueError as e:
        return str(e)
    if "://" not in url:
        return _("it has no scheme (http:// or https://)")
    if parts.scheme.lower() not in SCHEMES:
        return _("its scheme is %(scheme)s, not http or https") % {"scheme": parts.scheme}
    if not parts.hostname:
        return _("it names no host")
    if parts.query or "?" in url:
        return _("it has a query (?...), which requests would not carry")
    if parts.fragment or "#" in url:
        return _("it has a fragment (#...), which requests would not carry")
    return None


def check_timeout(value: ty.Any, name: str | None = "timeout") -> float | None:
    """Return ``value`` as seconds, or None for no timeout.

    :param name: the argument named in the message (None: name none).
    :raises glanceclient.exc.InvalidArgument: not a finite number above 0.
    """
    if value is None:
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError, OverflowError):
        seconds = math.nan
    if isinstance(value, bool) or not (math.isfinite(seconds) and seconds > 0):
        if name is None:
            message = _("%(value)r is not a number of seconds above 0.") % {"value": value}
        else:
            message = _("%(name)s must be a number of seconds above 0, not %(value)r.") % {
                "name": name,
                "value": value,
            }
        raise exc.InvalidArgument(message)
    return seconds


def size_pool(session: ksa_session.Session, size: int) -> None:
    """Let ``session`` keep ``size`` connections per host (and the pools of
    ``size`` hosts), for as many concurrent calls, unless it already keeps
    as many.

    :param session: a keystoneauth1 Session.
    :param size: the number of calls that may run at once.
    """
    from keystoneauth1 import session as ksa_session

    transport = session.session
    for prefix in ("https://", "http://"):
        current = transport.adapters.get(prefix)
        if getattr(current, "_pool_maxsize", 0) >= size:
            continue
        # Keep the adapter's TLS settings where keystoneauth1 has them: the
        # releases pip picks for Python 3.10 (5.14) have neither.
        tls = {
            name: getattr(current, name)
            for name in ("tls_ciphers", "tls_min_version")
            if hasattr(current, name)
        }
        # As many hosts' pools as connections: a fleet's nodes each keep theirs.
        adapter = ksa_session.TCPKeepAliveAdapter(pool_connections=size, pool_maxsize=size, **tls)
        transport.mount(prefix, adapter)


def build_session(
    *,
    auth: ty.Any = None,
    insecure: bool = False,
    cacert: str | None = None,
    cert: str | None = None,
    key: str | None = None,
    timeout: float | None = None,
    split_loggers: bool | None = None,
    pool_size: int = DEFAULT_POOL_SIZE,
    collect_timing: bool = False,
    tls_ciphers: str | None = None,
    tls_min_version: str | None = None,
) -> ksa_session.Session:
    """Make a keystoneauth1 Session from the usual TLS and timeout options.

    :param timeout: seconds each call may take in all.
    :param pool_size: connections kept per host (the concurrency expected).
    :param collect_timing: keep each request's timing
        (``session.get_timings()``).
    :param tls_ciphers: an OpenSSL cipher string for TLS connections.
    :param tls_min_version: the lowest TLS version accepted (``"1.2"``).
    :raises glanceclient.exc.InvalidArgument: a timeout that is not a
        number of seconds above 0.
    """
    from keystoneauth1 import session as ksa_session

    seconds = check_timeout(timeout)
    verify: bool | str = False if insecure else (cacert or True)
    client_cert: str | tuple[str, str] | None = (cert, key) if cert and key else cert
    session = ksa_session.Session(
        auth=auth,
        verify=verify,
        cert=client_cert,
        timeout=seconds,
        split_loggers=split_loggers,
        collect_timing=collect_timing,
    )
    size_pool(session, pool_size)
    if tls_ciphers or tls_min_version:
        require_tls(session, tls_ciphers, tls_min_version)
    return session


def require_tls(session: ksa_session.Session, ciphers: str | None, min_version: str | None) -> None:
    """Make ``session``'s HTTPS connections use these TLS settings.

    :param ciphers: an OpenSSL cipher string, or None for OpenSSL's.
    :param min_version: the lowest TLS version accepted (``"1.2"``,
        ``"1.3"``), or None for the system's policy.
    """
    from keystoneauth1 import session as ksa_session

    current = session.session.adapters.get("https://")
    size = getattr(current, "_pool_maxsize", DEFAULT_POOL_SIZE)
    session.session.mount(
        "https://",
        ksa_session.TCPKeepAliveAdapter(
            pool_connections=size,
            pool_maxsize=size,
            tls_ciphers=ciphers,
            tls_min_version=min_version,  # type: ignore[arg-type]
        ),
    )


def check_header(name: str, value: object) -> None:
    """Refuse a header value HTTP cannot carry, without quoting it (it may
    be a token).

    :param name: the header (``X-Auth-Token``: named "the token").
    :raises glanceclient.exc.InvalidArgument: a line break, a space or
        another control character in ``value``, or a character outside
        Latin-1.
    """
    if not isinstance(value, str):
        return
    what = _("The token") if name.lower() == "x-auth-token" else _("The header %s") % name
    if any(c.isspace() or not c.isprintable() for c in value):
        problem = _(
            "it holds a line break, a space or another control character (was it read "
            "from a file with CRLF line ends?)"
        )
    elif any(ord(c) > 255 for c in value):
        problem = _("it holds a character outside Latin-1, which HTTP cannot carry")
    else:
        return
    raise exc.InvalidArgument(
        _("%(what)s cannot be sent: %(problem)s.") % {"what": what, "problem": problem}
    )


def content_length(response: requests.Response) -> int | None:
    """An answer's ``Content-Length``, or None when it has none or one that
    is not a byte count. Repeated identical values (``5, 5``, as a proxy
    joins repeated headers) are that value, as HTTP allows."""
    values = {v.strip() for v in response.headers.get("Content-Length", "").split(",")}
    if len(values) != 1:
        return None
    value = values.pop()
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_CONTENT_LENGTH:
        return None
    return int(value)


def _pop_header(headers: dict[str, str], name: str) -> str | None:
    """Remove and return a header, whatever the case of its name."""
    for key in list(headers):
        if key.lower() == name.lower():
            return headers.pop(key)
    return None


def make_http_client(
    endpoint: str | None = None,
    *,
    session: ksa_session.Session | None = None,
    token: str | None = None,
    insecure: bool = False,
    cacert: str | None = None,
    cert: str | None = None,
    key: str | None = None,
    cert_file: str | None = None,
    key_file: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    split_loggers: bool | None = None,
    ssl_compression: bool | None = None,
    identity_headers: dict[str, str] | None = None,
    language_header: str | None = None,
    pool_size: int = DEFAULT_POOL_SIZE,
    max_json_size: int = DEFAULT_MAX_JSON_SIZE,
    collect_timing: bool = False,
    tls_ciphers: str | None = None,
    tls_min_version: str | None = None,
    **adapter_options: ty.Any,
) -> SessionClient:
    """Build the HTTP client from any of the constructions callers use.

    With a ``session``, ``endpoint`` (the Image API URL, with or without
    ``/v2``) becomes the ``endpoint_override`` unless one is given, and
    ``adapter_options`` are keystoneauth1 Adapter options (``auth``,
    ``interface``, ``region_name``, ``connect_retries``,
    ``additional_headers``, ...). Without one, the endpoint is required and
    a session is made from the token and TLS options.

    :param token: sent as ``X-Auth-Token`` (token mode; none: no header).
    :param cert_file: upstream's name for ``cert``.
    :param key_file: upstream's name for ``key``.
    :param split_loggers: keystoneauth1's option of the same name.
    :param ssl_compression: accepted for upstream callers and ignored.
    :param identity_headers: headers sent with every request; an
        ``X-Auth-Token`` among them is the token.
    :param language_header: sent as ``Accept-Language``.
    :param timeout: seconds each call may take in all, its answer's body
        included (without a session, default 600 as upstream's; None: no
        limit; with a session, the session's timeout).
    :param pool_size: connections kept per host, as many as the threads
        that share the client (without a session).
    :param max_json_size: the largest JSON answer read, in bytes once
        decompressed; a larger one raises ResponseTooLarge.
    :param collect_timing: without a session: keep each request's timing.
    :param tls_ciphers: without a session: an OpenSSL cipher string.
    :param tls_min_version: without a session: the lowest TLS version
        accepted (``"1.2"``, ``"1.3"``).
    :raises glanceclient.exc.InvalidArgument: neither session nor endpoint,
        or a timeout that is not a number of seconds above 0.
    :raises glanceclient.exc.InvalidEndpoint: without a session, an
        endpoint that is not an http or https URL, or has a query or
        fragment (with one, the first request raises it).
    :raises TypeError: an option keystoneauth1's Adapter does not know.
    """
    del ssl_compression  # Long gone from TLS; upstream ignores it too.
    if endpoint is not None and session is None:
        check_endpoint(endpoint)
    check_timeout(timeout)
    headers = dict(identity_headers or {})
    for name, value in [("X-Auth-Token", token), *headers.items()]:
        check_header(name, value)
    if language_header:
        headers["Accept-Language"] = language_header
    if session is None:
        if not endpoint:
            raise exc.InvalidArgument(
                _("Give a keystoneauth1 session, or an endpoint (and a token).")
            )
        token = token or _pop_header(headers, "X-Auth-Token")
        auth = None
        if token:
            from keystoneauth1 import token_endpoint

            auth = token_endpoint.Token(endpoint, token)
        session = build_session(
            auth=auth,
            insecure=insecure,
            cacert=cacert,
            cert=cert or cert_file,
            key=key or key_file,
            timeout=timeout,
            split_loggers=split_loggers,
            pool_size=pool_size,
            collect_timing=collect_timing,
            tls_ciphers=tls_ciphers,
            tls_min_version=tls_min_version,
        )
    if endpoint:
        adapter_options.setdefault("endpoint_override", endpoint)
    return SessionClient(
        session, default_headers=headers, max_json_size=max_json_size, **adapter_options
    )


class SessionClient:
    """Send Image API requests through a keystoneauth1 Session.

    :param session: an authenticated keystoneauth1 Session.
    :param service_type: catalog service type (``image``).
    :param logger: where keystoneauth1 logs requests (tokens redacted).
    :param max_json_size: the largest JSON answer read, in bytes once
        decompressed.
    :param default_headers: headers sent with every request, below the
        request's own.
    :param adapter_options: other keystoneauth1 Adapter options
        (``interface``, ``region_name``, ``endpoint_override``,
        ``global_request_id``, ``additional_headers``, ...).
    """

    def __init__(
        self,
        session: ksa_session.Session,
        *,
        service_type: str = SERVICE_TYPE,
        logger: logging.Logger | None = None,
        default_headers: dict[str, str] | None = None,
        max_json_size: int = DEFAULT_MAX_JSON_SIZE,
        **adapter_options: ty.Any,
    ) -> None:
        # The endpoint is checked at the first request, not here: upstream
        # passed it to the adapter unchecked, and zun's tests build a client
        # on a mock session with endpoint='glance_url'.
        if (
            isinstance(max_json_size, bool)
            or not isinstance(max_json_size, int)
            or max_json_size <= 0
        ):
            raise exc.InvalidArgument(
                _("max_json_size must be a number of bytes above 0, not %(value)r.")
                % {"value": max_json_size}
            )
        adapter_options.setdefault("client_name", version.DISTRIBUTION)
        adapter_options.setdefault("client_version", version.version_string())
        self.adapter = adapter.Adapter(
            session, service_type=service_type, logger=logger or LOG, **adapter_options
        )
        self.default_headers = dict(default_headers or {})
        self.max_json_size = max_json_size
        self._root: str | None = None
        self._root_lock = threading.Lock()
        self._local = threading.local()

    @property
    def last_request_id(self) -> str | None:
        """The ``x-openstack-request-id`` of the last answer this thread got."""
        found: str | None = getattr(self._local, "request_id", None)
        return found

    @property
    def timeout(self) -> float | None:
        """Seconds each call may take in all (the session's timeout)."""
        seconds: float | None = self.adapter.session.timeout
        return seconds

    @property
    def additional_headers(self) -> ty.MutableMapping[str, str]:
        """Headers added to every request; callers may replace them.

        cinder sets ``client.http_client.additional_headers`` before each
        call (``x-image-meta-store``, ``x-openstack-base-image-ref``).
        """
        return self.adapter.additional_headers

    @additional_headers.setter
    def additional_headers(self, headers: ty.MutableMapping[str, str] | None) -> None:
        self.adapter.additional_headers = dict(headers or {})

    @property
    def session(self) -> ksa_session.Session:
        """The keystoneauth1 Session requests go through."""
        return self.adapter.session

    @property
    def endpoint_override(self) -> str | None:
        """The Image API URL given instead of the catalog's, if any."""
        return self.adapter.endpoint_override

    @property
    def interface(self) -> ty.Any:
        """The catalog interface used."""
        return self.adapter.interface

    @property
    def region_name(self) -> str | None:
        """The catalog region used."""
        return self.adapter.region_name

    @property
    def service_type(self) -> str:
        """The catalog service type used."""
        return ty.cast(str, self.adapter.service_type)

    @property
    def root(self) -> str:
        """The Image API service root, looked up once."""
        with self._root_lock:
            if self._root is None:
                endpoint = self._call(self.adapter.get_endpoint)
                if not endpoint:
                    raise exc.EndpointNotFound(
                        _(
                            "No Image API endpoint was found: check the region and "
                            "interface, or give the endpoint explicitly."
                        )
                    )
                given = self.adapter.endpoint_override is not None
                where = None if given else _("the service catalog")
                self._root = root_url(check_endpoint(endpoint, where))
            return self._root

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        params: ty.Any = None,
        json: ty.Any = None,
        data: ty.Any = None,
        content_type: str | None = None,
        stream: bool = False,
        authenticated: bool | None = None,
        timeout: float | None = None,
        accept: tuple[int, ...] = (),
    ) -> requests.Response:
        """Send ``method path`` (``path`` is below the service root).

        :param headers: headers of this request (they win over the
            client's own).
        :param params: the query (a mapping, or pairs to repeat a key).
        :param json: a body to send as JSON.
        :param data: a body to send as it is (bytes, or an iterator of
            bytes, sent chunked).
        :param content_type: the body's type (default: JSON for ``json``).
        :param stream: leave the body unread, for :func:`iter_body`;
            otherwise it is read whole, up to ``max_json_size``.
        :param authenticated: False to send no token (None: the session
            decides).
        :param timeout: seconds this call may take in all instead of the
            session's timeout.
        :param accept: statuses of 300 or above that are an answer here
            (a version list may come as 300 Multiple Choices).
        :returns: the response, whose status is below 300 or in ``accept``.
        :raises glanceclient.exc.HTTPException: for any status of 300 or
            above (redirections are never followed).
        :raises glanceclient.exc.Timeout: the call took longer than the
            timeout, its answer's body included.
        :raises glanceclient.exc.CommunicationError: the server cannot be
            reached, or dropped the connection.
        :raises glanceclient.exc.ResponseTooLarge: the answer is larger than
            ``max_json_size``.
        :raises glanceclient.exc.SSLError: TLS failed (one of its
            subclasses, saying why and which option fixes it).
        """
        url = self.root + path
        if timeout is None:
            timeout = self.timeout
        else:
            check_timeout(timeout)
        deadline = None if timeout is None else time.monotonic() + timeout
        all_headers = {"Accept": JSON}
        all_headers.update(self.default_headers)
        if content_type:
            all_headers["Content-Type"] = content_type
        if headers:
            all_headers.update(headers)
        options: dict[str, ty.Any] = {}
        if json is not None:
            options["json"] = json
        if data is not None:
            options["data"] = data
        if authenticated is not None:
            options["authenticated"] = authenticated
        if timeout is not None:
            options["timeout"] = timeout
        response: requests.Response = self._call(
            self.adapter.request,
            url,
            method,
            url=url,
            headers=all_headers,
            params=params,
            raise_exc=False,
            redirect=False,
            stream=True,
            **options,
        )
        self._local.request_id = response.headers.get("x-openstack-request-id")
        if response.status_code >= 300 and response.status_code not in accept:
            body = self._read(response, url, MAX_ERROR_BODY, deadline, cut=True)
            _keep_body(response, body)
            raise exc.from_response(response, method, url)
        if not stream:
            _keep_body(response, self._read(response, url, self.max_json_size, deadline))
        return response

    def get_json(self, path: str, *, params: ty.Any = None) -> ty.Any:
        """GET ``path`` and decode its JSON body.

        :raises glanceclient.exc.InvalidResponse: if the body is not JSON.
        """
        response = self.request("GET", path, params=params)
        return decode_json(response)

    def json_request(
        self, method: str, path: str, **kwargs: ty.Any
    ) -> tuple[requests.Response, ty.Any]:
        """Send a request (as :meth:`request`); decode any JSON answer.

        :returns: the response, and its decoded body (None when empty).
        :raises glanceclient.exc.InvalidResponse: a body that is not JSON.
        """
        response = self.request(method, path, **kwargs)
        return response, (decode_json(response) if response.content else None)

    def _read(
        self,
        response: requests.Response,
        url: str,
        limit: int,
        deadline: float | None,
        cut: bool = False,
    ) -> bytes:
        """Read a body, at most ``limit`` bytes, before ``deadline``.

        :param cut: keep the first ``limit`` bytes of a larger body rather
            than raise.
        :raises glanceclient.exc.ResponseTooLarge: a larger body (not cut).
        :raises glanceclient.exc.Timeout: the deadline passed.
        """
        if getattr(response, "_content_consumed", False):
            # keystoneauth1 read it already, to log it (--debug).
            chunks = [response.content[: limit + 1]]
            if len(chunks[0]) > limit and not cut:
                raise self._too_large(url, limit)
            return chunks[0][:limit]
        chunks = []
        size = 0
        complete = False
        sock = _socket_of(response)
        original = sock.gettimeout() if sock is not None else None
        try:
            while True:
                # One read at a time, each as soon as some data is there,
                # so that the deadline bounds a body that trickles in.
                _bound_wait(sock, deadline)
                chunk = response.raw.read1(CHUNK_SIZE, decode_content=True)
                if not chunk:
                    complete = True
                    break
                size += len(chunk)
                if size > limit:
                    if cut:
                        chunks.append(chunk[: limit - size])
                        break
                    raise self._too_large(url, limit)
                chunks.append(chunk)
        except exc.ClientException:
            raise
        except Exception as e:
            raise _read_error(e, url, self.timeout) from e
        finally:
            if sock is not None:
                try:
                    sock.settimeout(original)
                except OSError:
                    pass
            _finish(response, complete)
        return b"".join(chunks)

    @staticmethod
    def _too_large(url: str, limit: int) -> exc.ResponseTooLarge:
        return exc.ResponseTooLarge(
            _("The answer of %(url)s is larger than %(limit)d bytes; it was not read further.")
            % {"url": exc.redact_url(url), "limit": limit},
            url=url,
        )

    def _call(
        self,
        func: ty.Callable[..., ty.Any],
        *args: ty.Any,
        url: str | None = None,
        **kwargs: ty.Any,
    ) -> ty.Any:
        """Run a keystoneauth1 call, turning its errors into ours.

        :param url: the URL requested, named in connection errors.
        """
        where = exc.redact_url(url) if url else _("the server")
        try:
            return func(*args, **kwargs)
        except ksa_exc.ConnectTimeout as e:
            raise _timeout(where, self.timeout) from e
        except ksa_exc.SSLError as e:
            from glanceclient.common import tls

            raise tls.ssl_error(e, url, self.adapter.session) from e
        except ksa_exc.ConnectFailure as e:
            raise connect_failure(e, url) from e
        except ksa_exc.UnknownConnectionError as e:
            from urllib3 import exceptions as u3_exc

            malformed = _caused_by(e, (u3_exc.InvalidHeader,))
            if malformed is not None:  # in the answer (Content-Length: 5, 6)
                raise exc.InvalidResponse(
                    _("The server at %(url)s answered a malformed header: %(error)s")
                    % {"url": where, "error": malformed}
                ) from e
            if _caused_by(e, (ValueError,)):  # requests' InvalidHeader, InvalidURL
                raise _unsendable(where, e) from None  # its text may quote the token
            raise exc.CommunicationError(
                _("Connection to %(url)s failed: %(error)s") % {"url": where, "error": e}
            ) from e
        except ksa_exc.EndpointNotFound as e:
            raise exc.EndpointNotFound(
                _("No Image API endpoint was found in the service catalog: %(error)s")
                % {"error": e}
            ) from e
        except ksa_exc.HttpError as e:
            # Requests are sent with raise_exc=False: this one comes from
            # authenticating with the identity service.
            message = exc.server_message(e.response) if e.response is not None else e.message
            raise exc.error_class(e.http_status)(
                message,
                status_code=e.http_status,
                method=e.method,
                url=e.url,
                request_id=e.request_id,
            ) from e
        except ksa_exc.ClientException as e:
            raise exc.AuthenticationError(
                _("Authentication failed: %(error)s") % {"error": e}
            ) from e
        except (UnicodeError, ValueError) as e:
            # A header that cannot be sent (a token outside Latin-1).
            raise _unsendable(where, e) from None  # its text may quote the token
        except OSError as e:
            # requests checks the CA, certificate and key paths itself.
            from glanceclient.common import tls

            missing = tls.missing_file(e, url)
            if missing is None:
                raise
            raise missing from e


def _unsendable(where: str, error: Exception) -> exc.InvalidArgument:
    """A request that cannot be sent: a header or URL holding what HTTP
    cannot carry (a token outside Latin-1, a line break)."""
    from glanceclient.common import utils

    reason = str(error.__context__ or error)
    if "header" in reason.lower() or isinstance(error.__context__ or error, UnicodeError):
        # requests quotes the header's value, which may be the token.
        reason = _(
            "a header (the token?) holds a line break, a control character or a "
            "character outside Latin-1"
        )
    reason = utils.safe_text(reason)
    return exc.InvalidArgument(
        _("The request to %(url)s cannot be sent: %(error)s") % {"url": where, "error": reason}
    )


def _finish(response: requests.Response, complete: bool) -> None:
    """Give a read connection back to the pool, or drop a half-read one."""
    if complete:
        response.raw.release_conn()
    else:
        response.close()


def _keep_body(response: requests.Response, body: bytes) -> None:
    """Make ``body`` the response's content, for ``.content``/``.text``."""
    response._content = body
    response._content_consumed = True  # type: ignore[attr-defined]


def _socket_of(response: requests.Response) -> ty.Any:
    """The socket under a streamed response, when there is one."""
    connection = getattr(response.raw, "connection", None)
    return getattr(connection, "sock", None)


def _bound_wait(sock: ty.Any, deadline: float | None) -> None:
    """Let the next read wait no longer than until ``deadline``.

    :raises glanceclient.exc.Timeout: the deadline has passed.
    """
    if deadline is None:
        return
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    if sock is not None:
        sock.settimeout(left)


def _timeout(where: str, seconds: float | None) -> exc.Timeout:
    if seconds is None:
        return exc.Timeout(_("%(url)s did not answer in time.") % {"url": where})
    return exc.Timeout(
        _("%(url)s did not answer within %(seconds)s seconds.")
        % {"url": where, "seconds": "%g" % seconds}
    )


def _caused_by(
    error: BaseException, kinds: tuple[type[BaseException], ...]
) -> BaseException | None:
    """``error`` or the first error it wraps that is one of ``kinds``, if any."""
    seen: set[int] = set()
    stack: list[ty.Any] = [error]
    while stack:
        current = stack.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, kinds):
            return current
        stack.extend((current.__cause__, current.__context__, *current.args))
        stack.append(getattr(current, "reason", None))
    return None


def _read_error(error: Exception, url: str, seconds: float | None) -> exc.ClientException:
    """Translate a failure while reading a body."""
    from urllib3 import exceptions as u3_exc

    where = exc.redact_url(url)
    if _caused_by(error, (TimeoutError, u3_exc.TimeoutError)):
        return _timeout(where, seconds)
    if _caused_by(error, (u3_exc.DecodeError,)):
        return exc.InvalidResponse(
            _("The server at %(url)s answered a body that cannot be decompressed.")
            % {"url": where},
            url=url,
        )
    return exc.CommunicationError(
        _("The connection to %(url)s broke before the answer was complete: %(reason)s.")
        % {"url": where, "reason": connection_failure_reason(error)}
    )


_ERRNO_REASON = re.compile(r"\[Errno -?\d+\] ([^'\")]+)")


def connection_failure_reason(error: Exception) -> str:
    """The short reason in a connection error (``Connection refused``)."""
    text = str(error)
    found = _ERRNO_REASON.search(text)
    if found:
        return found.group(1).strip()
    if "RemoteDisconnected" in text or "without response" in text:
        return _("the server closed the connection without answering")
    if "IncompleteRead" in text or "InvalidChunkLength" in text:
        return _("the answer was cut short")
    return re.sub(r"^Unable to establish connection to \S+?: ", "", text) or type(error).__name__


def connect_failure(error: Exception, url: str | None) -> exc.CommunicationError:
    """Translate a keystoneauth1 ``ConnectFailure``: a refused connection,
    one that could not be made, or one dropped before an answer.

    :param url: the URL requested, if known.
    """
    where = exc.redact_url(url or _failed_url(error) or _("the server"))
    reason = connection_failure_reason(error)
    text = str(error)
    if _caused_by(error, (ConnectionRefusedError,)) or "Connection refused" in text:
        return exc.ConnectionRefused(
            _("Unable to connect to %(url)s: %(reason)s.") % {"url": where, "reason": reason}
        )
    if "Failed to establish a new connection" in text or "NameResolution" in text:
        return exc.Unreachable(
            _("Unable to connect to %(url)s: %(reason)s.") % {"url": where, "reason": reason}
        )
    return exc.CommunicationError(
        _("The connection to %(url)s broke before an answer came: %(reason)s.")
        % {"url": where, "reason": reason}
    )


def _failed_url(error: Exception) -> str | None:
    """The URL keystoneauth1 names in a connection error, if any."""
    found = re.search(r"connection to (\S+?):? ", str(error))
    return found.group(1) if found else None


def iter_body(
    response: requests.Response, chunk_size: int, timeout: float | None = None
) -> ty.Iterator[bytes]:
    """Yield a streamed answer's body a chunk at a time, then close it.

    The session's timeout bounds each wait for data, not the whole
    transfer, so that a large image takes as long as it needs.

    :param timeout: the timeout, named in the error.
    :raises glanceclient.exc.Timeout: no data came for the timeout.
    :raises glanceclient.exc.CommunicationError: the connection failed
        before the whole body arrived.
    """
    complete = False
    try:
        yield from response.raw.stream(chunk_size, decode_content=True)
        complete = True
    except Exception as e:
        raise _read_error(e, response.url, timeout) from e
    finally:
        _finish(response, complete)


def decode_json(response: requests.Response) -> ty.Any:
    """Return the decoded JSON body of ``response``.

    :raises glanceclient.exc.InvalidResponse: if the body is not JSON (or
        is nested too deeply to decode).
    """
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):
        text = response.content.decode("utf-8", "replace")
        raise exc.InvalidResponse(
            _("The server at %(url)s answered something that is not JSON: %(body)r")
            % {"url": exc.redact_url(response.url), "body": exc.truncate(text, 120)},
            url=response.url,
            body=text,
        ) from None
