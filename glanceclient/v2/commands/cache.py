"""The ``glance`` commands of the image-cache API, one ``do_<name>`` each.

Each function takes the v2 client and the parsed arguments, prints its
result, and returns the exit status. ``cache-nodes-list`` answers for the
whole deployment; every other command acts on the one node that receives
the request (aim it with ``--os-image-url``), or, with ``--node``, on each
named node (see :mod:`glanceclient.v2.fleet`, which does the work; the
commands here only choose columns and exit statuses).
"""

from __future__ import annotations

import argparse
import collections.abc
import functools
import typing as ty

from glanceclient import exc
from glanceclient import vocabulary
from glanceclient._i18n import _
from glanceclient.cli import fleet as cli_fleet
from glanceclient.cli import formats
from glanceclient.cli import messages
from glanceclient.cli import options
from glanceclient.cli import output
from glanceclient.cli.args import arg
from glanceclient.cli.args import note

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client
    from glanceclient.v2 import fleet

PER_NODE = _(
    "This acts on the Glance API node that receives the request; use "
    "--os-image-url to choose the node, --node (repeatable) to act on "
    "each named node, or --all-nodes to act on every node of the inventory."
)
CACHE_COLUMNS = (
    "ID",
    "Name",
    "State",
    "Last Accessed (UTC)",
    "Last Modified (UTC)",
    "Size",
    "Hits",
)
#: Seconds ``cache-queue --wait`` waits by default, and between listings.
WAIT_TIMEOUT = 300.0
WAIT_INTERVAL = 1.0


def _plain(value: object) -> object:
    """A value as a table shows it: a dash for none."""
    return "-" if value is None else value


#: The image cells of a command run on several nodes and images.
IMAGE_COLUMNS = ("Image", formats.Column("Name", show=_plain))


@arg(cli_fleet.add_check_options)
@arg("image", metavar="<image>", help=_("Name or ID of the image."))
@arg(formats.add_options)
def do_cache_nodes_list(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """List the Glance API nodes that have an image in their cache.

    One row per node reference URL, sorted; empty when the image is cached
    nowhere. Nodes are listed from the shared database, alive or not: add
    --check to see which of them answer. The exit status is 0 whenever the
    listing worked, whatever the nodes' states.
    """
    image_id = cli_fleet.image_id(gc, args.image)
    if not args.check:
        _print_table(cli_fleet.nodes_table(gc.cache.list_nodes(image_id)))
        return 0
    states = gc.fleet.check(image_id, timeout=args.probe_timeout)
    table = cli_fleet.check_table(states, mapped=_show_mapped(gc, args))
    latency = formats.Column(cli_fleet.LATENCY_COLUMN, show=_latency)
    rounded = table.formatted(cli_fleet.LATENCY_COLUMN, _rounded)
    output.print_list(rounded.rows, [*rounded.columns[:-1], latency])
    return 0


@arg(cli_fleet.add_node_options)
@arg("--human-readable", action="store_true", help=_("Show sizes as KiB, MiB, GiB."))
@arg(formats.add_options)
@note(PER_NODE)
def do_cache_list(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """List the images cached or queued for caching on one node."""
    columns = _cache_columns(args.human_readable)
    nodes = cli_fleet.chosen_nodes(gc.inventory, args)
    if nodes is None:
        listing = gc.cache.list()
        names = cli_fleet.image_names(gc, _listed_ids([listing]))
        output.print_list(_cache_rows(listing, names), columns)
        return 0
    results, stopped = cli_fleet.fan_out(args, functools.partial(gc.fleet.run, nodes, _listing))
    names = cli_fleet.image_names(gc, _listed_ids(r.value for r in results if r.value is not None))
    rows = []
    for r in results:
        listed = _cache_rows(r.value, names) if r.value is not None else []
        rows += [(r, row) for row in listed or [(None,) * len(columns)]]
    return _print_results(gc, args, rows, columns, stopped=stopped)


def _listing(node: fleet.Node) -> dict[str, ty.Any]:
    return node.cache.list()


def _cache_columns(human_readable: bool) -> list[formats.Column]:
    """The columns of a cache listing: a table shows sizes in bytes, or as
    people read them with ``human_readable``, and a dash for no value."""
    size = output.format_size if human_readable else _plain
    return [
        formats.Column(title, show=size if title == "Size" else _plain) for title in CACHE_COLUMNS
    ]


def _listed_ids(listings: collections.abc.Iterable[dict[str, ty.Any]]) -> list[str]:
    """The image IDs of cache listings, each once."""
    found: dict[str, None] = {}
    for listing in listings:
        found.update((image["image_id"], None) for image in listing["cached_images"])
        found.update((image_id, None) for image_id in listing["queued_images"])
    return list(found)


def _cache_rows(listing: dict[str, ty.Any], names: dict[str, ty.Any]) -> list[tuple[ty.Any, ...]]:
    """One row per cached or queued image, the values as they are (times
    as ``YYYY-MM-DDTHH:MM:SS`` UTC)."""
    rows: list[tuple[ty.Any, ...]] = [
        (
            image["image_id"],
            names.get(image["image_id"]),
            "cached",
            _time(image.get("last_accessed")),
            _time(image.get("last_modified")),
            image.get("size"),
            image.get("hits"),
        )
        for image in listing["cached_images"]
    ]
    rows += [
        (image_id, names.get(image_id), "queued", None, None, None, None)
        for image_id in listing["queued_images"]
    ]
    return rows


def _time(epoch: object) -> object:
    return None if epoch is None else output.format_timestamp(epoch)


@arg(
    "--wait-timeout",
    metavar="<seconds>",
    type=options.positive_float,
    default=WAIT_TIMEOUT,
    help=_("With --wait: seconds to wait in all (default %(t)g).") % {"t": WAIT_TIMEOUT},
)
# The name --wait-timeout replaces; after the command name it meant the
# wait, not the global --timeout of each request. Kept for scripts, hidden.
@arg(
    "--timeout",
    dest="old_wait_timeout",
    metavar="<seconds>",
    type=options.positive_float,
    help=argparse.SUPPRESS,
)
@arg(
    "--wait",
    action="store_true",
    help=_(
        "Wait until each node that took the order has cached each image (the "
        "endpoint's node without --node or --all-nodes); report each one's state."
    ),
)
@arg(cli_fleet.add_node_options)
@arg("images", metavar="<image>", nargs="+", help=_("Name or ID of an image to queue."))
@arg(formats.add_options)
@note(PER_NODE)
def do_cache_queue(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Queue images for caching on one node, on each --node, or on all nodes."""
    if args.old_wait_timeout is not None:
        messages.warning(_("cache-queue --timeout is deprecated: use --wait-timeout."))
        args.wait_timeout = args.old_wait_timeout
    nodes = cli_fleet.chosen_nodes(gc.inventory, args)
    if nodes is None and not args.wait:
        return _for_each_image(gc, args.images, gc.cache.queue, _("queue"))
    names = _active_images(gc, args.images)
    stopped = False
    if nodes is None:
        here = gc.http_client.root
        results = [_queue_here(gc, here, image_id) for image_id in names]
    else:
        if args.wait:  # --wait's time bounds every request of the command's
            args.node_timeout = min(args.node_timeout, args.wait_timeout)
        run = gc.fleet.run_per_image
        results, stopped = cli_fleet.fan_out(
            args, functools.partial(run, nodes, list(names), _queue)
        )
    if not args.wait or stopped:
        rows = [(r, (r.image, names.get(r.image or ""))) for r in results]
        return _print_results(gc, args, rows, IMAGE_COLUMNS, stopped=stopped)
    return _print_waited(gc, args, results, names, here=None if nodes else results[0].node)


def _queue(node: fleet.Node, image_id: str) -> None:
    node.cache.queue(image_id)


def _queue_here(gc: v2_client.Client, here: str, image_id: str) -> fleet.NodeResult:
    """Queue an image on the endpoint's node, as a node's result."""
    try:
        gc.cache.queue(image_id)
        error = None
    except exc.ClientException as e:
        error = e
    # The fleet is imported when a command acts on nodes, not at start-up.
    from glanceclient.v2 import fleet

    return fleet.NodeResult(here, here, image_id, None, error)


def _active_images(
    gc: v2_client.Client, images: collections.abc.Sequence[str]
) -> dict[str, ty.Any]:
    """The name of each image, by ID, once each is known to be active.

    What every node would refuse (an image that does not exist or is not
    active) is refused here, once, before any node is asked.

    :raises glanceclient.exc.ClientException: an image is missing or not
        active.
    """
    names: dict[str, ty.Any] = {}
    for given in images:
        image = gc.images.get(gc.images.find_id(given))
        if image.get("status") != "active":
            raise exc.CommandError(
                _("Image %(image)s is %(status)s; only active images can be cached.")
                % {"image": given, "status": image.get("status")}
            )
        names[image["id"]] = image.get("name")
    return names


@arg(functools.partial(cli_fleet.add_node_options, per_image=True))
@arg("images", metavar="<image>", nargs="+", help=_("Name or ID of an image to delete."))
@arg(formats.add_options)
@note(PER_NODE)
def do_cache_delete(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Delete images from the cache of one node, of each --node, or of all nodes."""
    if not args.all_nodes and not args.node:
        return _for_each_image(gc, args.images, gc.cache.delete, _("delete from the cache"))
    image_ids = [cli_fleet.image_id(gc, image) for image in args.images]
    run: collections.abc.Callable[..., list[fleet.NodeResult]]
    if args.all_nodes:
        run = functools.partial(gc.fleet.delete_everywhere, image_ids, also=gc.inventory.urls)
    else:
        run = functools.partial(gc.fleet.run_per_image, args.node, image_ids, _delete)
    results, stopped = cli_fleet.fan_out(args, run)
    names = cli_fleet.image_names(gc, image_ids)
    rows = [(r, (r.image, names.get(r.image or ""))) for r in results]
    return _print_results(gc, args, rows, IMAGE_COLUMNS, stopped=stopped)


def _delete(node: fleet.Node, image_id: str) -> None:
    node.cache.delete(image_id)


@arg(cli_fleet.add_node_options)
@arg(
    "--target",
    choices=tuple(vocabulary.CACHE_CLEAR_TARGETS),
    default="both",
    help=_("What to empty: the cache, the queue, or both (the default)."),
)
@arg(formats.add_options)
@note(PER_NODE)
def do_cache_clear(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Empty the cache, the queue, or both, of one node, of each --node or of all nodes."""
    nodes = cli_fleet.chosen_nodes(gc.inventory, args)
    if nodes is None:
        gc.cache.clear(args.target)
        return 0
    clear = functools.partial(gc.fleet.run, nodes, lambda c: c.cache.clear(args.target))
    results, stopped = cli_fleet.fan_out(args, clear)
    return _print_results(gc, args, [(r, ()) for r in results], (), stopped=stopped)


@arg(cli_fleet.add_node_options)
@arg(formats.add_options)
@note(PER_NODE)
def do_cache_clean(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Remove invalid and stalled files from the cache of one node, each --node or all nodes."""
    nodes = cli_fleet.chosen_nodes(gc.inventory, args)
    if nodes is None:
        gc.cache.clean()
        return 0
    clean = functools.partial(gc.fleet.run, nodes, lambda c: c.cache.clean())
    results, stopped = cli_fleet.fan_out(args, clean)
    return _print_results(gc, args, [(r, ()) for r in results], (), stopped=stopped)


@arg(cli_fleet.add_node_options)
@arg(formats.add_options)
@note(PER_NODE)
def do_cache_prune(gc: v2_client.Client, args: argparse.Namespace) -> int:
    """Shrink the cache of one node (each --node, all nodes) below its limit; print what went."""
    nodes = cli_fleet.chosen_nodes(gc.inventory, args)
    if nodes is None:
        output.print_properties(gc.cache.prune())
        return 0
    prune = functools.partial(gc.fleet.run, nodes, lambda c: c.cache.prune())
    results, stopped = cli_fleet.fan_out(args, prune)
    rows = [(r, cli_fleet.prune_cells(r.value)) for r in results]
    columns = [formats.Column(title, show=_plain) for title in cli_fleet.PRUNE_COLUMNS]
    return _print_results(gc, args, rows, columns, stopped=stopped)


#: Errors that no other image would escape: stop at the first.
NODE_WIDE_ERRORS = (
    exc.VersionNotSupported,
    exc.CommunicationError,
    exc.EndpointNotFound,
    exc.AuthenticationError,
    exc.HTTPUnauthorized,
    exc.HTTPForbidden,
)


def _show_mapped(gc: v2_client.Client, args: argparse.Namespace) -> bool:
    """Whether tables show the mapped URL of each node (under --debug)."""
    return bool(getattr(args, "debug", False) and gc.fleet.url_map)


def _print_results(
    gc: v2_client.Client,
    args: argparse.Namespace,
    rows: collections.abc.Sequence[tuple[fleet.NodeResult, collections.abc.Sequence[ty.Any]]],
    columns: collections.abc.Sequence[formats.ColumnLike],
    *,
    stopped: bool = False,
) -> int:
    """Print a table of calls on several nodes, then, on a terminal, how
    the nodes fared (``38 ok, 1 failed, 1 skipped``) on stderr.

    :param rows: each call's result, with the command's own cells.
    :param columns: the titles (or declarations) of those cells.
    :param stopped: the run was interrupted.
    :returns: 130 if ``stopped``, else 1 if a call failed, else 0.
    """
    verbose = bool(getattr(args, "debug", False))
    _print_table(
        cli_fleet.results_table(rows, columns, mapped=_show_mapped(gc, args), verbose=verbose)
    )
    return cli_fleet.ended([r for r, _cells in rows], stopped=stopped)


def _print_table(table: cli_fleet.Table) -> None:
    output.print_list(table.rows, table.columns)


def _latency(latency_ms: ty.Any) -> str:
    """A probe's latency as ``glance`` shows it (``-`` without an answer)."""
    return "-" if latency_ms is None else "%.1f" % latency_ms


def _rounded(latency_ms: float | None) -> float | None:
    """A probe's latency as the data formats carry it: rounded to 0.1 ms."""
    return None if latency_ms is None else round(latency_ms, 1)


def _print_waited(
    gc: v2_client.Client,
    args: argparse.Namespace,
    queued: list[fleet.NodeResult],
    names: dict[str, ty.Any],
    *,
    here: str | None,
) -> int:
    """Wait until each image is cached on each node that took it; print
    each node and image's final state; 1 unless every one is cached.

    :param names: the images' names, by ID.
    :param here: the endpoint's URL when the images were queued there.
    """
    from glanceclient.v2 import cache_wait

    def list_cache(node: str | None) -> ty.Any:
        return gc.cache.list() if node == here else gc.fleet.node_client(node or "").cache.list()

    with cli_fleet.progress_line() as line:
        waited = cache_wait.wait_cached(
            list_cache,
            [(r.node, r.image or "") for r in queued if r.ok],
            timeout=args.wait_timeout,
            interval=WAIT_INTERVAL,
            max_parallel=args.max_parallel,
            progress=None if line is None else _waiting(line, names),
        )
    final = iter(waited)
    rows = []
    for r in queued:
        if not r.ok:
            rows.append((r, (r.image, names.get(r.image or ""), cache_wait.FAILED)))
            continue
        w = next(final)
        error = None if w.ok else w.error or exc.ClientException(w.describe())
        rows.append((r._replace(error=error), (r.image, names.get(w.image), w.state)))
    return _print_results(gc, args, rows, (*IMAGE_COLUMNS, "State"))


def _waiting(
    line: cli_fleet.ProgressLine, names: dict[str, ty.Any]
) -> collections.abc.Callable[[str, int, int, float], None]:
    """What ``cache-queue --wait`` shows on its progress line: the image
    (its name, else its ID), and how many of its nodes have cached it."""

    def show(image: str, cached: int, total: int, waited: float) -> None:
        line.draw(
            _("Waiting for %(image)s: %(cached)d/%(total)d nodes cached... %(s)ds")
            % {"image": names.get(image) or image, "cached": cached, "total": total, "s": waited}
        )

    return show


def _for_each_image(
    gc: v2_client.Client,
    images: collections.abc.Sequence[str],
    action: collections.abc.Callable[[str], None],
    verb: str,
) -> int:
    """Apply ``action`` to every image; report each failure; go on."""
    status = 0
    for image in images:
        try:
            action(cli_fleet.image_id(gc, image))
        except NODE_WIDE_ERRORS:
            raise  # The node would answer the same for every image.
        except exc.ClientException as e:
            messages.error(
                _("Unable to %(verb)s image %(image)s: %(error)s")
                % {"verb": verb, "image": image, "error": e}
            )
            status = 1
    return status
