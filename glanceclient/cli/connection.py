"""How ``glance`` builds its client from its options: an endpoint and a
token as they are, credentials through keystoneauth1's plugin loading, or a
``clouds.yaml`` entry (``--os-cloud``).

Each path imports what it needs when it runs: keystoneauth1's plugin
loading only to load credentials, openstacksdk's configuration only with
``--os-cloud`` (start-up is paid on every call).
"""

from __future__ import annotations

import argparse
import logging
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.cli import options
from glanceclient.cli import upstream_options
from glanceclient.common import config
from glanceclient.common import urlmap

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

LOG = logging.getLogger(__name__)

#: Seconds to wait for an answer when neither --timeout nor a cloud says.
DEFAULT_TIMEOUT = 600.0


def make_client(args: argparse.Namespace) -> v2_client.Client:
    """Build the v2 client the options describe."""
    from glanceclient import client

    client.require_supported(args.os_image_api_version)
    if args.insecure:
        quiet_insecure_warning()
    if args.os_cloud:
        return _client_from_cloud(args)
    from glanceclient.v2 import client as v2_client

    common: dict[str, ty.Any] = {
        "interface": args.os_interface,
        "region_name": args.os_region_name,
        "node_url_map": _url_map(args),
        "image_nodes": _inventory(args),
        "allow_http_nodes": args.allow_http_nodes,
        **upstream_options.client_options(args),
    }
    tls = {
        "insecure": args.insecure,
        "cacert": args.os_cacert,
        "cert": args.os_cert,
        "key": args.os_key,
        "timeout": DEFAULT_TIMEOUT if args.timeout is None else args.timeout,
        **upstream_options.session_options(args),
    }
    if args.os_image_url and args.os_auth_token:
        return v2_client.Client(args.os_image_url, token=args.os_auth_token, **tls, **common)
    from glanceclient.common import http

    session = http.build_session(auth=_load_auth(args), **tls)
    return v2_client.Client(args.os_image_url, session=session, **common)


def _load_auth(args: argparse.Namespace) -> ty.Any:
    """Load the keystoneauth1 plugin the options name, or None."""
    from keystoneauth1 import exceptions as ksa_exc
    from keystoneauth1 import loading

    config.check_header("X-Auth-Token", getattr(args, "os_token", None))
    if args.os_auth_token and args.os_auth_type in ("token", "v3token"):
        # --os-auth-token is the token these auth types take.
        args.os_token = args.os_token or args.os_auth_token
    elif args.os_auth_token and args.os_auth_type == "password":
        # A token and an auth URL: keystoneauth1's token plugin scopes
        # it to the project given and finds the catalog.
        loader: ty.Any = loading.get_plugin_loader("token")
        options = {opt.dest: getattr(args, "os_" + opt.dest, None) for opt in loader.get_options()}
        options["token"] = args.os_auth_token
        if not options.get("auth_url"):
            raise exc.CommandError(
                _(
                    "--os-auth-token needs --os-image-url (to use the token as it "
                    "is) or --os-auth-url (to find the endpoint in the catalog)."
                )
            )
        return loader.load_from_options(**options)
    try:
        return loading.load_auth_from_argparse_arguments(args)
    except ksa_exc.MissingRequiredOptions as e:
        if args.os_image_url:
            return None  # An endpoint without credentials: no auth.
        missing = ", ".join("--os-" + o.dest.replace("_", "-") for o in e.options)
        raise exc.CommandError(
            _(
                "Missing credentials (%(options)s): give them as options or "
                "OS_* variables, use --os-cloud, or --os-image-url with "
                "--os-auth-token."
            )
            % {"options": missing}
        ) from e


def _url_map(args: argparse.Namespace, cloud: ty.Any = None) -> ty.Any:
    """The node URL map: the option, else OS_IMAGE_NODE_URL_MAP, else
    ``image_node_url_map`` of the cloud."""
    if args.os_image_node_url_map:
        return urlmap.UrlMap(args.os_image_node_url_map)
    value = options.env("OS_IMAGE_NODE_URL_MAP")
    if value is None and cloud is not None:
        from glanceclient.cli import clouds_yaml

        value = clouds_yaml.setting(cloud, "image_node_url_map")
    return urlmap.UrlMap.from_config(value)


def _inventory(args: argparse.Namespace, cloud: ty.Any = None) -> ty.Any:
    """The nodes of the deployment: --os-image-nodes, else
    OS_IMAGE_NODES, else ``image_nodes`` of the cloud.

    :raises glanceclient.v2.inventory.InventoryError: a bad entry.
    """
    if not args.os_image_nodes and cloud is None and options.env("OS_IMAGE_NODES") is None:
        return None  # the client builds an empty one if asked: no module to load
    from glanceclient.v2 import inventory

    if args.os_image_nodes:
        return inventory.Inventory.from_config(args.os_image_nodes, inventory.SOURCE_OPTION)
    value = options.env("OS_IMAGE_NODES")
    if value is not None:
        return inventory.Inventory.from_config(value, inventory.SOURCE_ENV)
    if cloud is None:
        return None
    from glanceclient.cli import clouds_yaml

    return inventory.Inventory.from_config(
        clouds_yaml.setting(cloud, "image_nodes"), inventory.SOURCE_CLOUDS
    )


def _client_from_cloud(args: argparse.Namespace) -> v2_client.Client:
    """Build the client from a clouds.yaml entry (``--os-cloud``)."""
    from openstack import config as os_config

    from glanceclient.cli import clouds_yaml
    from glanceclient.v2 import client as v2_client

    overrides: dict[str, ty.Any] = {}
    if args.os_region_name:
        overrides["region_name"] = args.os_region_name
    if args.insecure:
        # An empty cacert keeps openstacksdk from warning that a
        # clouds.yaml cacert goes unused.
        overrides.update(verify=False, cacert="")
    elif args.os_cacert:
        overrides["cacert"] = args.os_cacert
    if args.os_cert:
        overrides["cert"] = args.os_cert
    if args.os_key:
        overrides["key"] = args.os_key
    if args.timeout is not None:
        overrides["api_timeout"] = args.timeout
    overrides["timing"] = args.collect_timing
    cloud = os_config.OpenStackConfig().get_one(cloud=args.os_cloud, **overrides)
    return v2_client.Client(
        args.os_image_url or cloud.get_endpoint("image"),
        session=upstream_options.with_tls(cloud.get_session(), args),
        interface=args.os_interface or cloud.get_interface("image"),
        region_name=cloud.region_name or None,
        node_url_map=_url_map(args, cloud),
        image_nodes=_inventory(args, cloud),
        allow_http_nodes=args.allow_http_nodes or clouds_yaml.flag(cloud, "image_allow_http_nodes"),
        **upstream_options.client_options(args),
    )


def quiet_insecure_warning() -> None:
    """Silence urllib3's warning about unverified HTTPS: ``--insecure``
    asked for exactly that, and two lines of warning on every run would
    break the one-line rule. ``--debug`` still says it."""
    import warnings

    from urllib3 import exceptions as urllib3_exc

    warnings.simplefilter("ignore", urllib3_exc.InsecureRequestWarning)
    LOG.debug("TLS certificate verification is off (--insecure).")
