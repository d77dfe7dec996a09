"""Stopping ``glance`` on Ctrl-C (SIGINT), SIGTERM and SIGHUP, wherever the
signal finds the command.

Python runs a signal's handler in the main thread, between two bytecodes.
Two cases escape that, and would leave the command running (a read on a
pipe waits forever):

- a signal that comes after the last check before a blocking system call
  (a read on a pipe, a send on a socket) waits for that call to return;
- a handler that runs inside a finalizer (a ``__del__`` the garbage
  collector calls) raises there, where Python reports the exception and
  drops it.

So the handlers note that they ran, and a watcher thread hears every
signal through :func:`signal.set_wakeup_fd`: when the handler has not run
a moment later, it sends the signal again to the main thread, which
interrupts the system call and runs the handler. A handler's exception
lost in a finalizer puts the signal back for the watcher.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import typing as ty

#: The signals that stop ``glance`` as Ctrl-C does.
STOP_SIGNALS = ("SIGTERM", "SIGHUP")
#: Seconds the watcher lets the handler run on its own before it sends the
#: signal again.
GRACE = 0.1


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised wherever the command is, so that what it
    was doing is cleaned up as after Ctrl-C (a download's temporary file
    removed, an upload's connection closed).

    :param signum: the signal's number.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class Interrupts:
    """While active (``with Interrupts():``; in the main thread only), the first
    of SIGINT, SIGTERM and SIGHUP raises :class:`KeyboardInterrupt` (SIGINT)
    or :class:`Stopped`; the ones after are ignored, so that the clean-up
    runs to its end. Signals whose handler someone else set are left
    alone."""

    def __init__(self) -> None:
        self._replaced: dict[int, ty.Any] = {}
        self._fired = False  # a handler ran (and raised)
        self._closed = False
        self._lock = threading.Lock()
        self._main = threading.main_thread().ident or 0
        self._pipe: tuple[int, int] | None = None
        self._wakeup = -1
        self._report = sys.unraisablehook

    def __enter__(self) -> Interrupts:
        if not _in_main_thread():  # the only one that may set handlers
            return self
        numbers = [getattr(signal, name, None) for name in STOP_SIGNALS]
        for number in numbers:
            if number is not None and signal.getsignal(number) == signal.SIG_DFL:
                self._replaced[number] = signal.signal(number, self._stop)
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            self._replaced[signal.SIGINT] = signal.signal(signal.SIGINT, self._stop)
        if self._replaced and hasattr(signal, "pthread_kill"):
            read, write = os.pipe()
            os.set_blocking(write, False)
            self._pipe = (read, write)
            self._wakeup = signal.set_wakeup_fd(write, warn_on_full_buffer=False)
            threading.Thread(target=self._watch, args=(read,), daemon=True).start()
            sys.unraisablehook = self._raise_lost
        return self

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            self._closed = True  # no signal is sent again from now on
        for number, handler in self._replaced.items():
            signal.signal(number, handler)
        if self._pipe is not None:
            signal.set_wakeup_fd(self._wakeup)
            sys.unraisablehook = self._report
            os.close(self._pipe[1])  # the watcher reads the end, and ends

    def _stop(self, signum: int, frame: ty.Any) -> None:
        with self._lock:
            self._fired = True
        for number in self._replaced:
            signal.signal(number, signal.SIG_IGN)
        raise KeyboardInterrupt if signum == signal.SIGINT else Stopped(signum)

    def _watch(self, read: int) -> None:
        try:
            while True:
                data = os.read(read, 64)
                if not data:
                    return
                heard = {n for n in data if n in self._replaced}
                while heard:
                    time.sleep(GRACE)
                    with self._lock:
                        if self._fired or self._closed:
                            break
                        for signum in heard:
                            signal.pthread_kill(self._main, signum)
        except OSError:  # the pipe closed under it: the command ended
            pass
        finally:
            os.close(read)

    def _raise_lost(self, unraisable: ty.Any) -> None:
        lost = unraisable.exc_value
        signum = getattr(lost, "signum", signal.SIGINT)
        if not isinstance(lost, KeyboardInterrupt) or not self._fired or not _in_main_thread():
            self._report(unraisable)
            return
        with self._lock:
            self._fired = False
        for number in self._replaced:
            signal.signal(number, self._stop)
        assert self._pipe is not None
        try:
            os.write(self._pipe[1], bytes([signum]))  # the watcher sends it again
        except OSError:
            pass


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
