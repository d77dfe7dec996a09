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


class NodeTimeout(exc.Timeout):
    """A call on a node was given up after its deadline.

    :ivar seconds: the deadline.
    """

    def __init__(self, message: str, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(message)


class Interrupted(exc.ClientException):
    """The call had not ended when the run was interrupted."""


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C (SIGINT) during a run on several nodes.

    :ivar results: what the run has: the outcomes (or results) of the
        calls that ended, :class:`Interrupted` errors for the others.
    """

    def __init__(self, results: list[ty.Any]) -> None:
        super().__init__()
        self.results = results


def run_bounded(
    func: collections.abc.Callable[[A], T],
    items: collections.abc.Sequence[A],
    *,
    max_parallel: int,
    timeout: float | None = None,
    label: collections.abc.Callable[[A], str] = str,
    budget: float | None = None,
    done_hook: collections.abc.Callable[[int], None] | None = None,
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
    :param done_hook: called with an item's index when its outcome is
        known (one call at a time).
    :returns: one :class:`Outcome` per item, in the items' order.
    :raises glanceclient.exc.InvalidArgument: ``max_parallel`` below 1 or
        ``timeout`` not positive.
    :raises RunInterrupted: on ``KeyboardInterrupt`` while waiting: its
        ``results`` are the outcomes, :class:`Interrupted` for the items
        that had not ended; no item starts afterwards.
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
                if done_hook is not None:
                    done_hook(index)
                continue
            running[index] = time.monotonic()
            threading.Thread(target=work, args=(index,), daemon=True).start()
            return

    def finish(index: int, outcome: Outcome) -> None:  # with ``done`` held
        del running[index]
        results[index] = outcome
        if done_hook is not None:
            done_hook(index)
        start_next()

    def work(index: int) -> None:
        try:
            outcome = Outcome(func(items[index]), None)
        except Exception as e:  # every error belongs in the item's row
            outcome = Outcome(None, e)
        with done:
            if index in running:  # else it was given up
                finish(index, outcome)
            done.notify_all()

    try:
        with done:
            for _slot in range(min(max_parallel, len(items))):
                start_next()
            while running:
                wait = None
                if timeout is not None:
                    now = time.monotonic()
                    for index, began in list(running.items()):
                        if now - began >= timeout:
                            message = _("No answer from %(node)s within %(seconds)g s.") % {
                                "node": label(items[index]),
                                "seconds": timeout,
                            }
                            finish(index, Outcome(None, NodeTimeout(message, timeout)))
                    if running:
                        wait = max(0.0, min(running.values()) + timeout - now)
                if running:
                    done.wait(wait)
    except KeyboardInterrupt:
        with done:
            pending = iter(())  # nothing starts any more
            running.clear()  # and what ends is not recorded
            stopped = Outcome(None, Interrupted(_("interrupted")))
            raise RunInterrupted([r or stopped for r in results]) from None
    return [r for r in results if r is not None]


def run_grouped(
    func: collections.abc.Callable[[A], T],
    items: collections.abc.Sequence[A],
    *,
    group: collections.abc.Callable[[A], str],
    skip: collections.abc.Callable[[A], Outcome | None] = lambda item: None,
    progress: collections.abc.Callable[[int, int], None] | None = None,
    max_parallel: int,
    timeout: float | None = None,
) -> list[Outcome]:
    """:func:`run_bounded`, telling ``progress`` how many groups of items
    (the calls on one node) are done, and calling nothing for the items
    ``skip`` gives an outcome to.

    :param group: names an item's group (and the item, in timeout errors).
    :param skip: an item's outcome when it is not to be called, else None.
    :param progress: called with the groups done and all the groups, each
        time a group is done.
    :returns: one :class:`Outcome` per item, in the items' order.
    :raises RunInterrupted: as :func:`run_bounded`, its ``results`` one
        outcome per item.
    """
    given = {i: found for i, item in enumerate(items) if (found := skip(item)) is not None}
    todo = [i for i in range(len(items)) if i not in given]
    left = collections.Counter(group(item) for item in items)  # items left, by group
    groups_done = 0

    def done(index: int) -> None:
        nonlocal groups_done
        name = group(items[index])
        left[name] -= 1
        if not left[name]:
            groups_done += 1
            if progress is not None:
                progress(groups_done, len(left))

    for index in given:
        done(index)
    try:
        outcomes = run_bounded(
            func,
            [items[i] for i in todo],
            max_parallel=max_parallel,
            timeout=timeout,
            label=group,
            done_hook=lambda k: done(todo[k]),
        )
    except RunInterrupted as e:
        raise RunInterrupted(_in_order(given, todo, e.results)) from None
    return _in_order(given, todo, outcomes)


def _in_order(given: dict[int, Outcome], todo: list[int], outcomes: list[Outcome]) -> list[Outcome]:
    found = {**given, **dict(zip(todo, outcomes, strict=True))}
    return [found[i] for i in range(len(found))]
