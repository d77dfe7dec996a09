"""Running one call on many items, at most N at a time, each within a
deadline, without one item ever hiding another's outcome."""

from __future__ import annotations

import collections.abc
import threading
import time
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _

A = ty.TypeVar("A")
T = ty.TypeVar("T")


class Outcome(ty.NamedTuple):
    """What one call of :func:`run_bounded` gave: a value or an error."""

    value: ty.Any
    error: Exception | None


def run_bounded(
    func: collections.abc.Callable[[A], T],
    items: collections.abc.Sequence[A],
    *,
    max_parallel: int,
    timeout: float | None = None,
    label: collections.abc.Callable[[A], str] = str,
    budget: float | None = None,
) -> list[Outcome]:
    """Run ``func`` on every item, at most ``max_parallel`` at a time.

    Each item gets a thread of its own when a slot is free. An item still
    running ``timeout`` seconds after it started is given up: it counts as
    a :class:`~glanceclient.exc.Timeout`, its slot goes to the next item,
    and its (daemon) thread is left to end on its own. So the whole run
    costs at most about ``ceil(len(items) / max_parallel) * timeout``.

    :param func: the call; its exceptions are caught and returned.
    :param items: what to call it on.
    :param max_parallel: the most calls running at once (1 or more).
    :param timeout: seconds each call may take; None for no limit.
    :param label: names an item in the timeout error.
    :param budget: seconds after which no call is started any more (the
        rest count as a :class:`~glanceclient.exc.Timeout`): the whole run
        then costs at most about ``budget + timeout``.
    :returns: one :class:`Outcome` per item, in the items' order.
    :raises glanceclient.exc.InvalidArgument: ``max_parallel`` below 1 or
        ``timeout`` not positive.
    """
    if max_parallel < 1:
        raise exc.InvalidArgument(
            _("The number of parallel calls must be 1 or more, not %(n)s.") % {"n": max_parallel}
        )
    if timeout is not None and not timeout > 0:
        raise exc.InvalidArgument(
            _("A timeout must be a positive number of seconds, not %(t)s.") % {"t": timeout}
        )
    results: list[Outcome | None] = [None] * len(items)
    running: dict[int, float] = {}  # index -> when it started
    done = threading.Condition()
    pending = iter(range(len(items)))
    first = time.monotonic()

    def start_next() -> None:  # with ``done`` held
        for index in pending:
            if budget is not None and time.monotonic() - first >= budget:
                results[index] = Outcome(
                    None,
                    exc.Timeout(
                        _("%(node)s was not tried: the run's budget of %(seconds)g s was spent.")
                        % {"node": label(items[index]), "seconds": budget}
                    ),
                )
                continue
            running[index] = time.monotonic()
            threading.Thread(target=work, args=(index,), daemon=True).start()
            return

    def work(index: int) -> None:
        try:
            outcome = Outcome(func(items[index]), None)
        except Exception as e:  # every error belongs in the item's row
            outcome = Outcome(None, e)
        with done:
            if index in running:  # else it was given up
                del running[index]
                results[index] = outcome
                start_next()
            done.notify_all()

    with done:
        for _slot in range(min(max_parallel, len(items))):
            start_next()
        while running:
            wait = None
            if timeout is not None:
                now = time.monotonic()
                for index, began in list(running.items()):
                    if now - began >= timeout:
                        del running[index]
                        results[index] = Outcome(
                            None,
                            exc.Timeout(
                                _("No answer from %(node)s within %(seconds)g s.")
                                % {"node": label(items[index]), "seconds": timeout}
                            ),
                        )
                        start_next()
                if running:
                    wait = max(0.0, min(running.values()) + timeout - now)
            if running:
                done.wait(wait)
    return [r for r in results if r is not None]
