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
the front ends share, :mod:`glanceclient.cli`) is imported when a command
runs: each function-level import below is there for that start-up cost.
"""

from __future__ import annotations

import argparse
import collections.abc
import functools
import typing as ty

from osc_lib import exceptions
from osc_lib.command import command

from glanceclient._i18n import _
from glanceclient.osc import plugin

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client
    from glanceclient.v2 import fleet


PER_NODE = _(
    "This acts on the Glance API node that receives the request, not on "
    "the whole deployment: aim it at one node with --os-endpoint <node URL> "
    "(or OS_IMAGE_ENDPOINT_OVERRIDE), name nodes with --node, or act on "
    "every node of the inventory with --all-nodes."
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
        from glanceclient.cli import errors

        raise exceptions.CommandError(errors.one_line(e)) from e


class _SafeList(command.Lister):
    """A Lister whose text formats show control characters escaped."""

    def produce_output(
        self, parsed_args: argparse.Namespace, column_names: ty.Sequence[str], data: ty.Any
    ) -> int:
        from glanceclient.cli import output

        if parsed_args.formatter not in output.ESCAPING_FORMATS:
            data = [output.safe_row(_flat(row)) for row in data]
        return super().produce_output(parsed_args, column_names, data)


def _flat(row: collections.abc.Iterable[ty.Any]) -> tuple[ty.Any, ...]:
    """A row for the formats that write text: a mapping (a node's ``Error
    Detail``) as JSON text, None as an empty cell."""
    from glanceclient.cli import formats

    return tuple(formats.text(v) if v is None or isinstance(v, dict) else v for v in row)


class _SafeShow(command.ShowOne):
    """A ShowOne whose text formats show control characters escaped."""

    def produce_output(
        self, parsed_args: argparse.Namespace, column_names: ty.Sequence[str], data: ty.Any
    ) -> int:
        from glanceclient.cli import output

        if parsed_args.formatter not in output.ESCAPING_FORMATS:
            data = output.safe_row(data)
        return super().produce_output(parsed_args, column_names, data)


class ListCacheNodes(_SafeList):
    _description = _(
        "List the Glance API nodes that have an image in their cache.\n\n"
        "One row per node reference URL, sorted; none when the image is "
        "cached nowhere. Nodes are listed from the database the nodes share, "
        "whether they are alive or not."
    )

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        from glanceclient.cli import fleet as cli_fleet

        parser = super().get_parser(prog_name)
        parser.add_argument("image", metavar="<image>", help=_("Image to look for (name or ID)"))
        cli_fleet.add_check_options(parser)
        return parser

    def take_action(
        self, parsed_args: argparse.Namespace
    ) -> tuple[tuple[str, ...], list[tuple[ty.Any, ...]]]:
        from glanceclient.cli import fleet as cli_fleet

        client = _client(self)
        image_id = _call(lambda: cli_fleet.image_id(client, parsed_args.image))
        if not parsed_args.check:
            nodes = _call(lambda: client.cache.list_nodes(image_id))
            return cli_fleet.nodes_table(nodes).shaped(data=True)
        states = _call(lambda: client.fleet.check(image_id, timeout=parsed_args.probe_timeout))
        table = cli_fleet.check_table(states, mapped=_show_mapped(self, client))
        return table.formatted(cli_fleet.LATENCY_COLUMN, _latency).shaped(data=True)


def _latency(latency_ms: float | None) -> float | None:
    """A probe's latency as OpenStackClient shows it: a number, rounded."""
    return None if latency_ms is None else round(latency_ms, 1)


def _show_mapped(cmd: command.Command, client: v2_client.Client) -> bool:
    """Whether tables show each node's mapped URL (under --debug)."""
    options = getattr(cmd.app, "options", None)
    return bool(client.fleet.url_map and getattr(options, "debug", False))


#: The output formats both of a one-object command and of a list.
LIST_FORMATS = ("table", "json", "yaml", "value")


class _FanOut(_SafeList):
    """A command run on several nodes, as ``glance`` runs one: on a
    terminal, a progress line on standard error while the nodes are asked
    and, after the table, how they fared (``2 ok, 1 failed``); Ctrl-C shows
    the rows of the nodes that ended, the others ``interrupted``. Its exit
    status says if a node failed (130 after Ctrl-C)."""

    def run(self, parsed_args: argparse.Namespace) -> int:
        self._outcomes: list[fleet.NodeResult] = []
        self._stopped = False
        status = super().run(parsed_args)
        if status:
            return status
        from glanceclient.cli import fleet as cli_fleet

        return cli_fleet.ended(self._outcomes, stopped=self._stopped, stream=self.app.stderr)

    def fan_out(
        self,
        parsed_args: argparse.Namespace,
        run: collections.abc.Callable[..., list[fleet.NodeResult]],
    ) -> list[fleet.NodeResult]:
        """Run a fleet call with the command's fan-out options
        (:func:`glanceclient.cli.fleet.fan_out`); its results are also kept
        for the summary and the exit status."""
        from glanceclient.cli import fleet as cli_fleet

        self._outcomes, self._stopped = cli_fleet.fan_out(parsed_args, run, self.app.stderr)
        return self._outcomes

    def on_nodes(
        self,
        parsed_args: argparse.Namespace,
        call: collections.abc.Callable[[fleet.Node], ty.Any],
        columns: tuple[str, ...] = (),
        cells: collections.abc.Callable[[ty.Any], tuple[ty.Any, ...]] = lambda value: (),
    ) -> tuple[tuple[str, ...], list[tuple[ty.Any, ...]]]:
        """Run ``call`` on each ``--node`` (or every inventory node with
        ``--all-nodes``); the columns (``Node`` first) and one row per node.

        The rows are ``glance``'s (:func:`glanceclient.cli.fleet.results_table`):
        a table ends with ``Result``; the data formats carry ``Status``,
        ``Error`` and ``Error Detail`` instead, and None (not a dash) in the
        number columns of a node that failed.
        """
        from glanceclient.cli import fleet as cli_fleet
        from glanceclient.cli import formats

        client = _client(self)
        nodes = _call(lambda: cli_fleet.chosen_nodes(client.inventory, parsed_args)) or []
        results = self.fan_out(parsed_args, functools.partial(client.fleet.run, nodes, call))
        table = cli_fleet.results_table(
            ((r, cells(r.value)) for r in results),
            [formats.Column(c, show=_dash) for c in columns],
            mapped=_show_mapped(self, client),
        )
        return table.shaped(data=parsed_args.formatter != "table")


class _NodeTable(_FanOut):
    """The table of a one-object command run on several nodes: one row per
    node (see :meth:`_FanOut.on_nodes`)."""

    def __init__(
        self,
        cmd: command.Command,
        call: collections.abc.Callable[[fleet.Node], ty.Any],
        columns: tuple[str, ...],
        cells: collections.abc.Callable[[ty.Any], tuple[ty.Any, ...]],
    ) -> None:
        super().__init__(cmd.app, cmd.app_args, cmd_name=cmd.cmd_name)
        self._call, self._columns, self._cells = call, columns, cells

    def take_action(self, parsed_args: argparse.Namespace) -> ty.Any:
        return self.on_nodes(parsed_args, self._call, self._columns, self._cells)


def _dash(value: object) -> object:
    """A missing number as a table shows it."""
    return "-" if value is None else value


class CleanCache(_FanOut):
    _description = (
        _("Remove invalid and stalled files from the image cache of one node.") + "\n\n" + PER_NODE
    )

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        from glanceclient.cli import fleet as cli_fleet

        parser = super().get_parser(prog_name)
        cli_fleet.add_node_options(parser)
        return parser

    def run(self, parsed_args: argparse.Namespace) -> int:
        if not (parsed_args.node or parsed_args.all_nodes):  # one node: nothing to show
            self.take_action(parsed_args)
            return 0
        return super().run(parsed_args)

    def take_action(self, parsed_args: argparse.Namespace) -> ty.Any:
        if not (parsed_args.node or parsed_args.all_nodes):
            _call(_client(self).cache.clean)
            return None
        return self.on_nodes(parsed_args, lambda c: c.cache.clean())


class PruneCache(_SafeShow):
    _description = (
        _("Shrink the image cache of one node below its size limit; show what went.")
        + "\n\n"
        + PER_NODE
    )

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        from glanceclient.cli import fleet as cli_fleet

        parser = super().get_parser(prog_name)
        cli_fleet.add_node_options(parser)
        return parser

    def run(self, parsed_args: argparse.Namespace) -> int:
        from glanceclient.cli import fleet as cli_fleet

        if not (parsed_args.node or parsed_args.all_nodes):
            return super().run(parsed_args)
        # One row per node: a list, in the formats of a list where they
        # exist (a one-object format such as 'shell' has no list form).
        if parsed_args.formatter not in LIST_FORMATS:
            raise exceptions.CommandError(
                _("Format %(f)s cannot show several nodes; use table, json, yaml or value.")
                % {"f": parsed_args.formatter}
            )
        for name, value in (("sort_columns", []), ("sort_direction", "asc")):
            setattr(parsed_args, name, getattr(parsed_args, name, value))
        table = _NodeTable(
            self, lambda c: c.cache.prune(), cli_fleet.PRUNE_COLUMNS, cli_fleet.prune_cells
        )
        return table.run(parsed_args)

    def take_action(
        self, parsed_args: argparse.Namespace
    ) -> tuple[tuple[str, ...], tuple[int, ...]]:
        from glanceclient import vocabulary

        client = _client(self)
        result = _call(client.cache.prune)
        return vocabulary.PRUNE_KEYS, tuple(result[key] for key in vocabulary.PRUNE_KEYS)
