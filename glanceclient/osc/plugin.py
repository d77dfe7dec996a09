"""The OpenStackClient plugin of python-glanceclient: ``openstack cache ...``.

OpenStackClient imports this module every time ``openstack`` starts, for
every command, so it imports nothing beyond the standard library (and the
package's gettext hook) at module level. The client, and with it
keystoneauth1's adapter, the HTTP layer and the controllers, is imported by
:func:`make_client`, which runs only when a ``cache`` command asks for
``client_manager.image_cache``.

The API name is ``image_cache``, not ``image``: OpenStackClient keeps one
client per API name, and ``image`` is the name of its own (openstacksdk)
image client, used by every ``openstack image ...`` and ``openstack cached
image ...`` command.
"""

from __future__ import annotations

import argparse
import os
import typing as ty

from glanceclient._i18n import _

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

#: The client attribute of OpenStackClient's ClientManager, and the command
#: group (``openstack.image_cache.v2``) the commands are registered in.
API_NAME = "image_cache"
#: The option (and ``clouds.yaml`` key without ``os_``) naming the version.
API_VERSION_OPTION = "os_image_cache_api_version"
DEFAULT_API_VERSION = "2"
API_VERSIONS = {"2": "glanceclient.v2.client.Client"}

#: The catalog service type of Glance.
SERVICE_TYPE = "image"


def make_client(instance: ty.Any) -> v2_client.Client:
    """Build the image-cache client from OpenStackClient's ClientManager.

    The client shares OpenStackClient's authenticated keystoneauth1
    session, its region and its interface (or the image interface of the
    configuration). Its endpoint is, in this order: ``--os-endpoint``
    (``OS_ENDPOINT``, or ``auth.endpoint`` of ``clouds.yaml``) whatever the
    auth type, so that one node can be aimed at with the token of any
    credentials; then the image endpoint override of the configuration
    (``OS_IMAGE_ENDPOINT_OVERRIDE``, ``image_endpoint_override`` of
    ``clouds.yaml``); then the service catalog. The endpoint may be given
    with or without ``/v2``.

    :param instance: OpenStackClient's ClientManager.
    :raises osc_lib.exceptions.CommandError: an API version other than 2,
        or an endpoint that cannot be used.
    """
    from glanceclient import client as glance_client
    from glanceclient import exc
    from glanceclient.common import config
    from glanceclient.v2 import client as v2_client

    try:
        glance_client.require_supported(_api_version(instance))
        url_map = node_url_map(instance)
        endpoint = endpoint_override(instance)
        if endpoint is not None:
            # A session client checks it only when it sends; a user's
            # option is refused before anything is sent.
            config.check_endpoint(endpoint)
        nodes = image_nodes(instance)
        fleet_options: dict[str, ty.Any] = (
            {"allow_http_nodes": True} if allow_http_nodes(instance) else {}
        )
        return v2_client.Client(
            endpoint,
            session=instance.session,
            interface=_interface(instance),
            region_name=instance.region_name or None,
            **({"node_url_map": url_map} if url_map else {}),
            **({"image_nodes": nodes} if nodes else {}),
            **fleet_options,
        )
    except exc.ClientException as e:
        from osc_lib import exceptions

        from glanceclient.cli import errors

        raise exceptions.CommandError(errors.one_line(e)) from e


def node_url_map(instance: ty.Any) -> ty.Any:
    """The node URL map of the configuration, or None.

    ``--os-image-node-url-map`` (whose default is ``OS_IMAGE_NODE_URL_MAP``)
    lands in the cloud's configuration over ``image_node_url_map`` of
    clouds.yaml, as every OpenStackClient option does.

    :param instance: OpenStackClient's ClientManager.
    """
    from glanceclient.cli import clouds_yaml

    return clouds_yaml.setting(getattr(instance, "_cli_options", None), "image_node_url_map")


def image_nodes(instance: ty.Any) -> ty.Any:
    """The inventory of the configuration (empty when none is given).

    ``--os-image-nodes`` (whose default is ``OS_IMAGE_NODES``) lands in the
    cloud's configuration over ``image_nodes`` of clouds.yaml.

    :param instance: OpenStackClient's ClientManager.
    :raises glanceclient.v2.inventory.InventoryError: a bad entry.
    """
    from glanceclient.cli import clouds_yaml
    from glanceclient.v2 import inventory

    return inventory.Inventory.from_config(
        clouds_yaml.setting(getattr(instance, "_cli_options", None), "image_nodes"),
        _("image_nodes (--os-image-nodes, OS_IMAGE_NODES or clouds.yaml)"),
    )


def allow_http_nodes(instance: ty.Any) -> bool:
    """Whether http nodes may be reached under an https endpoint:
    ``--os-image-allow-http-nodes`` (``OS_IMAGE_ALLOW_HTTP_NODES``) or
    ``image_allow_http_nodes`` of clouds.yaml.

    :param instance: OpenStackClient's ClientManager.
    """
    from glanceclient.cli import clouds_yaml

    return clouds_yaml.flag(getattr(instance, "_cli_options", None), "image_allow_http_nodes")


class _AppendToOwn(argparse.Action):
    """Append to a list, replacing a default that came from the environment."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: ty.Any,
        option_string: str | None = None,
    ) -> None:
        current = getattr(namespace, self.dest, None)
        setattr(namespace, self.dest, [*(current if isinstance(current, list) else []), values])


def _interface(instance: ty.Any) -> str | None:
    """``--os-interface``, unless the configuration names one for image
    (``image_interface`` in clouds.yaml, ``OS_IMAGE_INTERFACE``)."""
    get_interface = getattr(getattr(instance, "_cli_options", None), "get_interface", None)
    found = get_interface(SERVICE_TYPE) if get_interface is not None else None
    return str(found or instance.interface or "") or None


def endpoint_override(instance: ty.Any) -> str | None:
    """The Image API URL to use instead of the catalog's, or None.

    :param instance: OpenStackClient's ClientManager; its ``_cli_options``
        is the openstacksdk ``CloudRegion`` OpenStackClient was configured
        from (osc-lib has no public accessor for it).
    """
    cloud = getattr(instance, "_cli_options", None)
    config: ty.Mapping[str, ty.Any] = getattr(cloud, "config", None) or {}
    auth = config.get("auth") or {}
    # --os-endpoint lands in the auth section for the plugins that take an
    # endpoint (none, admin_token, http_basic) and at the top level for the
    # others, which ignore it: here it always aims the request.
    explicit = auth.get("endpoint") or config.get("endpoint")
    if explicit:
        return str(explicit)
    get_endpoint = getattr(cloud, "get_endpoint", None)
    if get_endpoint is not None:
        # image_endpoint_override, image_endpoint (and their aliases).
        found = get_endpoint(SERVICE_TYPE)
        if found:
            return str(found)
    return None


def _api_version(instance: ty.Any) -> str:
    versions = getattr(instance, "_api_version", None) or {}
    return str(versions.get(API_NAME) or DEFAULT_API_VERSION)


def build_option_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add ``--os-image-cache-api-version`` to OpenStackClient's options."""
    parser.add_argument(
        "--os-image-cache-api-version",
        metavar="<image-cache-api-version>",
        default=os.environ.get("OS_IMAGE_CACHE_API_VERSION") or None,
        help=_("Image cache API version, default=%(default)s (Env: OS_IMAGE_CACHE_API_VERSION)")
        % {"default": DEFAULT_API_VERSION},
    )
    parser.add_argument(
        "--os-image-node-url-map",
        metavar="<prefix=URL>",
        action=_AppendToOwn,
        default=os.environ.get("OS_IMAGE_NODE_URL_MAP") or None,
        help=_(
            "Send requests meant for node reference URLs starting with prefix to URL "
            "instead (repeatable; Env: OS_IMAGE_NODE_URL_MAP; clouds.yaml: "
            "image_node_url_map)"
        ),
    )
    parser.add_argument(
        "--os-image-nodes",
        metavar="<URLs>",
        action=_AppendToOwn,
        default=os.environ.get("OS_IMAGE_NODES") or None,
        help=_(
            "The Glance API nodes of the deployment, for 'cache report', 'cache orphans' "
            "and --all-nodes: root URLs separated by commas or spaces (repeatable; "
            "Env: OS_IMAGE_NODES; clouds.yaml: image_nodes)"
        ),
    )
    allowed = (os.environ.get("OS_IMAGE_ALLOW_HTTP_NODES") or "").strip().lower()
    parser.add_argument(
        "--os-image-allow-http-nodes",
        action="store_const",
        const=True,
        # None unless given: clouds.yaml's image_allow_http_nodes then holds.
        default=True if allowed in ("true", "yes", "1", "on") else None,
        help=_(
            "Send requests (and the token) to http:// nodes of the nodes list even when "
            "the endpoint is https://; by default they get none (Env: "
            "OS_IMAGE_ALLOW_HTTP_NODES; clouds.yaml: image_allow_http_nodes)"
        ),
    )
    return parser
