"""``openstack cache ...``: the image-cache commands of OpenStackClient.

``cache nodes list`` answers for the whole deployment (``--check`` probes
each listed node). ``cache clean`` and ``cache prune`` act on the one Glance
API node that receives the request (aim them at a node with
``--os-endpoint``), or with ``--node`` on each named node; the work is done
by :mod:`glanceclient.v2.fleet`, these commands choose columns and exit
statuses. OpenStackClient's own ``cached
image ...`` commands are a different command group and are left alone.

Errors of the library become one-line :class:`osc_lib.exceptions.CommandError`
messages, the same text ``glance`` prints.

OpenStackClient imports every command module of every plugin at each start
(cliff loads all entry points of a command group), so this module imports
only what OpenStackClient has already loaded; the library (and the helpers
the front ends share, :mod:`glanceclient.common.utils`) is imported when a
command runs.
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

#: The fields of ``cache prune``, in the server's order.
PRUNE_FIELDS = ("total_files_pruned", "total_bytes_pruned")

PER_NODE = _(
    "This acts on the Glance API node that receives the request, not on "
    "the whole deployment: aim it at one node with --os-endpoint <node URL> "
    "(or OS_IMAGE_ENDPOINT_OVERRIDE), or name nodes with --node."
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


class _SafeList(command.Lister):
    """A Lister whose text formats show control characters escaped."""

    def produce_output(
        self, parsed_args: argparse.Namespace, column_names: ty.Sequence[str], data: ty.Any
    ) -> int:
        from glanceclient.common import utils

        if parsed_args.formatter not in utils.ESCAPING_FORMATS:
            data = [utils.safe_row(row) for row in data]
        return super().produce_output(parsed_args, column_names, data)


class _SafeShow(command.ShowOne):
    """A ShowOne whose text formats show control characters escaped."""

    def produce_output(
        self, parsed_args: argparse.Namespace, column_names: ty.Sequence[str], data: ty.Any
    ) -> int:
        from glanceclient.common import utils

        if parsed_args.formatter not in utils.ESCAPING_FORMATS:
            data = utils.safe_row(data)
        return super().produce_output(parsed_args, column_names, data)


class ListCacheNodes(_SafeList):
    _description = _(
        "List the Glance API nodes that have an image in their cache.\n\n"
        "One row per node reference URL, sorted; none when the image is "
        "cached nowhere. Nodes are listed from the database the nodes share, "
        "whether they are alive or not."
    )

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        from glanceclient.common import utils

        parser = super().get_parser(prog_name)
        parser.add_argument("image", metavar="<image>", help=_("Image to look for (name or ID)"))
        utils.add_check_options(parser)
        return parser

    def take_action(
        self, parsed_args: argparse.Namespace
    ) -> tuple[tuple[str, ...], list[tuple[ty.Any, ...]]]:
        from glanceclient.common import utils

        client = _client(self)
        image_id = _call(lambda: client.images.find_id(parsed_args.image))
        if not parsed_args.check:
            nodes = _call(lambda: client.cache.list_nodes(image_id))
            return (utils.NODES_COLUMN,), [(node,) for node in sorted(nodes)]
        states = _call(lambda: client.fleet.check(image_id, timeout=parsed_args.probe_timeout))
        mapped = _show_mapped(self, client)
        columns = (
            utils.NODES_COLUMN,
            *((utils.MAPPED_COLUMN,) if mapped else ()),
            *utils.CHECK_COLUMNS,
        )
        rows = [
            (s.url, *((s.endpoint,) if mapped else ()), s.status, _latency(s.latency_ms))
            for s in states
        ]
        return columns, rows


def _latency(latency_ms: float | None) -> float | None:
    return None if latency_ms is None else round(latency_ms, 1)


def _show_mapped(cmd: command.Command, client: v2_client.Client) -> bool:
    """Whether tables show each node's mapped URL (under --debug)."""
    options = getattr(cmd.app, "options", None)
    return bool(client.fleet.url_map and getattr(options, "debug", False))


class _NodeTable(_SafeList):
    """Prints the table of a command run on several nodes (any command's)."""

    def take_action(self, parsed_args: argparse.Namespace) -> ty.Any:
        raise NotImplementedError  # only produce_output() is used


def run_on_nodes(
    cmd: command.Command,
    parsed_args: argparse.Namespace,
    call: collections.abc.Callable[[v2_client.Client], ty.Any],
    columns: tuple[str, ...] = (),
    cells: collections.abc.Callable[[ty.Any], tuple[ty.Any, ...]] = lambda value: (),
) -> tuple[tuple[str, ...], list[tuple[ty.Any, ...]], int]:
    """Run ``call`` on each ``--node``; the table and the exit status.

    :returns: the columns (``Node`` first, ``Result`` last), one row per
        node, and 1 if any node failed, else 0.
    """
    from glanceclient.common import utils

    client = _client(cmd)
    results = client.fleet.run(parsed_args.node, call, max_parallel=parsed_args.max_parallel)
    mapped = _show_mapped(cmd, client)
    head = (utils.NODE_COLUMN, *((utils.MAPPED_COLUMN,) if mapped else ()))
    rows = [
        (r.node, *((r.endpoint,) if mapped else ()), *cells(r.value), utils.result_text(r))
        for r in results
    ]
    return (*head, *columns, utils.RESULT_COLUMN), rows, int(any(not r.ok for r in results))


class CleanCache(_SafeList):
    _description = (
        _("Remove invalid and stalled files from the image cache of one node.") + "\n\n" + PER_NODE
    )

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        from glanceclient.common import utils

        parser = super().get_parser(prog_name)
        utils.add_node_options(parser)
        return parser

    def run(self, parsed_args: argparse.Namespace) -> int:
        if not parsed_args.node:  # one node: nothing to show
            self.take_action(parsed_args)
            return 0
        self._status = 0
        return super().run(parsed_args) or self._status

    def take_action(self, parsed_args: argparse.Namespace) -> ty.Any:
        if not parsed_args.node:
            _call(_client(self).cache.clean)
            return None
        columns, rows, self._status = run_on_nodes(self, parsed_args, lambda c: c.cache.clean())
        return columns, rows


class PruneCache(_SafeShow):
    _description = (
        _("Shrink the image cache of one node below its size limit; show what went.")
        + "\n\n"
        + PER_NODE
    )

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        from glanceclient.common import utils

        parser = super().get_parser(prog_name)
        utils.add_node_options(parser)
        return parser

    def run(self, parsed_args: argparse.Namespace) -> int:
        from glanceclient.common import utils

        if not parsed_args.node:
            return super().run(parsed_args)
        # One row per node: a list, in the formats of a list where they
        # exist (a one-object format such as 'shell' has no list form).
        table = _NodeTable(self.app, self.app_args, cmd_name=self.cmd_name)
        if parsed_args.formatter not in table._formatter_plugins.names():
            raise exceptions.CommandError(
                _("Format %(f)s cannot show several nodes; use table, json, yaml or value.")
                % {"f": parsed_args.formatter}
            )
        formatter = table._formatter_plugins[parsed_args.formatter].obj
        assert formatter is not None  # stevedore loaded every plugin
        table.formatter = formatter
        for name, value in (("sort_columns", []), ("sort_direction", "asc")):
            setattr(parsed_args, name, getattr(parsed_args, name, value))
        columns, rows, status = run_on_nodes(
            self, parsed_args, lambda c: c.cache.prune(), utils.PRUNE_COLUMNS, utils.prune_cells
        )
        table.produce_output(parsed_args, columns, rows)
        return status

    def take_action(
        self, parsed_args: argparse.Namespace
    ) -> tuple[tuple[str, ...], tuple[int, ...]]:
        client = _client(self)
        result = _call(client.cache.prune)
        return PRUNE_FIELDS, tuple(result[field] for field in PRUNE_FIELDS)
