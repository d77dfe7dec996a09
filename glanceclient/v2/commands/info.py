"""The ``glance`` commands that describe the cloud: import methods, quotas."""

from __future__ import annotations

import argparse
import typing as ty

from glanceclient.cli import formats
from glanceclient.cli import options
from glanceclient.cli import output
from glanceclient.cli.args import arg

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

USAGE_COLUMNS = ("Quota", "Limit", "Usage")


@arg(formats.add_options)
def do_import_info(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Print the import methods the cloud offers."""
    output.print_properties(gc.images.get_import_info(), max_width=options.DEFAULT_MAX_WIDTH)
    return 0


@arg(formats.add_options)
def do_usage(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Print your quotas and how much of them you use."""
    usage = gc.info.get_usage()
    output.print_list(
        (
            (quota, values.get("limit"), values.get("usage"))
            for quota, values in sorted(usage.items())
        ),
        USAGE_COLUMNS,
    )
    return 0
