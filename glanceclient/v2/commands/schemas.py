"""The ``glance explain`` command: what a schema's attributes mean."""

from __future__ import annotations

import argparse
import typing as ty

from glanceclient._i18n import _
from glanceclient.common import schema_options
from glanceclient.common import utils
from glanceclient.common.utils import arg

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

COLUMNS = ("Attribute", "Description")


@arg("model", metavar="<MODEL>", help=_("Name of the schema: image, member, images, ..."))
def do_explain(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Describe a specific model."""
    raw = gc.schemas.get(args.model).raw()
    if args.model == "image":
        schema_options.save(raw)
    properties = raw.get("properties") or {}
    utils.print_list(
        ((name, (spec or {}).get("description", "")) for name, spec in sorted(properties.items())),
        COLUMNS,
    )
    return 0
