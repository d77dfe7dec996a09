"""Signals (:mod:`glanceclient.cli.interrupts`): SIGTERM and SIGHUP sent to
a real ``glance`` process in the middle of a transfer clean up as Ctrl-C
does, and exit 128 + the signal's number, also where Python alone would
not run the handler."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import fixtures

from glanceclient.tests.fakeglance import routes
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2.commands import base as cbase

#: More than one network read (1 MiB), so that some data reaches the disk.
SENT = b"x" * (1536 * 1024)
SIZE = 4 * len(SENT)
GLANCE = "import sys; from glanceclient import shell; sys.exit(shell.main())"


class InterruptionTest(base.TestCase):
    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.done = threading.Event()
        self.addCleanup(self.done.set)
        image = cbase.image(
            size=SIZE, os_hash_algo="sha512", os_hash_value=hashlib.sha512(b"").hexdigest()
        )
        path = "/v2/images/" + base.IMAGE_ID
        self.server = self.useFixture(
            routes.FakeGlance(
                {
                    ("GET", path): (200, image),
                    ("GET", path + "/file"): (200, self.part_then_silence),
                    ("PUT", path + "/file"): (204, self.read_until_closed),
                }
            )
        )

    def part_then_silence(self, handler) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % SIZE + SENT)
        handler.wfile.flush()
        self.done.wait(30)

    @staticmethod
    def read_until_closed(handler) -> None:
        while handler.rfile.read1(65536):
            pass

    def glance(self, *argv: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", GLANCE, "--os-image-url", self.server.url]
            + ["--os-auth-token", base.TOKEN, *argv],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=self.tmp,
            env=dict(os.environ, PYTHONFAULTHANDLER="1"),
        )
        self.addCleanup(process.wait, 30)
        self.addCleanup(process.kill)
        return process

    def wait_for(self, condition, what: str) -> None:
        deadline = time.monotonic() + 60
        while not condition():
            if time.monotonic() > deadline:
                self.fail("no %s within 60 s" % what)
            time.sleep(0.05)

    def stop(self, process: subprocess.Popen[str], signum: int) -> None:
        process.send_signal(signum)
        try:
            out, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:  # where it hangs: faulthandler's dump
            process.send_signal(signal.SIGABRT)
            self.fail("glance still runs 30 s after the signal:\n" + process.communicate()[1])
        name = signal.Signals(signum).name
        self.assertEqual(
            (128 + signum, "", "glance: error: interrupted (%s)\n" % name),
            (process.returncode, out, err),
        )

    def partial_size(self) -> int:
        return sum(os.path.getsize(os.path.join(self.tmp, n)) for n in os.listdir(self.tmp))

    def interrupt_download(self, signum: int) -> None:
        process = self.glance("image-download", "--file", "image.raw", base.IMAGE_ID)
        self.wait_for(lambda: self.partial_size() > 0, "data on disk")
        self.stop(process, signum)
        self.assertEqual([], os.listdir(self.tmp))

    def test_sigterm_during_a_download(self):
        self.interrupt_download(signal.SIGTERM)

    def test_sighup_during_a_download(self):
        self.interrupt_download(signal.SIGHUP)

    def test_sigterm_during_an_upload(self):
        fifo = os.path.join(self.tmp, "data")
        os.mkfifo(fifo)
        process = self.glance("image-upload", "--file", fifo, base.IMAGE_ID)
        with open(fifo, "wb") as data:  # opens once glance opened it
            data.write(SENT)
            data.flush()
            self.wait_for(lambda: any(r.method == "PUT" for r in self.server.recorded), "upload")
            self.stop(process, signal.SIGTERM)

    def run_command(self, body: str) -> None:
        """Run ``glance`` whose command is ``body``; it ends by SIGTERM."""
        script = (
            "import gc, os, signal, sys, threading, time\n"
            "from glanceclient import shell\n"
            "class Command:\n"
            "    def main(self, argv):\n" + textwrap.indent(textwrap.dedent(body), " " * 8) + "\n"
            "shell.GlanceShell = Command\n"
            "sys.exit(shell.main([]))\n"
        )
        process = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=30
        )
        self.assertEqual(
            (143, "glance: error: interrupted (SIGTERM)\n"), (process.returncode, process.stderr)
        )

    def test_signal_that_finds_no_bytecode_to_run_its_handler(self):
        # The signal lands in another thread while the main one waits in a
        # read, as one that comes just before the read: nothing runs the
        # handler until the read returns, so glance sends it again.
        self.run_command(
            """
            read, write = os.pipe()
            other = lambda: signal.pthread_kill(threading.get_ident(), signal.SIGTERM)
            threading.Timer(0.2, other).start()
            os.read(read, 1)
            return 0
            """
        )

    def test_sigterm_handled_inside_a_finalizer(self):
        # The handler's exception is lost where it runs in a __del__ the
        # garbage collector calls; glance raises it again, instead of going
        # on to a read that waits forever.
        self.run_command(
            """
            class Garbage:
                def __del__(self):
                    os.kill(os.getpid(), signal.SIGTERM)
                    for _ in range(1000): pass
            cycle = Garbage(); cycle.me = cycle; del cycle
            gc.collect()
            time.sleep(60)
            return 0
            """
        )
