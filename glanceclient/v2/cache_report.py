"""The cache report: what the caches of many nodes hold, as plain data.

Glance has no route that describes another node's cache: each node's
``GET /v2/cache`` is asked (see :meth:`glanceclient.v2.fleet.Fleet.run`), and
the answers are summed up here, per node (:func:`by_node`, :func:`totals`)
or per image (:func:`by_image`). Every row is a dict of numbers, strings,
lists and None, ready for ``json.dumps``.

:class:`CacheReport` (``client.cache_report``) runs the listings and the
summing in one call.
"""

from __future__ import annotations

import collections.abc
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.v2 import fleet
from glanceclient.v2 import inventory as inventory_mod
from glanceclient.v2 import nodes as nodes_mod

if ty.TYPE_CHECKING:
    from glanceclient.v2 import images as images_mod

#: Node states in the rows: the node answered, failed, was not asked
#: (``skip_unreachable``), or Ctrl-C came first.
OK = nodes_mod.OK
FAILED = nodes_mod.FAILED
SKIPPED = nodes_mod.SKIPPED
INTERRUPTED = nodes_mod.INTERRUPTED
#: The order in which the totals count the nodes' states.
STATES = (OK, FAILED, SKIPPED, INTERRUPTED)
#: The ``node`` of the totals row.
TOTAL = "total"

#: The keys of a row of :func:`by_node`, in the order tables show them.
NODE_KEYS = (
    "node",
    "status",
    "error",
    "images",
    "bytes",
    "hits",
    "queued",
    "last_accessed",
    "cache_max_size",
    "fill",
)
#: The keys of a row of :func:`by_image`.
IMAGE_KEYS = ("image_id", "name", "size", "nodes", "cached_on", "hits")


def _number(value: object) -> int:
    """A count or size from a node's answer; anything else counts as 0."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _epoch(value: object) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _fill(used: int, limit: int | None) -> float | None:
    return None if not limit else round(used * 100.0 / limit, 1)


def node_row(result: fleet.NodeResult, cache_max_size: int | None = None) -> dict[str, ty.Any]:
    """One node's line of the report.

    :param result: the node's ``GET /v2/cache`` (its ``value`` is what
        :meth:`glanceclient.v2.cache.Controller.list` returns).
    :param cache_max_size: the node's cache limit in bytes, if known.
    :returns: ``node``, ``status`` (``ok``, ``failed``, ``skipped``: not
        asked, ``interrupted``), ``error`` (one line, None when ok),
        ``images`` (cached), ``bytes``, ``hits``, ``queued``,
        ``last_accessed`` (the newest, UNIX epoch seconds),
        ``cache_max_size`` and ``fill`` (percent of it); the figures are
        None unless the node answered, ``fill`` also when the limit is not
        known.
    """
    row: dict[str, ty.Any] = dict.fromkeys(NODE_KEYS)
    row.update(node=result.node, cache_max_size=cache_max_size)
    if result.error is not None:
        row.update(status=result.status, error=exc.one_line(result.error))
        return row
    cached = result.value["cached_images"]
    accessed = [a for a in (_epoch(i.get("last_accessed")) for i in cached) if a is not None]
    used = sum(_number(i.get("size")) for i in cached)
    row.update(
        status=OK,
        images=len(cached),
        bytes=used,
        hits=sum(_number(i.get("hits")) for i in cached),
        queued=len(result.value["queued_images"]),
        last_accessed=max(accessed, default=None),
        fill=_fill(used, cache_max_size),
    )
    return row


def by_node(
    results: collections.abc.Iterable[fleet.NodeResult],
    inventory: inventory_mod.Inventory | None = None,
) -> list[dict[str, ty.Any]]:
    """The report's lines, one per node, in the given order.

    :param results: each node's listing (a failed one gives a ``failed``
        line).
    :param inventory: gives each node's ``cache_max_size``.
    :returns: one :func:`node_row` per result.
    """
    limits = inventory or inventory_mod.Inventory()
    return [node_row(r, limits.cache_max_size(r.node)) for r in results]


def totals(
    rows: collections.abc.Sequence[collections.abc.Mapping[str, ty.Any]],
) -> dict[str, ty.Any]:
    """The totals line of :func:`by_node`'s lines.

    :returns: ``node`` ``"total"``; ``status`` counting the nodes by
        state, in the order of :data:`STATES` (``"2 ok, 1 failed, 1
        skipped"``); the sums of ``images``, ``bytes``, ``hits``,
        ``queued`` and ``cache_max_size`` over the nodes that answered
        (a skipped, failed or interrupted node adds nothing: what its cache
        holds is not known); the newest ``last_accessed``; ``fill`` of the
        nodes that answered and whose limit is known (None when none is).
    """
    answered = [r for r in rows if r["status"] == OK]
    counted = collections.Counter(r["status"] for r in rows)
    limited = [r for r in answered if r["cache_max_size"]]
    limit = sum(r["cache_max_size"] for r in limited) or None
    accessed = [r["last_accessed"] for r in answered if r["last_accessed"] is not None]
    order = [*STATES, *sorted(s for s in counted if s not in STATES)]
    return {
        "node": TOTAL,
        "status": ", ".join("%d %s" % (counted[s], s) for s in order if counted[s])
        or _("no nodes"),
        "error": None,
        **{k: sum(r[k] for r in answered) for k in ("images", "bytes", "hits", "queued")},
        "last_accessed": max(accessed, default=None),
        "cache_max_size": limit,
        "fill": _fill(sum(r["bytes"] for r in limited), limit),
    }


def by_image(
    results: collections.abc.Iterable[fleet.NodeResult],
    names: collections.abc.Mapping[str, str | None] | None = None,
) -> list[dict[str, ty.Any]]:
    """The report per image: which nodes cache each image.

    Queued entries and failed nodes are left out: only what sits in a
    cache counts.

    :param results: each node's listing.
    :param names: image names by ID (None for an image that no longer
        exists, see :func:`lookup`).
    :returns: one row per cached image: ``image_id``, ``name``, ``size``
        (the largest a node gives), ``nodes`` (how many cache it),
        ``cached_on`` (their URLs, in the given order) and ``hits`` (the
        sum); the most widely cached first, then by ID.
    """
    found: dict[str, dict[str, ty.Any]] = {}
    for result in results:
        if result.error is not None:
            continue
        for entry in result.value["cached_images"]:
            image_id = str(entry["image_id"])
            row = found.setdefault(
                image_id,
                {
                    "image_id": image_id,
                    "name": (names or {}).get(image_id),
                    "size": None,
                    "nodes": 0,
                    "cached_on": [],
                    "hits": 0,
                },
            )
            size = entry.get("size")
            if isinstance(size, int) and (row["size"] is None or size > row["size"]):
                row["size"] = size
            if result.node not in row["cached_on"]:
                row["nodes"] += 1
                row["cached_on"].append(result.node)
            row["hits"] += _number(entry.get("hits"))
    return sorted(found.values(), key=lambda r: (-r["nodes"], r["image_id"]))


def image_ids(results: collections.abc.Iterable[fleet.NodeResult], *, queued: bool) -> list[str]:
    """The IDs the nodes that answered hold in their caches (and queues).

    :param queued: count queued entries too.
    :returns: each ID once, in the order first met.
    """
    ids: dict[str, None] = {}
    for result in results:
        if result.error is None:
            ids.update(dict.fromkeys(str(i["image_id"]) for i in result.value["cached_images"]))
            if queued:
                ids.update(dict.fromkeys(str(i) for i in result.value["queued_images"]))
    return list(ids)


def lookup(
    images: images_mod.Controller,
    ids: collections.abc.Sequence[str],
    *,
    max_parallel: int = fleet.PROBE_PARALLEL,
    timeout: float | None = None,
) -> dict[str, ty.Any]:
    """Look images up, concurrently: which exist, and their records.

    :param images: the images controller (of the endpoint, not a node).
    :param ids: image IDs.
    :param max_parallel: the most lookups at once.
    :param timeout: seconds each lookup may take.
    :returns: each ID's image, or None when the server answers 404 (the
        image no longer exists).
    :raises glanceclient.exc.ClientException: the first lookup that
        failed otherwise (403, 5xx, no answer): whether those images exist
        is not known.
    """

    def get(image_id: str) -> ty.Any:
        try:
            return images.get(image_id)
        except exc.HTTPNotFound:
            return None

    outcomes = fleet.run_bounded(
        get, ids, max_parallel=max_parallel, timeout=timeout, label=lambda i: "image " + i
    )
    for outcome in outcomes:
        if outcome.error is not None:
            raise outcome.error
    return {i: o.value for i, o in zip(ids, outcomes, strict=True)}


class CacheReport:
    """The cache report of many nodes, from the SDK.

    Built by :class:`glanceclient.v2.client.Client` as ``cache_report``.

    :param nodes: the client's fleet (reaches each node).
    :param images: the client's images controller (names, existence).
    :param inventory: the deployment's nodes (the default nodes, and their
        cache limits).
    """

    def __init__(
        self,
        nodes: fleet.Fleet,
        images: images_mod.Controller,
        inventory: inventory_mod.Inventory,
    ) -> None:
        self._fleet = nodes
        self._images = images
        self.inventory = inventory

    def listings(
        self,
        nodes: collections.abc.Sequence[str] | None = None,
        *,
        max_parallel: int = fleet.MAX_PARALLEL,
        timeout: float | None = None,
        skip_unreachable: bool = False,
        probe_timeout: float = fleet.PROBE_TIMEOUT,
        progress: collections.abc.Callable[[int, int], None] | None = None,
    ) -> list[fleet.NodeResult]:
        """Ask each node for its cache listing, concurrently.

        :param nodes: reference URLs; None for every inventory node.
        :param max_parallel: the most nodes asked at once.
        :param timeout: seconds each node may take.
        :param skip_unreachable: probe the nodes first and ask only those
            that answer (the others' results are ``skipped``).
        :param probe_timeout: seconds each of those probes may take.
        :param progress: called with the nodes done and all the nodes.
        :raises glanceclient.v2.inventory.InventoryError: no nodes given
            and no inventory.
        :raises glanceclient.v2.fleet.RunInterrupted: Ctrl-C; its
            ``results`` are the listings, ``interrupted`` for the nodes
            that had not answered.
        """
        if nodes is None:
            nodes = self.inventory.require(_("A report of every node"))
        return self._fleet.run(
            nodes,
            lambda c: c.cache.list(),
            max_parallel=max_parallel,
            timeout=timeout,
            skip_unreachable=skip_unreachable,
            probe_timeout=probe_timeout,
            progress=progress,
        )

    def by_node(
        self,
        nodes: collections.abc.Sequence[str] | None = None,
        *,
        max_parallel: int = fleet.MAX_PARALLEL,
        timeout: float | None = None,
        skip_unreachable: bool = False,
        probe_timeout: float = fleet.PROBE_TIMEOUT,
    ) -> list[dict[str, ty.Any]]:
        """One row per node (see :func:`node_row`); :func:`totals` sums them.

        :param nodes: reference URLs; None for every inventory node.
        :param max_parallel: the most nodes asked at once.
        :param timeout: seconds each node may take.
        :param skip_unreachable: as for :meth:`listings`.
        :param probe_timeout: as for :meth:`listings`.
        """
        results = self.listings(
            nodes,
            max_parallel=max_parallel,
            timeout=timeout,
            skip_unreachable=skip_unreachable,
            probe_timeout=probe_timeout,
        )
        return by_node(results, self.inventory)

    def by_image(
        self,
        nodes: collections.abc.Sequence[str] | None = None,
        *,
        max_parallel: int = fleet.MAX_PARALLEL,
        timeout: float | None = None,
        skip_unreachable: bool = False,
        probe_timeout: float = fleet.PROBE_TIMEOUT,
    ) -> list[dict[str, ty.Any]]:
        """One row per cached image, with its name (see :func:`by_image`);
        the parameters are :meth:`by_node`'s.

        :raises glanceclient.exc.ClientException: an image lookup failed
            otherwise than with 404.
        """
        results = self.listings(
            nodes,
            max_parallel=max_parallel,
            timeout=timeout,
            skip_unreachable=skip_unreachable,
            probe_timeout=probe_timeout,
        )
        found = lookup(self._images, image_ids(results, queued=False), timeout=timeout)
        names = {i: getattr(image, "name", None) for i, image in found.items() if image}
        return by_image(results, names)
