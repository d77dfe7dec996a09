"""How ``glance`` runs a command on many nodes (#22 items 4 and 5):
``--node-timeout``, ``--skip-unreachable``, the progress and summary lines
on a terminal, and Ctrl-C; through the real main() with requests-mock
answering."""

from __future__ import annotations

import io
import json
import signal
import threading
import time

import fixtures

from glanceclient import shell
from glanceclient.tests import tables
from glanceclient.tests.fakeglance import routes
from glanceclient.tests.fakeglance import wire
from glanceclient.tests.unit import base

NODE_A = "http://node_a:60999"
NODE_B = "http://node_b:60999"
NODE_C = "http://node_c:60999"
NODES = ["--node", NODE_A, "--node", NODE_B, "--node", NODE_C]


class FanOutTest(base.ShellTestCase):
    def setUp(self):
        super().setUp()
        self.mock_versions()
        for node in (NODE_A, NODE_B, NODE_C):
            self.mock_versions(endpoint=node)
        self.never = threading.Event()
        self.addCleanup(self.never.set)

    def test_node_timeout_bounds_a_node_that_never_answers(self):
        # Real sockets: requests-mock runs one answer at a time.
        self.requests.stop()
        answers = {
            ("GET", "/versions"): (200, base.WITH_CACHE),
            ("POST", "/v2/cache/clean"): (204, None),
        }
        a, c = (self.useFixture(routes.FakeGlance(answers)).url for _node in "ac")
        mute = wire.Mute()
        wire.in_thread(mute)
        self.addCleanup(mute.server_close)
        self.addCleanup(mute.shutdown)
        began = time.monotonic()
        status, out, err = self.run_glance(
            "--os-image-url", a, "--os-auth-token", "t", "cache-clean",
            "--node", a, "--node", mute.url, "--node", c, "--node-timeout", "2",
            token_args=False,
        )  # fmt: skip
        self.assertLess(time.monotonic() - began, 10)  # not the 600 s of --timeout
        self.assertEqual((1, ""), (status, err))
        self.assertEqual(
            [[a, "ok"], [mute.url, "no answer within 2 s"], [c, "ok"]], tables.rows(out)
        )

    def test_node_timeout_must_be_positive(self):
        status, out, err = self.run_glance("cache-clean", *NODES, "--node-timeout", "0")
        self.assertEqual((2, ""), (status, out))
        self.assertIn("--node-timeout", err)

    def test_skip_unreachable(self):
        self.requests.get(NODE_A + "/healthcheck", text="OK")
        self.requests.get(NODE_B + "/healthcheck", exc=base.refused())
        self.requests.get(NODE_C + "/healthcheck", text="OK")
        cleans = [
            self.requests.post(node + "/v2/cache/clean", status_code=200)
            for node in (NODE_A, NODE_B, NODE_C)
        ]
        status, out, err = self.run_glance("cache-clean", *NODES, "--skip-unreachable")
        self.assertEqual((0, ""), (status, err))  # a skipped node fails nothing
        self.assertEqual(
            [[NODE_A, "ok"], [NODE_B, "skipped: unreachable"], [NODE_C, "ok"]], tables.rows(out)
        )
        self.assertEqual([1, 0, 1], [c.call_count for c in cleans])
        status, out, _ = self.run_glance(
            "cache-clean", *NODES, "--skip-unreachable", "--probe-timeout", "1", "-f", "json"
        )
        self.assertEqual(0, status)
        skipped = json.loads(out)[1]
        self.assertEqual(
            {"node": NODE_B, "status": "skipped", "error": "unreachable", "error_detail": None},
            skipped,
        )

    def test_delete_on_all_nodes_skips_the_unreachable(self):
        self.requests.get(base.NODES_URL, json=[NODE_A, NODE_B])
        self.requests.get(base.IMAGES_URL, json={"images": []})
        self.requests.get(NODE_A + "/healthcheck", text="OK")
        self.requests.get(NODE_B + "/healthcheck", exc=base.refused())
        a = self.requests.delete(NODE_A + "/v2/cache/" + base.IMAGE_ID, status_code=204)
        b = self.requests.delete(NODE_B + "/v2/cache/" + base.IMAGE_ID, status_code=204)
        status, out, _ = self.run_glance(
            "cache-delete", "--all-nodes", "--skip-unreachable", base.IMAGE_ID
        )
        self.assertEqual(0, status)
        self.assertEqual(
            [
                [NODE_A, base.IMAGE_ID, "-", "ok"],
                [NODE_B, base.IMAGE_ID, "-", "skipped: unreachable"],
            ],
            tables.rows(out),
        )
        self.assertEqual((1, 0), (a.call_count, b.call_count))

    def test_progress_and_summary_on_a_terminal(self):
        self.requests.post(NODE_A + "/v2/cache/clean", status_code=200)
        self.requests.post(NODE_B + "/v2/cache/clean", exc=base.refused())
        self.requests.get(NODE_C + "/healthcheck", exc=base.refused())
        self.requests.get(NODE_A + "/healthcheck", text="OK")
        self.requests.get(NODE_B + "/healthcheck", text="OK")
        terminal, out = base.Terminal(), io.StringIO()
        self.useFixture(fixtures.MonkeyPatch("sys.stderr", terminal))
        self.useFixture(fixtures.MonkeyPatch("sys.stdout", out))
        status = shell.main(
            [*base.TOKEN_ARGS, "cache-clean", *NODES, "--skip-unreachable", "--max-parallel", "1"]
        )
        self.assertEqual(1, status)
        self.assertEqual(
            "\r\033[K1/3 nodes done\r\033[K2/3 nodes done\r\033[K3/3 nodes done\r\033[K"
            "1 ok, 1 failed, 1 skipped\n",
            terminal.getvalue(),
        )
        self.assertEqual(3, len(tables.rows(out.getvalue())))

    def test_no_progress_or_summary_when_not_a_terminal(self):
        self.requests.post(NODE_A + "/v2/cache/clean", status_code=200)
        status, out, err = self.run_glance("cache-clean", "--node", NODE_A)
        self.assertEqual((0, ""), (status, err))

    def interrupted_prune(self, *argv):
        """cache-prune on A, B and C, one at a time; Ctrl-C while B is asked."""

        def interrupt(request, context):
            signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
            self.never.wait()
            return {}

        self.requests.post(
            NODE_A + "/v2/cache/prune", json={"total_files_pruned": 1, "total_bytes_pruned": 5}
        )
        self.requests.post(NODE_B + "/v2/cache/prune", json=interrupt)
        self.c = self.requests.post(NODE_C + "/v2/cache/prune", json={})
        return self.run_glance("cache-prune", *NODES, "--max-parallel", "1", *argv)

    def test_ctrl_c_prints_what_ended_and_exits_130(self):
        status, out, err = self.interrupted_prune()
        self.assertEqual((130, ""), (status, err))
        self.assertEqual(
            [
                [NODE_A, "1", "5", "ok"],
                [NODE_B, "-", "-", "interrupted"],
                [NODE_C, "-", "-", "interrupted"],
            ],
            tables.rows(out),
        )
        self.assertEqual(0, self.c.call_count)

    def test_ctrl_c_in_json(self):
        status, out, err = self.interrupted_prune("-f", "json", "-c", "node", "-c", "status")
        self.assertEqual((130, ""), (status, err))
        self.assertEqual(
            ["ok", "interrupted", "interrupted"], [r["status"] for r in json.loads(out)]
        )

    def test_help(self):
        status, out, _ = self.run_glance("help", "cache-list", token_args=False)
        self.assertEqual(0, status)
        for option in ("--node-timeout <seconds>", "--skip-unreachable", "--probe-timeout"):
            self.assertIn(option, out)
        out = " ".join(out.split())
        self.assertIn("how many nodes to act on at once (default 64)", out)
        self.assertIn("fails its row (default 30)", out)
