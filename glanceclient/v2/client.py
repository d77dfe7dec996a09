"""The Image API v2 client: wires the HTTP layer to the controllers."""

from __future__ import annotations

import logging
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.common import http
from glanceclient.v2 import cache
from glanceclient.v2 import images
from glanceclient.v2 import versions

if ty.TYPE_CHECKING:
    from keystoneauth1 import session as ksa_session


class Client:
    """A client for Glance's Image API v2 (the image-cache part of it).

    Give either a keystoneauth1 ``session`` (the endpoint is then found in
    the service catalog, or given as ``endpoint``), or an ``endpoint`` and a
    ``token`` for use without a catalog.

    :param endpoint: the Image API URL, with or without ``/v2``.
    :param session: an authenticated keystoneauth1 Session.
    :param token: a token to send, when no session is given.
    :param interface: catalog interface to use.
    :param region_name: catalog region to use.
    :param service_type: catalog service type (``image``).
    :param global_request_id: sent as ``X-OpenStack-Request-ID``.
    :param logger: receives the request log (tokens redacted).
    :param insecure: skip TLS verification (without a session).
    :param cacert: CA bundle to verify TLS with (without a session).
    :param cert: client certificate (without a session).
    :param key: client certificate key (without a session).
    :param timeout: seconds to wait for an answer (without a session).
    :raises glanceclient.exc.InvalidArgument: neither session nor endpoint.
    """

    def __init__(
        self,
        endpoint: str | None = None,
        *,
        session: ksa_session.Session | None = None,
        token: str | None = None,
        interface: str | list[str] | None = None,
        region_name: str | None = None,
        service_type: str = http.SERVICE_TYPE,
        global_request_id: str | None = None,
        logger: logging.Logger | None = None,
        insecure: bool = False,
        cacert: str | None = None,
        cert: str | None = None,
        key: str | None = None,
        timeout: float | None = None,
    ) -> None:
        if session is None:
            if not endpoint:
                raise exc.InvalidArgument(
                    _("Give a keystoneauth1 session, or an endpoint (and a token).")
                )
            auth = None
            if token:
                from keystoneauth1 import token_endpoint

                auth = token_endpoint.Token(endpoint, token)
            session = http.build_session(
                auth=auth, insecure=insecure, cacert=cacert, cert=cert, key=key, timeout=timeout
            )
        self.http_client = http.SessionClient(
            session,
            service_type=service_type,
            interface=interface,
            region_name=region_name,
            endpoint_override=endpoint,
            global_request_id=global_request_id,
            logger=logger,
        )
        self.versions = versions.VersionGate(self.http_client)
        self.cache = cache.Controller(self.http_client, self.versions)
        self.images = images.Controller(self.http_client)
