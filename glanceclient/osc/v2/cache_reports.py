"""``openstack cache report`` and ``openstack cache orphans``: what the
caches of many nodes hold, and the entries whose image no longer exists.

The same tables as ``glance cache-report`` and ``glance cache-orphans``
(:mod:`glanceclient.cli.reports`), in every output format of
OpenStackClient. Like :mod:`glanceclient.osc.v2.cache`, this module
imports the library only when a command runs.
"""

from __future__ import annotations

import argparse
import functools
import typing as ty

from glanceclient._i18n import _
from glanceclient.osc.v2 import cache


class _Report(cache._FanOut):
    """A listing over many nodes (see :class:`~glanceclient.osc.v2.cache._FanOut`)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        from glanceclient.cli import reports

        parser = super().get_parser(prog_name)
        reports.add_where_options(parser)
        return parser

    def _listings(self, parsed_args: argparse.Namespace) -> tuple[ty.Any, ty.Any]:
        """The client, and each chosen node's cache listing (also kept for
        the summary and the exit status)."""
        from glanceclient.cli import reports

        client = cache._client(self)
        nodes = cache._call(lambda: reports.nodes(client, parsed_args))
        return client, self.fan_out(
            parsed_args, functools.partial(client.cache_report.listings, nodes)
        )


class CacheReport(_Report):
    _description = _(
        "Report what the image caches of many nodes hold.\n\n"
        "One row per node (cached images, bytes, hits, queued images, the "
        "newest access, and the fill level where the inventory gives the "
        "node's cache_max_size), then a totals row; with --by-image, one row "
        "per cached image. --all-nodes acts on every inventory node "
        "(--os-image-nodes, OS_IMAGE_NODES, clouds.yaml image_nodes)."
    )

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "--by-image",
            action="store_true",
            help=_("One row per cached image: its name, size, how many nodes and which, hits"),
        )
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> ty.Any:
        from glanceclient.cli import reports

        client, results = self._listings(parsed_args)
        if parsed_args.by_image:
            table = cache._call(lambda: reports.image_table(client, results))
        else:
            table = reports.report_table(client, results, mapped=cache._show_mapped(self, client))
        return table.shaped(data=parsed_args.formatter != "table")


class CacheOrphans(_Report):
    _description = _(
        "List image cache entries whose image no longer exists, on many nodes.\n\n"
        "Deleting an image evicts it only on the node that took the request. "
        "This lists each node's cached and queued entries whose image the "
        "endpoint answers 404 for; --delete evicts exactly those. If an image "
        "cannot be looked up (403, 5xx), nothing is listed or evicted."
    )

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "--delete",
            action="store_true",
            help=_("Evict the orphans found from their nodes' caches and queues"),
        )
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> ty.Any:
        from glanceclient.cli import reports

        client, results = self._listings(parsed_args)
        table, self._outcomes, self._stopped = cache._call(
            lambda: reports.orphans_table(
                client,
                results,
                delete=parsed_args.delete,
                stopped=self._stopped,
                max_parallel=parsed_args.max_parallel,
                timeout=parsed_args.node_timeout,
                mapped=cache._show_mapped(self, client),
                stream=self.app.stderr,
            )
        )
        return table.shaped(data=parsed_args.formatter != "table")
