"""The ``glance task-*`` commands: the server's asynchronous tasks."""

from __future__ import annotations

import argparse
import typing as ty

from glanceclient import exc
from glanceclient import vocabulary
from glanceclient._i18n import _
from glanceclient.cli import formats
from glanceclient.cli import options
from glanceclient.cli import output
from glanceclient.cli.args import arg
from glanceclient.v2.commands import common

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

COLUMNS = ("ID", "Type", "Status", "Owner")
#: Links, not something to show.
HIDDEN_FIELDS = ("self", "schema")


@arg(
    "--sort-key",
    default="status",
    choices=vocabulary.TASK_SORT_KEY_VALUES,
    help=_("Sort task list by specified field."),
)
@arg(
    "--sort-dir",
    default="desc",
    choices=vocabulary.SORT_DIR_VALUES,
    help=_("Sort task list in specified direction."),
)
@arg(
    "--page-size",
    metavar="<SIZE>",
    type=int,
    help=_("Number of tasks to request in each paginated request."),
)
@arg("--type", metavar="<TYPE>", help=_("Filter tasks to those that have this type."))
@arg("--status", metavar="<STATUS>", help=_("Filter tasks to those that have this status."))
@arg(formats.add_options)
def do_task_list(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """List tasks you can access."""
    filters = {k: v for k, v in (("type", args.type), ("status", args.status)) if v is not None}
    tasks = gc.tasks.list(
        filters=filters, page_size=args.page_size, sort_key=args.sort_key, sort_dir=args.sort_dir
    )
    output.print_list(output.field_rows(tasks, COLUMNS), COLUMNS)
    return 0


@arg("id", metavar="<TASK_ID>", help=_("ID of task to describe."))
@arg(formats.add_options)
def do_task_show(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Describe a specific task."""
    output.print_properties(
        gc.tasks.get(args.id), hidden=HIDDEN_FIELDS, max_width=options.DEFAULT_MAX_WIDTH
    )
    return 0


@arg(
    "--type",
    metavar="<TYPE>",
    help=_(
        "Type of Task. Please refer to Glance schema or documentation to see "
        "which tasks are supported."
    ),
)
@arg("--input", metavar="<STRING>", default="{}", help=_("Parameters of the task to be launched"))
@arg(formats.add_options)
def do_task_create(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Create a new task."""
    if not (args.type and args.input):
        raise exc.CommandError(_("Unable to create task. Specify task type and input."))
    task_input = common.json_object(args.input, "--input")
    task = gc.tasks.create(type=args.type, input=task_input)
    output.print_properties(task, hidden=HIDDEN_FIELDS, max_width=options.DEFAULT_MAX_WIDTH)
    return 0
