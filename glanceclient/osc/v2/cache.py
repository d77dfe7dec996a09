"""``openstack cache ...``: the image-cache commands of OpenStackClient.

``cache nodes list`` answers for the whole deployment. ``cache clean`` and
``cache prune`` act on the one Glance API node that receives the request:
aim them at a node with ``--os-endpoint``. OpenStackClient's own ``cached
image ...`` commands are a different command group and are left alone.

Errors of the library become one-line :class:`osc_lib.exceptions.CommandError`
messages, the same text ``glance`` prints.

OpenStackClient imports every command module of every plugin at each start
(cliff loads all entry points of a command group), so this module imports
only what OpenStackClient has already loaded; the library is imported when
a command runs.
"""

from __future__ import annotations

import argparse
import collections.abc
import typing as ty

from osc_lib import exceptions
from osc_lib.command import command

from glanceclient._i18n import _
from glanceclient.osc import plugin

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

#: The column of ``cache nodes list`` (the one ``glance`` prints too).
NODES_COLUMN = "Node Reference URL"
#: The fields of ``cache prune``, in the server's order.
PRUNE_FIELDS = ("total_files_pruned", "total_bytes_pruned")

PER_NODE = _(
    "This acts on the Glance API node that receives the request, not on "
    "the whole deployment: aim it at one node with --os-endpoint <node URL> "
    "(or OS_IMAGE_ENDPOINT_OVERRIDE)."
)

T = ty.TypeVar("T")


def _client(cmd: command.Command) -> v2_client.Client:
    # OpenStackClient's ClientManager gets the attribute when it loads the
    # plugin; its type does not know about it.
    client: v2_client.Client = getattr(cmd.app.client_manager, plugin.API_NAME)
    return client


def _call(func: collections.abc.Callable[[], T]) -> T:
    """Run a library call; turn its errors into one-line CommandErrors."""
    from glanceclient import exc

    try:
        return func()
    except exc.ClientException as e:
        raise exceptions.CommandError(exc.one_line(e)) from e


class ListCacheNodes(command.Lister):
    _description = _(
        "List the Glance API nodes that have an image in their cache.\n\n"
        "One row per node reference URL, sorted; none when the image is "
        "cached nowhere. Nodes are listed from the database the nodes share, "
        "whether they are alive or not."
    )

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("image", metavar="<image>", help=_("Image to look for (name or ID)"))
        return parser

    def take_action(
        self, parsed_args: argparse.Namespace
    ) -> tuple[tuple[str, ...], list[tuple[str]]]:
        client = _client(self)

        def nodes() -> list[str]:
            return client.cache.list_nodes(client.images.find_id(parsed_args.image))

        return (NODES_COLUMN,), [(node,) for node in sorted(_call(nodes))]


class CleanCache(command.Command):
    _description = (
        _("Remove invalid and stalled files from the image cache of one node.") + "\n\n" + PER_NODE
    )

    def take_action(self, parsed_args: argparse.Namespace) -> None:
        client = _client(self)
        _call(client.cache.clean)


class PruneCache(command.ShowOne):
    _description = (
        _("Shrink the image cache of one node below its size limit; show what went.")
        + "\n\n"
        + PER_NODE
    )

    def take_action(
        self, parsed_args: argparse.Namespace
    ) -> tuple[tuple[str, ...], tuple[int, ...]]:
        client = _client(self)
        result = _call(client.cache.prune)
        return PRUNE_FIELDS, tuple(result[field] for field in PRUNE_FIELDS)
