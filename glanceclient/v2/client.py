"""The Image API v2 client: wires the HTTP layer to the controllers."""

from __future__ import annotations

import typing as ty

from glanceclient.common import http
from glanceclient.v2 import cache
from glanceclient.v2 import cache_orphans
from glanceclient.v2 import cache_report
from glanceclient.v2 import fleet
from glanceclient.v2 import image_members
from glanceclient.v2 import image_tags
from glanceclient.v2 import images
from glanceclient.v2 import info
from glanceclient.v2 import inventory
from glanceclient.v2 import metadefs
from glanceclient.v2 import schemas
from glanceclient.v2 import tasks
from glanceclient.v2 import versions

if ty.TYPE_CHECKING:
    from keystoneauth1 import session as ksa_session

    from glanceclient.v2 import image_data


class Client:
    """A client for Glance's Image API v2.

    Give either a keystoneauth1 ``session`` (the endpoint is then found in
    the service catalog, or given as ``endpoint``), or an ``endpoint`` and a
    ``token`` for use without a catalog. Every construction of upstream
    python-glanceclient works; see :func:`glanceclient.common.http.make_http_client`
    for the options of each mode.

    :param endpoint: the Image API URL, with or without ``/v2``.
    :param session: an authenticated keystoneauth1 Session.
    :param node_url_map: maps node reference URL prefixes to reachable
        URLs, for the calls of :attr:`fleet` (see
        :class:`glanceclient.v2.fleet.UrlMap`).
    :param image_nodes: the nodes of the deployment (see
        :class:`glanceclient.v2.inventory.Inventory`): root URLs, or
        mappings with ``url`` and an optional ``cache_max_size`` in bytes.
    :param kwargs: in session mode, keystoneauth1 Adapter options
        (``auth``, ``endpoint_override``, ``interface``, ``region_name``,
        ``service_type``, ``connect_retries``, ``global_request_id``,
        ``additional_headers``, ``logger``, ...); without a session also
        ``token``, ``insecure``, ``cacert``, ``cert``/``key`` (or
        ``cert_file``/``key_file``), ``timeout``, ``identity_headers`` and
        ``language_header``.
    :raises glanceclient.exc.InvalidArgument: neither session nor endpoint.
    :raises glanceclient.v2.inventory.InventoryError: a bad node in
        ``image_nodes``.
    :raises TypeError: an option that neither mode knows.
    """

    #: The Image API major version (upstream keeps it as a float).
    version = 2.0

    def __init__(
        self,
        endpoint: str | None = None,
        *,
        session: ksa_session.Session | None = None,
        node_url_map: fleet.UrlMap | ty.Mapping[str, str] | ty.Iterable[str] | None = None,
        image_nodes: inventory.Inventory | str | ty.Iterable[ty.Any] | None = None,
        **kwargs: ty.Any,
    ) -> None:
        #: True when the caller named the endpoint (rather than the catalog).
        self.endpoint_provided = endpoint is not None
        self.http_client = http.make_http_client(endpoint, session=session, **kwargs)
        self.versions = versions.VersionGate(self.http_client)
        self.schemas = schemas.Controller(self.http_client)
        url_map = (
            node_url_map
            if isinstance(node_url_map, fleet.UrlMap)
            else fleet.UrlMap.from_config(node_url_map)
        )
        #: The nodes of the deployment, as configured (``image_nodes``).
        self.inventory = inventory.Inventory.from_config(image_nodes)
        self.cache = cache.Controller(self.http_client, self.versions)
        #: The nodes of the deployment: probes, and calls on named nodes.
        self.fleet = fleet.Fleet(self.http_client, self.cache, url_map)
        self.images = images.Controller(
            self.http_client, self.schemas, self.versions, self._from_cache
        )
        self.image_members = image_members.Controller(self.http_client, self.schemas)
        self.image_tags = image_tags.Controller(self.http_client)
        self.info = info.Controller(self.http_client)
        self.tasks = tasks.Controller(self.http_client, self.schemas)
        self.metadefs_namespace = metadefs.NamespaceController(self.http_client, self.schemas)
        self.metadefs_resource_type = metadefs.ResourceTypeController(
            self.http_client, self.schemas
        )
        self.metadefs_property = metadefs.PropertyController(self.http_client, self.schemas)
        self.metadefs_object = metadefs.ObjectController(self.http_client, self.schemas)
        self.metadefs_tag = metadefs.TagController(self.http_client, self.schemas)
        #: What the caches of the inventory's (or given) nodes hold.
        self.cache_report = cache_report.CacheReport(self.fleet, self.images, self.inventory)
        #: Cache entries whose image no longer exists.
        self.cache_orphans = cache_orphans.CacheOrphans(self.fleet, self.images, self.inventory)

    def _from_cache(
        self, from_cache: bool | str, prefer_nodes: ty.Iterable[str] | None
    ) -> image_data.CacheStart:
        """The wiring of ``images.data(from_cache=...)`` to the fleet."""
        # Loaded by a download from a node's cache only: every other call
        # need not pay for it at start-up.
        from glanceclient.v2 import cache_download

        return cache_download.plan(self.fleet, self.http_client, from_cache, prefer_nodes)
