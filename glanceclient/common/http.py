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
_VERSION_SUFFIX = re.compile(r"/v\d+(\.\d+)?/*$")


def root_url(endpoint: str) -> str:
    """Return the service root of an Image API endpoint.

    Catalogs and users give either the root (``http://h:9292``) or a
    versioned URL (``http://h:9292/v2``); requests are built from the root.
    """
    return _VERSION_SUFFIX.sub("", endpoint.rstrip("/")).rstrip("/")


def build_session(
    *,
    auth: ty.Any = None,
    insecure: bool = False,
    cacert: str | None = None,
    cert: str | None = None,
    key: str | None = None,
    timeout: float | None = None,
) -> ksa_session.Session:
    """Make a keystoneauth1 Session from the usual TLS and timeout options."""
    from keystoneauth1 import session as ksa_session

    verify: bool | str = False if insecure else (cacert or True)
    client_cert: str | tuple[str, str] | None = (cert, key) if cert and key else cert
    return ksa_session.Session(auth=auth, verify=verify, cert=client_cert, timeout=timeout)


class SessionClient:
    """Send Image API requests through a keystoneauth1 Session.

    :param session: an authenticated keystoneauth1 Session.
    :param interface: catalog interface (``public``, ``internal``, ``admin``).
    :param region_name: catalog region.
    :param endpoint_override: an Image API URL to use instead of the catalog.
    :param global_request_id: sent as ``X-OpenStack-Request-ID``.
    :param logger: where keystoneauth1 logs requests (tokens redacted).
    """

    def __init__(
        self,
        session: ksa_session.Session,
        *,
        service_type: str = SERVICE_TYPE,
        interface: str | list[str] | None = None,
        region_name: str | None = None,
        endpoint_override: str | None = None,
        global_request_id: str | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        self.adapter = adapter.Adapter(
            session,
            service_type=service_type,
            interface=interface,
            region_name=region_name,
            endpoint_override=endpoint_override,
            global_request_id=global_request_id,
            logger=logger or LOG,
            client_name=version.DISTRIBUTION,
            client_version=version.version_string(),
        )
        self._root: str | None = None
        #: The ``x-openstack-request-id`` of the last answer received.
        self.last_request_id: str | None = None

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
        params: dict[str, ty.Any] | None = None,
    ) -> requests.Response:
        """Send ``method path`` (``path`` is below the service root).

        :returns: the response, whose status is below 400.
        :raises glanceclient.exc.HTTPException: for an error status.
        :raises glanceclient.exc.CommunicationError: when the server cannot
            be reached or does not answer in time.
        """
        url = self.root + path
        all_headers = {"Accept": JSON}
        if headers:
            all_headers.update(headers)
        response: requests.Response = self._call(
            self.adapter.request,
            url,
            method,
            url=url,
            headers=all_headers,
            params=params,
            raise_exc=False,
        )
        self.last_request_id = response.headers.get("x-openstack-request-id")
        if response.status_code >= 400:
            raise exc.from_response(response, method, url)
        return response

    def get_json(self, path: str, *, params: dict[str, ty.Any] | None = None) -> ty.Any:
        """GET ``path`` and decode its JSON body.

        :raises glanceclient.exc.InvalidResponse: if the body is not JSON.
        """
        response = self.request("GET", path, params=params)
        return decode_json(response)

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
