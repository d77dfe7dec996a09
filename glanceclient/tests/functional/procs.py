# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""Server processes on 127.0.0.1: free ports, start, wait, stop, clean up.

Every server runs in a session (and so a process group) of its own, so the
whole group (gunicorn master and workers) is stopped with one signal:
SIGTERM, then SIGKILL after a grace period. Each started process is
registered; ``stop_all()`` runs at interpreter exit, and on SIGTERM when
``install_signal_handlers()`` was called. On Linux the servers also get
SIGTERM from the kernel if the Python thread that started them dies (for a
test runner killed with SIGKILL).

Standard library only.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
import ctypes
import errno
import http.client
import os
import pathlib
import signal
import ssl
import subprocess
import sys
import threading
import time

from glanceclient.tests.functional import ports


class ServerStartError(RuntimeError):
    """A server did not come up (its log's tail is in the message)."""


def tail(path: pathlib.Path | str, lines: int = 30) -> str:
    """The last lines of a text file ('' when it is missing)."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 64 * 1024))
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


try:
    _PRCTL = ctypes.CDLL(None, use_errno=True).prctl if (sys.platform == "linux") else None
except (OSError, AttributeError):
    _PRCTL = None
_PR_SET_PDEATHSIG = 1


def _set_pdeathsig() -> None:
    # Runs in the child between fork and exec (so: nothing that allocates
    # or locks): ask the kernel to send SIGTERM when the parent thread dies.
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)


#: In a server's log when another program holds its port.
PORT_TAKEN = "Address already in use"


def gunicorn_listening_marker(port: int, scheme: str = "http") -> str:
    """What gunicorn logs once it has bound 127.0.0.1:<port> (``scheme``
    is ``https`` when it serves TLS)."""
    return "Listening at: %s://%s:%d " % (scheme, ports.LOOPBACK, port)


def _pids_in_group(pgid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry, "rb") as f:
                stat = f.read().decode("ascii", "replace")
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...; comm may contain spaces
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] != "Z":
            pids.append(int(entry))
    return sorted(pids)


def pid_alive(pid: int) -> bool:
    """True when ``pid`` exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            stat = f.read().decode("ascii", "replace")
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


class ServerProcess:
    """One server process group, its log file, and the port it serves.

    With ``ssl_context`` the readiness probe speaks HTTPS with it (it must
    trust the server's certificate, and hold a client certificate when the
    server requires one).
    """

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        port: int,
        log_path: pathlib.Path,
        cwd: pathlib.Path,
        env: Mapping[str, str] | None = None,
        ready_path: str = "/",
        listening_marker: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.port = port
        self.log_path = log_path
        self.cwd = cwd
        self.env = dict(env if env is not None else os.environ)
        self.ready_path = ready_path
        self.listening_marker = listening_marker
        self.ssl_context = ssl_context
        self.popen: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self.popen.pid if self.popen else None

    def start(self) -> None:
        """Start the process (does not wait until it serves)."""
        if self.popen is not None:
            raise RuntimeError("%s already started" % self.name)
        # The kernel sends the parent-death signal when the *thread* that
        # forked dies, so only tie the server to the main thread's life.
        on_main = threading.current_thread() is threading.main_thread()
        with open(self.log_path, "ab") as log:
            self.popen = subprocess.Popen(
                self.argv,
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_set_pdeathsig if (on_main and _PRCTL is not None) else None,
            )
        _REGISTRY.add(self)

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def pids(self) -> list[int]:
        """PIDs of the process group (master and workers) still alive."""
        if self.popen is None:
            return []
        pids = _pids_in_group(self.popen.pid)
        if self.running() and self.popen.pid not in pids:
            pids.insert(0, self.popen.pid)
        return pids

    def wait_ready(self, timeout: float = 60.0, probe: Callable[[], bool] | None = None) -> float:
        """Wait until the server answers; returns the seconds waited.

        Ready means: ``listening_marker`` (when set) is in the log, which
        proves the port is ours and not another program's, and then an
        HTTP GET of ``ready_path`` gets any status below 500 (or
        ``probe()`` returns True, when given).

        :raises ServerStartError: when the process exits, or on timeout;
            the message holds the tail of the log.
        """
        started = time.monotonic()
        deadline = started + timeout
        while True:
            if not self.running():
                rc = self.popen.returncode if self.popen else None
                raise ServerStartError(
                    "%s exited with status %s before answering on port %d."
                    "\n--- last lines of %s ---\n%s"
                    % (self.name, rc, self.port, self.log_path, tail(self.log_path))
                )
            log_text = self._log_text()
            if PORT_TAKEN in log_text:
                raise ServerStartError(
                    "%s could not bind port %d (%s).\n--- last lines of %s "
                    "---\n%s"
                    % (self.name, self.port, PORT_TAKEN, self.log_path, tail(self.log_path))
                )
            listening = self.listening_marker is None or self.listening_marker in log_text
            if listening and (probe or self._http_probe)():
                return time.monotonic() - started
            if time.monotonic() > deadline:
                raise ServerStartError(
                    "%s did not answer GET %s on port %d within %.0f s."
                    "\n--- last lines of %s ---\n%s"
                    % (
                        self.name,
                        self.ready_path,
                        self.port,
                        timeout,
                        self.log_path,
                        tail(self.log_path),
                    )
                )
            sleep(0.1)

    def _log_text(self) -> str:
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def _http_probe(self) -> bool:
        conn: http.client.HTTPConnection
        if self.ssl_context is not None:
            conn = http.client.HTTPSConnection(
                ports.LOOPBACK, self.port, timeout=5, context=self.ssl_context
            )
        else:
            conn = http.client.HTTPConnection(ports.LOOPBACK, self.port, timeout=5)
        try:
            conn.request("GET", self.ready_path)
            return conn.getresponse().status < 500
        except OSError:
            return False
        finally:
            conn.close()

    def stop(self, grace: float = 5.0) -> None:
        """SIGTERM the process group, SIGKILL it after ``grace`` seconds."""
        stop_processes([self], grace)

    def __repr__(self) -> str:
        return "<ServerProcess %s pid=%s port=%d>" % (self.name, self.pid, self.port)


def stop_processes(processes: Sequence[ServerProcess], grace: float = 5.0) -> None:
    """Stop several servers at once: SIGTERM every process group, wait up
    to ``grace`` seconds for all of them, SIGKILL what is left, reap."""
    started = [p for p in processes if p.popen is not None]
    for proc in started:
        assert proc.popen is not None
        _signal_group(proc.popen.pid, signal.SIGTERM)

    def left() -> list[ServerProcess]:
        out = []
        for proc in started:
            assert proc.popen is not None
            proc.popen.poll()
            if _pids_in_group(proc.popen.pid):
                out.append(proc)
        return out

    deadline = time.monotonic() + grace
    remaining = left()
    while remaining and time.monotonic() < deadline:
        time.sleep(0.05)
        remaining = left()
    if remaining:
        for proc in remaining:
            assert proc.popen is not None
            _signal_group(proc.popen.pid, signal.SIGKILL)
        kill_deadline = time.monotonic() + 5
        while remaining and time.monotonic() < kill_deadline:
            time.sleep(0.05)
            remaining = left()
    for proc in started:
        assert proc.popen is not None
        try:
            proc.popen.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        _REGISTRY.discard(proc)


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except OSError as e:
        if e.errno != errno.ESRCH:
            raise


class _Registry:
    """Every started, not yet stopped, server of this Python process."""

    def __init__(self) -> None:
        # Reentrant: a signal handler may stop everything while the main
        # thread holds the lock.
        self._lock = threading.RLock()
        self._procs: list[ServerProcess] = []
        self._owner = os.getpid()

    def add(self, proc: ServerProcess) -> None:
        with self._lock:
            self._procs.append(proc)

    def discard(self, proc: ServerProcess) -> None:
        with self._lock:
            if proc in self._procs:
                self._procs.remove(proc)

    def stop_all(self) -> None:
        if os.getpid() != self._owner:
            return  # a forked child must not stop its parent's servers
        with self._lock:
            procs = list(reversed(self._procs))
        stop_processes(procs, grace=3.0)


_REGISTRY = _Registry()
_exit_hooks: list[Callable[[], None]] = []


def add_exit_hook(hook: Callable[[], None]) -> None:
    """Run ``hook`` at exit before the remaining servers are stopped."""
    _exit_hooks.append(hook)


def remove_exit_hook(hook: Callable[[], None]) -> None:
    """Forget a hook given to :func:`add_exit_hook` (if still there)."""
    if hook in _exit_hooks:
        _exit_hooks.remove(hook)


_OWNER_PID = os.getpid()


def stop_all() -> None:
    """Stop every server this process started and has not stopped.

    Does nothing in a forked child: the servers are its parent's.
    """
    if os.getpid() != _OWNER_PID:
        return
    while _exit_hooks:
        hook = _exit_hooks.pop()
        try:
            hook()
        except Exception as e:  # noqa: BLE001 - the servers must still stop
            sys.stderr.write("error in a cluster exit hook: %r\n" % (e,))
    _REGISTRY.stop_all()


atexit.register(stop_all)


def _stop_and_die(signum: int, frame: object) -> None:
    # Clean up here rather than raise SystemExit: a test runner may catch
    # that as a test failure and carry on. Then die of the same signal.
    try:
        stop_all()
    finally:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)


_STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
_interrupted = False


def interrupt_on_signals() -> None:
    """For a program that cleans up in ``finally``/``except
    KeyboardInterrupt`` (the cluster command, the demo): the first
    SIGTERM, SIGHUP or SIGINT is noted, and later ones are ignored (a
    second Ctrl-C cannot cut the clean-up short and leave a directory
    behind). The handler raises nothing: an exception raised wherever a
    signal lands can be swallowed (in an at-fork hook, a ``__del__``),
    printing a traceback and leaving the program running. The program
    learns of the signal at :func:`check_interrupted`, which its waiting
    loops call."""

    def note(signum: int, frame: object) -> None:
        global _interrupted
        for sig in _STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        _interrupted = True

    for sig in _STOP_SIGNALS:
        signal.signal(sig, note)


def check_interrupted() -> None:
    """Raise KeyboardInterrupt once a signal noted by
    :func:`interrupt_on_signals` came (does nothing otherwise).

    :raises KeyboardInterrupt: after SIGTERM, SIGHUP or SIGINT.
    """
    if _interrupted:
        raise KeyboardInterrupt


def sleep(seconds: float) -> None:
    """``time.sleep`` that ends early, raising KeyboardInterrupt, once a
    signal noted by :func:`interrupt_on_signals` came.

    :raises KeyboardInterrupt: after SIGTERM, SIGHUP or SIGINT.
    """
    deadline = time.monotonic() + seconds
    while True:
        check_interrupted()
        left = deadline - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, 0.1))


def install_signal_handlers() -> bool:
    """On SIGTERM or SIGHUP: stop every server of this process (and run the
    exit hooks), then die of that signal as before.

    Only from the main thread, and only where the signal still has its
    default action (a runner's own handler is left alone). SIGINT needs
    nothing: KeyboardInterrupt ends the process and atexit stops the
    servers. Returns True when a handler was installed.
    """
    if threading.current_thread() is not threading.main_thread():
        return False
    installed = False
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) in (signal.SIG_DFL, None):
            signal.signal(sig, _stop_and_die)
            installed = True
    return installed


class ManagedServer:
    """What a server of the cluster (Glance node, Keystone) shares: one
    :class:`ServerProcess`, once started, and its log."""

    #: What the server is called in errors (``node1``, ``keystone``).
    label = "server"

    def __init__(self, log_path: pathlib.Path) -> None:
        self.log_path = log_path
        self.process: ServerProcess | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def wait_ready(self, timeout: float = 60.0) -> float:
        """Wait until the server answers; returns the seconds waited."""
        assert self.process is not None, "%s not started" % self.label
        return self.process.wait_ready(timeout=timeout)

    def stop(self, grace: float = 5.0) -> None:
        if self.process is not None:
            self.process.stop(grace=grace)

    def running(self) -> bool:
        return self.process is not None and self.process.running()

    def pids(self) -> list[int]:
        """PIDs of the server's process group still alive."""
        return self.process.pids() if self.process else []

    def log_tail(self, lines: int = 30) -> str:
        return tail(self.log_path, lines)
