"""Waiting until queued images are cached, node by node.

Glance caches a queued image in the background, one at a time, on the node
that took the order. Each node's own ``GET /v2/cache`` tells how far it
got: the image is cached, still queued, or neither (dropped from the queue:
cleared, or the node gave up on it). :func:`wait_cached` polls the nodes
that still have work until each image is cached, dropped or out of time.
"""

from __future__ import annotations

import collections.abc
import time
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.v2 import fleet

#: The final states of a node and image.
CACHED = "cached"
QUEUED = "queued"
DROPPED = "dropped"
FAILED = "failed"

#: How many polls in a row must find an image neither queued nor cached
#: before it counts as dropped: a node removes the queue entry a moment
#: before it records the cached copy.
DROPPED_AFTER = 2


class Waited(ty.NamedTuple):
    """How the wait for one image on one node ended.

    :ivar node: the node's reference URL (None: the client's endpoint).
    :ivar image: the image ID.
    :ivar state: ``cached``, ``queued`` (still, when the time ran out),
        ``dropped`` (neither queued nor cached) or ``failed``.
    :ivar waited: seconds waited until that state was known (the whole
        timeout for ``queued``).
    :ivar error: the failure (of the node's listing), None otherwise.
    """

    node: str | None
    image: str
    state: str
    waited: float
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        """True when the image is cached."""
        return self.state == CACHED

    def describe(self) -> str:
        """The state in a few words: ``cached``, ``not cached after 30 s``,
        ``dropped from the queue``, or the error."""
        if self.state == CACHED:
            return _("cached")
        if self.state == DROPPED:
            return _("dropped from the queue")
        if self.state == QUEUED:
            return _("not cached after %(s)g s") % {"s": self.waited}
        return exc.one_line(self.error) if self.error else _("failed")


def _state(listing: collections.abc.Mapping[str, ty.Any], image: str) -> str | None:
    if any(i.get("image_id") == image for i in listing["cached_images"]):
        return CACHED
    if image in listing["queued_images"]:
        return QUEUED
    return None


Progress = collections.abc.Callable[[str, int, int, float], None]


def wait_cached(
    list_cache: collections.abc.Callable[[str | None], collections.abc.Mapping[str, ty.Any]],
    pairs: collections.abc.Sequence[tuple[str | None, str]],
    *,
    timeout: float,
    interval: float = 1.0,
    max_parallel: int = fleet.MAX_PARALLEL,
    node_timeout: float | None = None,
    progress: Progress | None = None,
) -> list[Waited]:
    """Poll each node's cache until each image is cached, dropped or late.

    :param list_cache: a node's ``GET /v2/cache`` (None: the endpoint's),
        e.g. ``lambda n: fleet.node_client(n).cache.list()``.
    :param pairs: the (node, image) pairs whose queueing worked.
    :param timeout: seconds to wait in all.
    :param interval: seconds between two polls of a node.
    :param max_parallel: the most nodes polled at once.
    :param node_timeout: seconds one poll of a node may take (never more
        than the time left of ``timeout``).
    :param progress: called after each round with an image, how many of
        its nodes have it cached, how many nodes it was queued on, and the
        seconds waited.
    :returns: one :class:`Waited` per pair, in the given order.
    """
    began = time.monotonic()
    done: dict[tuple[str | None, str], Waited] = {}
    missing: collections.Counter[tuple[str | None, str]] = collections.Counter()
    while True:
        pending = [p for p in pairs if p not in done]
        nodes = list(dict.fromkeys(node for node, _image in pending))
        # No poll outlives the wait: each round gets at most the time left.
        left = max(0.001, timeout - (time.monotonic() - began))
        outcomes = fleet.run_bounded(
            list_cache,
            nodes,
            max_parallel=max_parallel,
            timeout=left if node_timeout is None else min(node_timeout, left),
            label=lambda n: n or _("the endpoint"),
        )
        waited = time.monotonic() - began
        by_node = dict(zip(nodes, outcomes, strict=True))
        for node, image in pending:
            outcome = by_node[node]
            if isinstance(outcome.error, exc.Timeout) and waited >= timeout:
                continue  # no answer before the wait ended: still queued
            if outcome.error is not None:
                done[node, image] = Waited(node, image, FAILED, waited, outcome.error)
                continue
            state = _state(outcome.value, image)
            missing[node, image] = 0 if state else missing[node, image] + 1
            if state == CACHED:
                done[node, image] = Waited(node, image, CACHED, waited)
            elif missing[node, image] >= DROPPED_AFTER:
                done[node, image] = Waited(node, image, DROPPED, waited)
        if progress is not None:
            for image in dict.fromkeys(image for _node, image in pairs):
                mine = [p for p in pairs if p[1] == image]
                cached = sum(1 for p in mine if p in done and done[p].ok)
                progress(image, cached, len(mine), waited)
        if len(done) == len(pairs) or waited >= timeout:
            break
        time.sleep(max(0.0, min(interval, timeout - waited)))
    return [done.get(p) or Waited(p[0], p[1], QUEUED, timeout) for p in pairs]
