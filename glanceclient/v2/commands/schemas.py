"""The ``glance explain`` command: what a schema's attributes mean."""

from __future__ import annotations

import argparse
import typing as ty

from glanceclient._i18n import _
from glanceclient.cli import formats
from glanceclient.cli import output
from glanceclient.cli import schema_options
from glanceclient.cli.args import arg

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

COLUMNS = ("Attribute", "Description")


@arg("model", metavar="<MODEL>", help=_("Name of the schema: image, member, images, ..."))
@arg(formats.add_options)
def do_explain(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Describe a specific model."""
    raw = gc.schemas.get(args.model).raw()
    if args.model == "image":
        schema_options.save(raw)
    properties = raw.get("properties") or {}
    output.print_list(
        ((name, (spec or {}).get("description", "")) for name, spec in sorted(properties.items())),
        COLUMNS,
    )
    return 0
