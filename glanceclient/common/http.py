"""The HTTP layer: one client on a keystoneauth1 Adapter.

Authentication, token redaction in logs, TLS, retries and request ids come
from keystoneauth1; this module adds the Image API's base URL, JSON
decoding, and the translation of every failure into :mod:`glanceclient.exc`.
"""

from __future__ import annotations

import json
import logging
import re
import typing as ty

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


def root_url(endpoint: str) -> str:
    """Return the service root of an Image API endpoint.

    Catalogs and users give either the root (``http://h:9292``) or a
    versioned URL (``http://h:9292/v2``); requests are built from the root.
    """
    return VERSION_SUFFIX.sub("", endpoint.rstrip("/")).rstrip("/")


def build_session(
    *,
    auth: ty.Any = None,
    insecure: bool = False,
    cacert: str | None = None,
    cert: str | None = None,
    key: str | None = None,
    timeout: float | None = None,
    split_loggers: bool | None = None,
) -> ksa_session.Session:
    """Make a keystoneauth1 Session from the usual TLS and timeout options."""
    from keystoneauth1 import session as ksa_session

    verify: bool | str = False if insecure else (cacert or True)
    client_cert: str | tuple[str, str] | None = (cert, key) if cert and key else cert
    return ksa_session.Session(
        auth=auth, verify=verify, cert=client_cert, timeout=timeout, split_loggers=split_loggers
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
    timeout: float | None = None,
    split_loggers: bool | None = None,
    ssl_compression: bool | None = None,
    identity_headers: dict[str, str] | None = None,
    language_header: str | None = None,
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
    :raises glanceclient.exc.InvalidArgument: neither session nor endpoint.
    :raises TypeError: an option keystoneauth1's Adapter does not know.
    """
    del ssl_compression  # Long gone from TLS; upstream ignores it too.
    headers = dict(identity_headers or {})
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
        )
    if endpoint:
        adapter_options.setdefault("endpoint_override", endpoint)
    return SessionClient(session, default_headers=headers, **adapter_options)


class SessionClient:
    """Send Image API requests through a keystoneauth1 Session.

    :param session: an authenticated keystoneauth1 Session.
    :param service_type: catalog service type (``image``).
    :param logger: where keystoneauth1 logs requests (tokens redacted).
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
        **adapter_options: ty.Any,
    ) -> None:
        adapter_options.setdefault("client_name", version.DISTRIBUTION)
        adapter_options.setdefault("client_version", version.version_string())
        self.adapter = adapter.Adapter(
            session, service_type=service_type, logger=logger or LOG, **adapter_options
        )
        self.default_headers = dict(default_headers or {})
        self._root: str | None = None
        #: The ``x-openstack-request-id`` of the last answer received.
        self.last_request_id: str | None = None

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
        if self._root is None:
            endpoint = self._call(self.adapter.get_endpoint)
            if not endpoint:
                raise exc.EndpointNotFound(
                    _(
                        "No Image API endpoint was found: check the region and "
                        "interface, or give the endpoint explicitly."
                    )
                )
            self._root = root_url(endpoint)
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
    ) -> requests.Response:
        """Send ``method path`` (``path`` is below the service root).

        :param headers: headers of this request (they win over the
            client's own).
        :param params: the query (a mapping, or pairs to repeat a key).
        :param json: a body to send as JSON.
        :param data: a body to send as it is (bytes, or an iterator of
            bytes, sent chunked).
        :param content_type: the body's type (default: JSON for ``json``).
        :param stream: leave the body unread, to iterate over it.
        :param authenticated: False to send no token (None: the session
            decides).
        :param timeout: seconds to wait for this answer instead of the
            session's timeout.
        :returns: the response, whose status is below 400.
        :raises glanceclient.exc.HTTPException: for an error status.
        :raises glanceclient.exc.CommunicationError: when the server cannot
            be reached or does not answer in time.
        """
        url = self.root + path
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
        if stream:
            options["stream"] = True
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
            **options,
        )
        self.last_request_id = response.headers.get("x-openstack-request-id")
        if response.status_code >= 400:
            raise exc.from_response(response, method, url)
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
        except ksa_exc.ConnectTimeout as e:
            raise exc.Timeout(
                _("Timed out waiting for %(url)s.") % {"url": url or _("the server")}
            ) from e
        except ksa_exc.SSLError as e:
            raise exc.SSLError(_("TLS error: %(error)s") % {"error": e}) from e
        except ksa_exc.ConnectFailure as e:
            where = url or _failed_url(e) or _("the server")
            raise exc.ConnectionRefused(
                _("Unable to connect to %(url)s: %(reason)s.")
                % {"url": where, "reason": connection_failure_reason(e)}
            ) from e
        except ksa_exc.UnknownConnectionError as e:
            raise exc.CommunicationError(_("Connection failed: %(error)s") % {"error": e}) from e
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


_ERRNO_REASON = re.compile(r"\[Errno -?\d+\] ([^'\")]+)")


def connection_failure_reason(error: Exception) -> str:
    """The short reason in a connection error (``Connection refused``)."""
    text = str(error)
    found = _ERRNO_REASON.search(text)
    if found:
        return found.group(1).strip()
    return re.sub(r"^Unable to establish connection to \S+?: ", "", text)


def _failed_url(error: Exception) -> str | None:
    """The URL keystoneauth1 names in a connection error, if any."""
    found = re.search(r"connection to (\S+?):? ", str(error))
    return found.group(1) if found else None


def iter_body(response: requests.Response, chunk_size: int) -> ty.Iterator[bytes]:
    """Yield a streamed answer's body a chunk at a time, then close it.

    :raises glanceclient.exc.CommunicationError: the connection failed
        before the whole body arrived.
    """
    import requests

    try:
        yield from response.iter_content(chunk_size)
    except requests.RequestException as e:
        raise exc.CommunicationError(
            _("The download from %(url)s was cut short: %(error)s")
            % {"url": response.url, "error": e}
        ) from e
    finally:
        response.close()


def decode_json(response: requests.Response) -> ty.Any:
    """Return the decoded JSON body of ``response``.

    :raises glanceclient.exc.InvalidResponse: if the body is not JSON.
    """
    try:
        return json.loads(response.content)
    except ValueError:
        raise exc.InvalidResponse(
            _("The server at %(url)s answered something that is not JSON: %(body)r")
            % {"url": response.url, "body": exc.truncate(response.text, 120)},
            url=response.url,
            body=response.text,
        ) from None
