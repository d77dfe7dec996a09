"""``glance cache-report`` and ``glance cache-orphans`` over nodes that
fail on the wire (#22 items 4 and 5): a dead node, a silent one,
``--skip-unreachable``, Ctrl-C, the progress and summary lines; through
the real main(), the shared fake Glance answering on real sockets."""

from __future__ import annotations

import io
import json
import signal
import socket
import threading
import time

import fixtures

from glanceclient import shell
from glanceclient.tests import tables
from glanceclient.tests.fakeglance import routes
from glanceclient.tests.fakeglance import wire
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2.base import GONE
from glanceclient.tests.unit.v2.base import IMAGE_SCHEMA
from glanceclient.tests.unit.v2.base import LIVE
from glanceclient.tests.unit.v2.base import QUEUED
from glanceclient.tests.unit.v2.base import entry

#: The listing of the node that answers: LIVE and GONE cached, QUEUED queued.
LISTING = {
    "cached_images": [entry(LIVE, 300, 2, 1764000000.5), entry(GONE, 100, 3, 1764000100.25)],
    "queued_images": [QUEUED],
}


def dead_url() -> str:
    """A port of 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind((wire.HOST, 0))
        return "http://%s:%d" % (wire.HOST, sock.getsockname()[1])


class ReportFanOutTest(base.ShellTestCase):
    """The endpoint is node A, which answers; B is dead; the mute node
    accepts connections and never answers."""

    def setUp(self):
        super().setUp()
        self.requests.stop()  # real sockets: requests-mock answers one request at a time
        self.never = threading.Event()
        self.answers = {
            ("GET", "/versions"): (200, base.WITH_CACHE),
            ("GET", "/healthcheck"): (200, b"OK"),
            ("GET", "/v2/cache"): (200, LISTING),
            ("GET", "/v2/schemas/image"): (200, IMAGE_SCHEMA),
            ("GET", "/v2/images"): (200, {"images": [{"id": LIVE, "name": "cirros"}]}),
            ("GET", "/v2/images/" + LIVE): (200, {"id": LIVE, "name": "cirros"}),
            ("GET", "/v2/images/" + GONE): routes.NOT_FOUND,
            ("GET", "/v2/images/" + QUEUED): routes.NOT_FOUND,
            ("DELETE", "/v2/cache/" + GONE): (204, None),
            ("DELETE", "/v2/cache/" + QUEUED): (204, None),
        }
        self.a = self.useFixture(routes.FakeGlance(self.answers))
        self.dead = dead_url()
        self.mute = wire.Mute()
        wire.in_thread(self.mute)
        self.addCleanup(self.mute.server_close)
        self.addCleanup(self.mute.shutdown)
        self.addCleanup(self.never.set)  # first: frees a handler held by interrupt()

    def glance(self, *argv: str) -> tuple[int, str, str]:
        return self.run_glance(
            "--os-image-url", self.a.url, "--os-auth-token", "t", *argv, token_args=False
        )  # fmt: skip

    def asked(self, method: str, path: str) -> int:
        return sum(1 for r in self.a.recorded if (r.method, r.path) == (method, path))

    def interrupt(self, handler: wire.Handler) -> None:
        """An answer that never comes: Ctrl-C (SIGINT to the main thread) instead."""
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
        self.never.wait(30)

    def test_report_dead_and_silent_nodes_fail_their_rows(self):
        began = time.monotonic()
        status, out, err = self.glance(
            "cache-report", "--node", self.a.url, "--node", self.dead, "--node", self.mute.url,
            "--node-timeout", "2",
        )  # fmt: skip
        self.assertLess(time.monotonic() - began, 15)  # not the 600 s of --timeout
        self.assertEqual((1, ""), (status, err))
        table = tables.rows(out)
        self.assertEqual([self.a.url, "2", "400", "5", "1"], table[0][:5])
        self.assertEqual("ok", table[0][-1])
        self.assertEqual([self.dead, "-", "-", "connection refused"], table[1][:3] + table[1][-1:])
        self.assertEqual([self.mute.url, "no answer within 2 s"], [table[2][0], table[2][-1]])
        self.assertEqual(["total", "2", "400", "5", "1"], table[3][:5])
        self.assertEqual("1 ok, 2 failed", table[3][-1])

    def test_report_skip_unreachable(self):
        status, out, err = self.glance(
            "cache-report", "--node", self.a.url, "--node", self.dead, "--node", self.mute.url,
            "--skip-unreachable", "--probe-timeout", "1",
        )  # fmt: skip
        self.assertEqual((0, ""), (status, err))  # a skipped node fails nothing
        table = tables.rows(out)
        self.assertEqual(
            [
                [self.a.url, "ok"],
                [self.dead, "skipped: unreachable"],
                [self.mute.url, "skipped: unreachable"],
                # Skipped nodes add nothing to the figures and are counted apart.
                ["total", "1 ok, 2 skipped"],
            ],
            [[r[0], r[-1]] for r in table],
        )
        self.assertEqual(["2", "400", "5", "1"], table[3][1:5])
        self.assertEqual(1, self.asked("GET", "/v2/cache"))

        status, out, err = self.glance(
            "cache-report", "--node", self.a.url, "--node", self.dead,
            "--skip-unreachable", "-f", "json",
        )  # fmt: skip
        self.assertEqual((0, ""), (status, err))
        rows = json.loads(out)
        self.assertEqual(
            {"node": self.dead, "status": "skipped", "error": "unreachable", "images": None},
            {k: rows[1][k] for k in ("node", "status", "error", "images")},
        )
        self.assertEqual(
            ("total", "1 ok, 1 skipped", 2), tuple(rows[2][k] for k in ("node", "status", "images"))
        )

    def test_report_by_image_names_the_skipped_nodes(self):
        status, out, err = self.glance(
            "cache-report", "--node", self.a.url, "--node", self.dead,
            "--skip-unreachable", "--by-image",
        )  # fmt: skip
        self.assertEqual(0, status)
        self.assertEqual([LIVE, GONE], [r[0] for r in tables.rows(out)])
        self.assertEqual(
            "glance: warning: Not in the report: %s (unreachable)" % self.dead, err.strip()
        )

    def test_orphans_delete_skips_the_unreachable(self):
        status, out, err = self.glance(
            "cache-orphans", "--node", self.a.url, "--node", self.dead, "--node", self.mute.url,
            "--delete", "--skip-unreachable", "--probe-timeout", "1",
        )  # fmt: skip
        self.assertEqual((0, ""), (status, err))
        self.assertEqual(
            [
                [self.a.url, GONE, "100", "image not found (cached)", "yes", "ok"],
                [self.a.url, QUEUED, "-", "image not found (queued)", "yes", "ok"],
                [self.dead, "-", "-", "-", "-", "skipped: unreachable"],
                [self.mute.url, "-", "-", "-", "-", "skipped: unreachable"],
            ],
            tables.rows(out),
        )
        self.assertEqual(
            (1, 1, 0),
            (
                self.asked("DELETE", "/v2/cache/" + GONE),
                self.asked("DELETE", "/v2/cache/" + QUEUED),
                self.asked("DELETE", "/v2/cache/" + LIVE),  # a live image, never
            ),
        )

    def test_orphans_dead_and_silent_nodes_in_json(self):
        status, out, err = self.glance(
            "cache-orphans", "--node", self.a.url, "--node", self.dead, "--node", self.mute.url,
            "--node-timeout", "2", "-f", "json",
        )  # fmt: skip
        self.assertEqual((1, ""), (status, err))
        self.assertEqual(
            [
                (self.a.url, GONE, "ok", None),
                (self.a.url, QUEUED, "ok", None),
                (self.dead, None, "failed", "connection refused"),
                (self.mute.url, None, "failed", "no answer within 2 s"),
            ],
            [(r["node"], r["image_id"], r["status"], r["error"]) for r in json.loads(out)],
        )
        self.assertEqual(0, self.asked("DELETE", "/v2/cache/" + GONE))

    def interrupting_node(self) -> routes.FakeGlance:
        """A node whose cache listing is interrupted by Ctrl-C."""
        answers = dict(self.answers)
        answers[("GET", "/v2/cache")] = (200, self.interrupt)
        return self.useFixture(routes.FakeGlance(answers))

    def test_report_ctrl_c_prints_what_ended_and_exits_130(self):
        stopper, after = self.interrupting_node(), self.useFixture(routes.FakeGlance(self.answers))
        status, out, err = self.glance(
            "cache-report", "--node", self.a.url, "--node", stopper.url, "--node", after.url,
            "--max-parallel", "1",
        )  # fmt: skip
        self.assertEqual((130, ""), (status, err))
        self.assertEqual(
            [
                [self.a.url, "2", "ok"],
                [stopper.url, "-", "interrupted"],
                [after.url, "-", "interrupted"],
                ["total", "2", "1 ok, 2 interrupted"],
            ],
            [[r[0], r[1], r[-1]] for r in tables.rows(out)],
        )
        self.assertEqual([], [r for r in after.recorded if r.path == "/v2/cache"])

    def test_orphans_ctrl_c_during_the_listings_evicts_nothing(self):
        stopper = self.interrupting_node()
        status, out, err = self.glance(
            "cache-orphans", "--node", self.a.url, "--node", stopper.url, "--delete",
            "--max-parallel", "1", "-f", "json",
        )  # fmt: skip
        self.assertEqual((130, ""), (status, err))
        self.assertEqual(
            [
                (self.a.url, GONE, None, "interrupted"),
                (self.a.url, QUEUED, None, "interrupted"),
                (stopper.url, None, None, "interrupted"),
            ],
            [(r["node"], r["image_id"], r["evicted"], r["status"]) for r in json.loads(out)],
        )
        self.assertEqual(0, self.asked("DELETE", "/v2/cache/" + GONE))
        self.assertEqual(0, self.asked("DELETE", "/v2/cache/" + QUEUED))

    def test_orphans_ctrl_c_during_the_evictions(self):
        self.answers[("DELETE", "/v2/cache/" + GONE)] = (204, self.interrupt)
        status, out, err = self.glance(
            "cache-orphans", "--node", self.a.url, "--delete", "--max-parallel", "1"
        )
        self.assertEqual((130, ""), (status, err))
        self.assertEqual(
            [
                [self.a.url, GONE, "-", "interrupted"],
                [self.a.url, QUEUED, "-", "interrupted"],  # not started after Ctrl-C
            ],
            [[r[0], r[1], r[4], r[5]] for r in tables.rows(out)],
        )
        self.assertEqual(0, self.asked("DELETE", "/v2/cache/" + QUEUED))

    def test_progress_and_summary_on_a_terminal(self):
        terminal, out = base.Terminal(), io.StringIO()
        self.useFixture(fixtures.MonkeyPatch("sys.stderr", terminal))
        self.useFixture(fixtures.MonkeyPatch("sys.stdout", out))
        base_args = ["--os-image-url", self.a.url, "--os-auth-token", "t"]
        nodes = ["--node", self.a.url, "--node", self.dead, "--max-parallel", "1"]
        status = shell.main([*base_args, "cache-report", *nodes])
        self.assertEqual(1, status)
        self.assertEqual(
            "\r\033[K1/2 nodes done\r\033[K2/2 nodes done\r\033[K1 ok, 1 failed\n",
            terminal.getvalue(),
        )
        self.assertEqual(3, len(tables.rows(out.getvalue())))
        terminal.seek(0)
        terminal.truncate()
        status = shell.main([*base_args, "cache-orphans", *nodes, "--skip-unreachable"])
        self.assertEqual(0, status)
        self.assertEqual(
            "\r\033[K1/2 nodes done\r\033[K2/2 nodes done\r\033[K1 ok, 1 skipped\n",
            terminal.getvalue(),
        )

    def test_orphans_delete_progress_on_a_terminal(self):
        """The evictions have their progress line too, after the listings'."""
        terminal, out = base.Terminal(), io.StringIO()
        self.useFixture(fixtures.MonkeyPatch("sys.stderr", terminal))
        self.useFixture(fixtures.MonkeyPatch("sys.stdout", out))
        status = shell.main(
            ["--os-image-url", self.a.url, "--os-auth-token", "t", "cache-orphans",
             "--node", self.a.url, "--delete", "--max-parallel", "1"]
        )  # fmt: skip
        self.assertEqual(0, status)
        self.assertEqual(
            "\r\033[K1/1 nodes done\r\033[K"
            "\r\033[K1/2 evictions done\r\033[K2/2 evictions done\r\033[K"
            "1 ok\n",
            terminal.getvalue(),
        )
        self.assertEqual(
            [[GONE, "yes"], [QUEUED, "yes"]], [[r[1], r[4]] for r in tables.rows(out.getvalue())]
        )

    def test_help(self):
        for command in ("cache-report", "cache-orphans"):
            status, out, _err = self.run_glance("help", command, token_args=False)
            self.assertEqual(0, status)
            for option in ("--node-timeout", "--skip-unreachable", "--probe-timeout <seconds>"):
                self.assertIn(option, out, command)
