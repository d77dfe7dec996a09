"""What the fleet tells about nodes: a node's probed state, the outcome of
a call on a node, and the error of a node that was not asked
(:mod:`glanceclient.v2.fleet` gives them, under the same names)."""

from __future__ import annotations

import collections.abc
import typing as ty

from glanceclient import exc
from glanceclient import vocabulary
from glanceclient._i18n import _
from glanceclient.common import bounded

#: How a call on a node ended (:attr:`NodeResult.status`).
OK = "ok"
FAILED = "failed"
SKIPPED = "skipped"
INTERRUPTED = "interrupted"


class Skipped(exc.ClientException):
    """The node was not asked (it did not answer its probe)."""


class NodeStatus(ty.NamedTuple):
    """The state of one node, as :meth:`glanceclient.v2.fleet.Fleet.probe` found it.

    :ivar url: the node's reference URL (as the nodes list names it).
    :ivar endpoint: the URL the probe was sent to (after the URL map).
    :ivar status: ``ok``, ``disabled`` (its healthcheck answers 503),
        ``unreachable`` (refused, timed out, name not resolved) or
        ``error`` (anything else).
    :ivar latency_ms: the probe's round trip in milliseconds, None when no
        answer came.
    :ivar error: what went wrong, None when the node answered 200 or 503.
    """

    url: str
    endpoint: str
    status: str
    latency_ms: float | None
    error: str | None = None


class NodeResult(ty.NamedTuple):
    """The outcome of one call on one node (and image).

    :ivar node: the node's reference URL.
    :ivar endpoint: the URL the call was sent to (after the URL map).
    :ivar image: the image ID the call was about, if any.
    :ivar value: what the call returned (None on failure).
    :ivar error: the error, None on success.
    """

    node: str
    endpoint: str
    image: str | None
    value: ty.Any
    error: Exception | None

    @property
    def ok(self) -> bool:
        """True when the call succeeded."""
        return self.error is None

    @property
    def status(self) -> str:
        """:data:`OK`, :data:`FAILED`, :data:`SKIPPED` (the node was not
        asked: :class:`Skipped`) or :data:`INTERRUPTED` (Ctrl-C came first:
        :class:`~glanceclient.common.bounded.Interrupted`)."""
        if self.error is None:
            return OK
        if isinstance(self.error, Skipped):
            return SKIPPED
        if isinstance(self.error, bounded.Interrupted):
            return INTERRUPTED
        return FAILED


def summary(states: collections.abc.Sequence[NodeStatus], shown: int = 3) -> str:
    """Node states in a few words: the first ``shown`` with their status
    (the error of a node in error), then how many more, for a line that
    stays short however long the nodes list.

    :param states: probed nodes.
    :param shown: how many to name.
    """
    parts = [
        "%s: %s"
        % (
            exc.redact_url(s.url),
            s.error if s.status == vocabulary.NODE_ERROR and s.error else s.status,
        )
        for s in states[:shown]
    ]
    if len(states) > shown:
        parts.append(_("and %(n)d more") % {"n": len(states) - shown})
    return ", ".join(parts)
