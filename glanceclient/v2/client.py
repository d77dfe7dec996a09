"""The Image API v2 client: wires the HTTP layer to the controllers.

Each controller is built, and its module imported, on first use (see
:class:`_Wired`): ``glance cache-nodes-list`` loads the cache controller
and what it stands on, not the image, metadata definition or fleet code.
"""

from __future__ import annotations

import threading
import typing as ty

from glanceclient.common import http
from glanceclient.common import urlmap

if ty.TYPE_CHECKING:
    from keystoneauth1 import session as ksa_session

    from glanceclient.v2 import cache
    from glanceclient.v2 import cache_orphans
    from glanceclient.v2 import cache_report
    from glanceclient.v2 import fleet
    from glanceclient.v2 import image_data
    from glanceclient.v2 import image_members
    from glanceclient.v2 import image_tags
    from glanceclient.v2 import images
    from glanceclient.v2 import info
    from glanceclient.v2 import inventory
    from glanceclient.v2 import metadefs
    from glanceclient.v2 import schemas
    from glanceclient.v2 import tasks
    from glanceclient.v2 import versions

T = ty.TypeVar("T")


class _Wired(ty.Generic[T]):
    """A client attribute built on first use, once per client.

    Thread-safe; once built it is a plain instance attribute (and a caller
    may replace it as any other).

    :param build: builds the attribute's value from the client.
    """

    def __init__(self, build: ty.Callable[[Client], T]) -> None:
        self._build = build
        self._name = ""
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @ty.overload
    def __get__(self, instance: None, owner: type) -> _Wired[T]: ...

    @ty.overload
    def __get__(self, instance: Client, owner: type) -> T: ...

    def __get__(self, instance: Client | None, owner: type) -> _Wired[T] | T:
        if instance is None:
            return self
        with instance._wiring:
            found: T | None = instance.__dict__.get(self._name)
            if found is None:
                found = instance.__dict__[self._name] = self._build(instance)
        return found


# Each builder imports its controller's module itself: start-up loads only
# the controllers a command uses (see the module's docstring).


def _versions(client: Client) -> versions.VersionGate:
    """The server's versions, read once, and the version checks."""
    from glanceclient.v2 import versions

    return versions.VersionGate(client.http_client)


def _schemas(client: Client) -> schemas.Controller:
    """The server's schemas, fetched once each."""
    from glanceclient.v2 import schemas

    return schemas.Controller(client.http_client)


def _cache(client: Client) -> cache.Controller:
    """The image cache of the node that answers."""
    from glanceclient.v2 import cache

    return cache.Controller(client.http_client, client.versions)


def _fleet(client: Client) -> fleet.Fleet:
    """The nodes of the deployment: probes, and calls on named nodes."""
    from glanceclient.v2 import fleet

    return fleet.Fleet(
        client.http_client,
        client.cache,
        client.url_map,
        allow_http_nodes=client.allow_http_nodes,
    )


def _images(client: Client) -> images.Controller:
    """Images, their data and locations."""
    from glanceclient.v2 import images

    return images.Controller(
        client.http_client, client.schemas, client.versions, client._from_cache
    )


def _image_members(client: Client) -> image_members.Controller:
    """The projects an image is shared with."""
    from glanceclient.v2 import image_members

    return image_members.Controller(client.http_client, client.schemas)


def _image_tags(client: Client) -> image_tags.Controller:
    """Image tags."""
    from glanceclient.v2 import image_tags

    return image_tags.Controller(client.http_client)


def _info(client: Client) -> info.Controller:
    """Quota usage."""
    from glanceclient.v2 import info

    return info.Controller(client.http_client)


def _tasks(client: Client) -> tasks.Controller:
    """Tasks."""
    from glanceclient.v2 import tasks

    return tasks.Controller(client.http_client, client.schemas)


def _inventory(client: Client) -> inventory.Inventory:
    """The nodes of the deployment, as configured (``image_nodes``): none
    when none were given."""
    from glanceclient.v2 import inventory

    return inventory.Inventory()


def _cache_report(client: Client) -> cache_report.CacheReport:
    """What the caches of the inventory's (or given) nodes hold."""
    from glanceclient.v2 import cache_report

    return cache_report.CacheReport(client.fleet, client.images, client.inventory)


def _cache_orphans(client: Client) -> cache_orphans.CacheOrphans:
    """Cache entries whose image no longer exists."""
    from glanceclient.v2 import cache_orphans

    return cache_orphans.CacheOrphans(client.fleet, client.images, client.inventory)


def _metadefs_namespace(client: Client) -> metadefs.NamespaceController:
    """Metadata definition namespaces."""
    from glanceclient.v2 import metadefs

    return metadefs.NamespaceController(client.http_client, client.schemas)


def _metadefs_resource_type(client: Client) -> metadefs.ResourceTypeController:
    """Metadata definition resource types and their associations."""
    from glanceclient.v2 import metadefs

    return metadefs.ResourceTypeController(client.http_client, client.schemas)


def _metadefs_property(client: Client) -> metadefs.PropertyController:
    """The properties of metadata definition namespaces."""
    from glanceclient.v2 import metadefs

    return metadefs.PropertyController(client.http_client, client.schemas)


def _metadefs_object(client: Client) -> metadefs.ObjectController:
    """The objects of metadata definition namespaces."""
    from glanceclient.v2 import metadefs

    return metadefs.ObjectController(client.http_client, client.schemas)


def _metadefs_tag(client: Client) -> metadefs.TagController:
    """The tags of metadata definition namespaces."""
    from glanceclient.v2 import metadefs

    return metadefs.TagController(client.http_client, client.schemas)


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
        :class:`glanceclient.common.urlmap.UrlMap`).
    :param allow_http_nodes: let the fleet's calls reach ``http://`` nodes
        when the endpoint is ``https://`` (by default such a node gets no
        request: the token must not travel in clear).
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
        node_url_map: urlmap.UrlMap | ty.Mapping[str, str] | ty.Iterable[str] | None = None,
        image_nodes: inventory.Inventory | str | ty.Iterable[ty.Any] | None = None,
        allow_http_nodes: bool = False,
        **kwargs: ty.Any,
    ) -> None:
        self._wiring = threading.RLock()
        #: True when the caller named the endpoint (rather than the catalog).
        self.endpoint_provided = endpoint is not None
        self.http_client = http.make_http_client(endpoint, session=session, **kwargs)
        #: Maps the nodes' reference URLs to reachable ones (:attr:`fleet`).
        self.url_map = (
            node_url_map
            if isinstance(node_url_map, urlmap.UrlMap)
            else urlmap.UrlMap.from_config(node_url_map)
        )
        if image_nodes is not None:
            # Checked now, and loaded only then: a client given no nodes
            # builds its (empty) inventory on first use.
            from glanceclient.v2 import inventory

            self.inventory = inventory.Inventory.from_config(image_nodes)
        #: Whether :attr:`fleet` may reach http nodes under an https endpoint.
        self.allow_http_nodes = allow_http_nodes

    versions = _Wired(_versions)
    schemas = _Wired(_schemas)
    cache = _Wired(_cache)
    fleet = _Wired(_fleet)
    inventory = _Wired(_inventory)
    images = _Wired(_images)
    image_members = _Wired(_image_members)
    image_tags = _Wired(_image_tags)
    info = _Wired(_info)
    tasks = _Wired(_tasks)
    cache_report = _Wired(_cache_report)
    cache_orphans = _Wired(_cache_orphans)
    metadefs_namespace = _Wired(_metadefs_namespace)
    metadefs_resource_type = _Wired(_metadefs_resource_type)
    metadefs_property = _Wired(_metadefs_property)
    metadefs_object = _Wired(_metadefs_object)
    metadefs_tag = _Wired(_metadefs_tag)

    def _from_cache(
        self, from_cache: bool | str, prefer_nodes: ty.Iterable[str] | None
    ) -> image_data.CacheStart:
        """The wiring of ``images.data(from_cache=...)`` to the fleet."""
        # Loaded by a download from a node's cache only: every other call
        # need not pay for it at start-up.
        from glanceclient.v2 import cache_download

        return cache_download.plan(self.fleet, self.http_client, from_cache, prefer_nodes)
