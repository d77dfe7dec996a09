"""``openstack cache clean`` and ``openstack cache prune`` on several nodes
(#22 item 4), as the other fan-outs: the progress line and the summary on
a terminal, Ctrl-C keeping the rows of the nodes that ended; through
OpenStackClient's own shell, requests-mock answering."""

from __future__ import annotations

import json
import signal
import threading

from glanceclient.tests import tables
from glanceclient.tests.unit import base
from glanceclient.tests.unit.osc import base as osc_test

NODE_A = "http://node_a:60999"
NODE_B = "http://node_b:60999"
NODE_C = "http://node_c:60999"
PRUNED = {"total_files_pruned": 2, "total_bytes_pruned": 9}


class OscFanOutTest(base.TestCase):
    def setUp(self):
        super().setUp()
        osc_test.isolate_environment(self)
        for endpoint in (base.ENDPOINT, NODE_A, NODE_B, NODE_C):
            self.mock_versions(endpoint=endpoint)
        self.never = threading.Event()
        self.addCleanup(self.never.set)  # frees the thread held by interrupt()

    def openstack(self, *argv, stderr=None):
        return osc_test.openstack(
            self,
            ["--os-auth-type", "none", "--os-endpoint", base.ENDPOINT, *argv],
            stderr,
        )

    def interrupt(self, request, context):
        """An answer that never comes: Ctrl-C (SIGINT to the main thread) instead."""
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
        self.never.wait(30)
        return {}

    def test_clean_progress_and_summary_on_a_terminal(self):
        self.requests.post(NODE_A + "/v2/cache/clean", status_code=204)
        self.requests.post(
            NODE_B + "/v2/cache/clean",
            status_code=500,
            text=base.error_body("500 Internal Server Error", "boom"),
        )
        terminal = base.Terminal()
        status, out, err = self.openstack(
            "cache", "clean", "--node", NODE_A, "--node", NODE_B, "--max-parallel", "1",
            stderr=terminal,
        )  # fmt: skip
        self.assertEqual(1, status)
        self.assertEqual(
            "\r\033[K1/2 nodes done\r\033[K2/2 nodes done\r\033[K1 ok, 1 failed\n", err
        )
        self.assertEqual(
            [[NODE_A, "ok"], [NODE_B, "HTTP 500 Internal Server Error: boom"]],
            tables.rows(out),
        )

    def test_prune_skip_unreachable_on_a_terminal(self):
        self.requests.get(NODE_A + "/healthcheck", text="OK")
        self.requests.get(NODE_B + "/healthcheck", exc=base.refused())
        self.requests.post(NODE_A + "/v2/cache/prune", json=PRUNED)
        pruned_b = self.requests.post(NODE_B + "/v2/cache/prune", json=PRUNED)
        status, out, err = self.openstack(
            "cache", "prune", "--node", NODE_A, "--node", NODE_B, "--skip-unreachable",
            "--max-parallel", "1", "-f", "json",
            stderr=base.Terminal(),
        )  # fmt: skip
        self.assertEqual(0, status)
        self.assertEqual(
            "\r\033[K1/2 nodes done\r\033[K2/2 nodes done\r\033[K1 ok, 1 skipped\n", err
        )
        self.assertEqual(
            [(NODE_A, 2, 9, "ok", None), (NODE_B, None, None, "skipped", "unreachable")],
            [
                (r["Node"], r["Files Pruned"], r["Bytes Pruned"], r["Status"], r["Error"])
                for r in json.loads(out)
            ],
        )
        self.assertFalse(pruned_b.called)

    def test_clean_ctrl_c_keeps_the_rows_that_ended(self):
        self.requests.post(NODE_A + "/v2/cache/clean", status_code=204)
        self.requests.post(NODE_B + "/v2/cache/clean", json=self.interrupt)
        clean_c = self.requests.post(NODE_C + "/v2/cache/clean", status_code=204)
        status, out, err = self.openstack(
            "cache", "clean", "--node", NODE_A, "--node", NODE_B, "--node", NODE_C,
            "--max-parallel", "1", "-f", "json",
        )  # fmt: skip
        self.assertEqual((130, ""), (status, err))  # not a terminal: no progress, no summary
        self.assertEqual(
            [(NODE_A, "ok", None), (NODE_B, "interrupted", "interrupted"),
             (NODE_C, "interrupted", "interrupted")],
            [(r["Node"], r["Status"], r["Error"]) for r in json.loads(out)],
        )  # fmt: skip
        self.assertFalse(clean_c.called)  # nothing starts after Ctrl-C

    def test_prune_ctrl_c_in_a_table(self):
        self.requests.post(NODE_A + "/v2/cache/prune", json=PRUNED)
        self.requests.post(NODE_B + "/v2/cache/prune", json=self.interrupt)
        terminal = base.Terminal()
        status, out, err = self.openstack(
            "cache", "prune", "--node", NODE_A, "--node", NODE_B, "--node", NODE_C,
            "--max-parallel", "1",
            stderr=terminal,
        )  # fmt: skip
        self.assertEqual(130, status)
        self.assertEqual(
            [[NODE_A, "2", "9", "ok"], [NODE_B, "-", "-", "interrupted"],
             [NODE_C, "-", "-", "interrupted"]],
            tables.rows(out),
        )  # fmt: skip
        self.assertEqual("\r\033[K1/3 nodes done\r\033[K1 ok, 2 interrupted\n", err)
