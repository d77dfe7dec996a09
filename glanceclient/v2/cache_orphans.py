"""Orphans: cache entries whose image no longer exists, as plain data.

Deleting an image evicts it only from the cache of the node that took the
``DELETE``; the other nodes keep the file (and their queue entries), and
nothing in a node's listing marks it. An orphan is found by listing each
node's cache and asking the endpoint for every image met: a 404 means the
image is gone. A lookup that fails otherwise (403, 5xx, no answer) leaves
the question open, and nothing is reported or evicted.

:class:`CacheOrphans` (``client.cache_orphans``) finds them and evicts
exactly those.
"""

from __future__ import annotations

import collections.abc
import typing as ty

from glanceclient import exc
from glanceclient.v2 import cache_report
from glanceclient.v2 import fleet
from glanceclient.v2 import inventory as inventory_mod

if ty.TYPE_CHECKING:
    from glanceclient.v2 import images as images_mod

#: Why an entry is an orphan.
REASON_CACHED = "image not found (cached)"
REASON_QUEUED = "image not found (queued)"
#: The keys of a row, in the order tables show them.
KEYS = ("node", "status", "error", "image_id", "size", "reason", "evicted")


def _row(node: str, **values: ty.Any) -> dict[str, ty.Any]:
    row: dict[str, ty.Any] = dict.fromkeys(KEYS)
    row.update({"node": node, "status": cache_report.OK, **values})
    return row


def find(
    results: collections.abc.Iterable[fleet.NodeResult],
    exists: collections.abc.Mapping[str, bool],
) -> list[dict[str, ty.Any]]:
    """The orphans in the nodes' listings.

    :param results: each node's ``GET /v2/cache``.
    :param exists: for every image ID met, whether the image exists.
    :returns: node by node, one row per orphan: ``node``, ``status``
        ``ok``, ``image_id``, ``size`` (None for a queued entry),
        ``reason``, ``evicted`` None (not asked); and one row for each node
        whose listing failed, was skipped or interrupted: its ``status``
        (``failed``, ``skipped``, ``interrupted``), ``error`` (one line),
        the rest None.
    :raises KeyError: an image ID missing from ``exists``.
    """
    rows: list[dict[str, ty.Any]] = []
    for result in results:
        if result.error is not None:
            rows.append(_row(result.node, status=result.status, error=exc.one_line(result.error)))
            continue
        for entry in result.value["cached_images"]:
            image_id = str(entry["image_id"])
            if not exists[image_id]:
                size = entry.get("size")
                rows.append(
                    _row(
                        result.node,
                        image_id=image_id,
                        size=size if isinstance(size, int) else None,
                        reason=REASON_CACHED,
                    )
                )
        cached = {str(i["image_id"]) for i in result.value["cached_images"]}
        for queued in result.value["queued_images"]:
            image_id = str(queued)
            if image_id not in cached and not exists[image_id]:
                rows.append(_row(result.node, image_id=image_id, reason=REASON_QUEUED))
    return rows


class CacheOrphans:
    """Finding and evicting orphans, from the SDK.

    Built by :class:`glanceclient.v2.client.Client` as ``cache_orphans``.

    :param nodes: the client's fleet (reaches each node).
    :param images: the client's images controller (which images exist).
    :param inventory: the deployment's nodes (the default nodes).
    """

    def __init__(
        self,
        nodes: fleet.Fleet,
        images: images_mod.Controller,
        inventory: inventory_mod.Inventory,
    ) -> None:
        self._fleet = nodes
        self._report = cache_report.CacheReport(nodes, images, inventory)
        self._images = images

    def find(
        self,
        nodes: collections.abc.Sequence[str] | None = None,
        *,
        max_parallel: int = fleet.MAX_PARALLEL,
        timeout: float | None = None,
        skip_unreachable: bool = False,
        probe_timeout: float = fleet.PROBE_TIMEOUT,
    ) -> list[dict[str, ty.Any]]:
        """List each node's cache and queue, and the entries whose image is
        gone (see :func:`find`).

        :param nodes: reference URLs; None for every inventory node.
        :param max_parallel: the most nodes asked at once.
        :param timeout: seconds each node (and each lookup) may take.
        :param skip_unreachable: probe the nodes first and ask only those
            that answer (a ``skipped`` row for each of the others).
        :param probe_timeout: seconds each of those probes may take.
        :raises glanceclient.v2.inventory.InventoryError: no nodes given
            and no inventory.
        :raises glanceclient.exc.ClientException: an image lookup failed
            otherwise than with 404 (nothing is reported then).
        """
        results = self._report.listings(
            nodes,
            max_parallel=max_parallel,
            timeout=timeout,
            skip_unreachable=skip_unreachable,
            probe_timeout=probe_timeout,
        )
        return self.find_in(results, timeout=timeout)

    def find_in(
        self,
        results: collections.abc.Sequence[fleet.NodeResult],
        *,
        timeout: float | None = None,
    ) -> list[dict[str, ty.Any]]:
        """The orphans in listings already made (see
        :meth:`glanceclient.v2.cache_report.CacheReport.listings`).

        :param timeout: seconds each image lookup may take.
        :raises glanceclient.exc.ClientException: an image lookup failed
            otherwise than with 404.
        """
        found = cache_report.lookup(
            self._images, cache_report.image_ids(results, queued=True), timeout=timeout
        )
        return find(results, {i: image is not None for i, image in found.items()})

    def evict(
        self,
        rows: collections.abc.Iterable[collections.abc.Mapping[str, ty.Any]],
        *,
        max_parallel: int = fleet.MAX_PARALLEL,
        timeout: float | None = None,
    ) -> list[dict[str, ty.Any]]:
        """Delete the orphans of :meth:`find` from their nodes' caches and
        queues (``DELETE /v2/cache/{image_id}`` on each node).

        :param rows: what :meth:`find` returned; rows of failed nodes are
            kept as they are.
        :param max_parallel: the most deletions at once.
        :param timeout: seconds each deletion may take.
        :returns: the rows, each orphan's with ``evicted`` True, or
            ``evicted`` False, ``status`` ``failed`` and the ``error``.
        """
        copied = [dict(r) for r in rows]
        targets = [r for r in copied if r["image_id"] and r["status"] == cache_report.OK]
        outcomes = self.evict_results(targets, max_parallel=max_parallel, timeout=timeout)
        for row, outcome in zip(targets, outcomes, strict=True):
            row["evicted"] = outcome.ok
            if outcome.error is not None:
                row.update(status=cache_report.FAILED, error=exc.one_line(outcome.error))
        return copied

    def evict_results(
        self,
        rows: collections.abc.Iterable[collections.abc.Mapping[str, ty.Any]],
        *,
        max_parallel: int = fleet.MAX_PARALLEL,
        timeout: float | None = None,
        progress: collections.abc.Callable[[int, int], None] | None = None,
    ) -> list[fleet.NodeResult]:
        """Evict the orphans of :meth:`find`'s rows (the ``ok`` ones that
        name an image: never on a node that failed, was skipped or
        interrupted); one result per eviction, in the rows' order.

        :param progress: called with the evictions done and all the
            evictions, each time one is done.
        :raises glanceclient.v2.fleet.RunInterrupted: Ctrl-C; its
            ``results`` are one per eviction, ``interrupted`` for those
            that had not ended (none starts afterwards).
        """
        targets = [
            (str(r["node"]), str(r["image_id"]))
            for r in rows
            if r["image_id"] and r["status"] == cache_report.OK
        ]
        done = 0

        def count(_index: int) -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, len(targets))

        try:
            outcomes = fleet.run_bounded(
                lambda t: self._fleet.node_client(t[0]).cache.delete(t[1]),
                targets,
                max_parallel=max_parallel,
                timeout=timeout,
                label=lambda t: t[0],
                done_hook=count,
            )
        except fleet.RunInterrupted as e:
            raise fleet.RunInterrupted(self._fleet.results(targets, e.results)) from None
        return self._fleet.results(targets, outcomes)
