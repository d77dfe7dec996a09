"""The HTTP layer: one client on a keystoneauth1 Adapter.

Authentication, token redaction in logs, TLS and request ids come from
keystoneauth1 (a read met by a stale connection is sent again:
:mod:`~glanceclient.common.retries`); this module adds the Image API's base
URL, the checks of endpoints and timeouts, the bounded reading of answers (a
size cap and a deadline on the whole call), and the translation of every
failure into :mod:`glanceclient.exc`.

Glance never redirects: redirections are not followed (a credential must
not travel to wherever a server points), and every status of 300 or above
is an error.
"""

from __future__ import annotations

import inspect
import logging
import threading
import time
import typing as ty

from keystoneauth1 import adapter
from keystoneauth1 import session as ksa_session

from glanceclient import exc
from glanceclient import version
from glanceclient._i18n import _
from glanceclient.common import answers
from glanceclient.common import config
from glanceclient.common import faults
from glanceclient.common import retries

if ty.TYPE_CHECKING:
    import requests

LOG = logging.getLogger(__name__)

JSON = "application/json"
SERVICE_TYPE = "image"

#: A call's time limit without a session, in seconds (upstream's, and the
#: ``glance`` command's ``--timeout`` default).
DEFAULT_TIMEOUT = 600.0
#: Connections kept per host by the sessions built here: enough for the
#: threads a caller typically runs on one client.
DEFAULT_POOL_SIZE = 32
#: Headers that carry a credential: never sent by an unauthenticated call.
CREDENTIAL_HEADERS = frozenset(
    {"x-auth-token", "x-service-token", "x-subject-token", "authorization"}
)


def size_pool(session: ksa_session.Session, size: int) -> None:
    """Let a keystoneauth1 ``session`` keep ``size`` connections per host
    (and the pools of ``size`` hosts) for as many concurrent calls, unless
    it already does.
    """
    transport = session.session
    for prefix in ("https://", "http://"):
        current = transport.adapters.get(prefix)
        if _kept(current) >= size:
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
    :param collect_timing: keep each request's timing (``get_timings()``).
    :param tls_ciphers: an OpenSSL cipher string for TLS connections.
    :param tls_min_version: the lowest TLS version accepted (``"1.2"``).
    :raises glanceclient.exc.InvalidArgument: a timeout that is not a
        number of seconds above 0.
    """
    seconds = config.check_timeout(timeout)
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
    retries.once_after_stale_connections(session)
    return session


def _kept(adapter: object) -> int:
    """The connections per host an HTTP adapter keeps (0: none known)."""
    pools = getattr(adapter, "poolmanager", None)
    return int(pools.connection_pool_kw.get("maxsize", 0)) if pools is not None else 0


def require_tls(session: ksa_session.Session, ciphers: str | None, min_version: str | None) -> None:
    """Make ``session``'s HTTPS connections use these TLS settings.

    :param ciphers: an OpenSSL cipher string, or None for OpenSSL's.
    :param min_version: the lowest TLS version (``"1.2"``, ``"1.3"``) or None.
    :raises glanceclient.exc.InvalidArgument: keystoneauth1 < 5.17.0.
    """
    if "tls_ciphers" not in inspect.signature(ksa_session.TCPKeepAliveAdapter).parameters:
        from importlib import metadata  # only to word this error

        message = _(
            "TLS ciphers and a minimum TLS version need keystoneauth1 5.17.0 or later "
            "(Python 3.11 or later); keystoneauth1 %(version)s is installed."
        )
        raise exc.InvalidArgument(message % {"version": metadata.version("keystoneauth1")})
    size = _kept(session.session.adapters.get("https://")) or DEFAULT_POOL_SIZE
    session.session.mount(
        "https://",
        ksa_session.TCPKeepAliveAdapter(
            pool_connections=size,
            pool_maxsize=size,
            tls_ciphers=ciphers,
            tls_min_version=min_version,  # type: ignore[arg-type]
        ),
    )


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
    max_json_size: int = answers.DEFAULT_MAX_JSON_SIZE,
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
        config.check_endpoint(endpoint)
    config.check_timeout(timeout)
    headers = dict(identity_headers or {})
    for name, value in [("X-Auth-Token", token), *headers.items()]:
        config.check_header(name, value)
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
            # Token mode only: a session-mode start-up need not load it.
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
        max_json_size: int = answers.DEFAULT_MAX_JSON_SIZE,
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
                self._root = config.root_url(config.check_endpoint(endpoint, where))
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
            config.check_timeout(timeout)
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
        if authenticated is False:
            # No credential at all, however the client was built (a token
            # among the identity headers of a session client, for one).
            all_headers = {
                k: v for k, v in all_headers.items() if k.lower() not in CREDENTIAL_HEADERS
            }
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
            body = answers.read(
                response, url, answers.MAX_ERROR_BODY, deadline, self.timeout, cut=True
            )
            answers.keep(response, body)
            raise exc.from_response(response, method, url)
        if not stream:
            body = answers.read(response, url, self.max_json_size, deadline, self.timeout)
            answers.keep(response, body)
        return response

    def json_request(
        self, method: str, path: str, **kwargs: ty.Any
    ) -> tuple[requests.Response, ty.Any]:
        """Send a request (as :meth:`request`); decode any JSON answer.

        :returns: the response, and its decoded body (None when empty).
        :raises glanceclient.exc.InvalidResponse: a body that is not JSON.
        """
        response = self.request(method, path, **kwargs)
        return response, (answers.decode_json(response) if response.content else None)

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
        try:
            return func(*args, **kwargs)
        except Exception as e:
            mapped = faults.translate(e, url, self.timeout, self.adapter.session)
            if mapped is None:
                raise
            if isinstance(mapped, faults.Unsendable):
                raise mapped from None  # the original's text may quote the token
            raise mapped from e
