"""``openstack cache report`` and ``openstack cache orphans``: the real
command classes on the real client, requests-mock answering three nodes."""

from __future__ import annotations

import json
import signal
import threading

from osc_lib import exceptions

from glanceclient.osc.v2 import cache_reports
from glanceclient.tests.unit import base
from glanceclient.tests.unit.osc import base as osc_test
from glanceclient.tests.unit.v2 import base as v2base
from glanceclient.tests.unit.v2.base import GONE
from glanceclient.tests.unit.v2.base import NODE_A
from glanceclient.tests.unit.v2.base import NODE_B
from glanceclient.tests.unit.v2.base import NODE_C
from glanceclient.tests.unit.v2.base import QUEUED


class OscReportTest(osc_test.TestCommand, v2base.ReportTestCase):
    def setUp(self):
        super().setUp()
        self.app.client_manager.image_cache = self.make_client(
            image_nodes=[{"url": NODE_A, "cache_max_size": 1000}, NODE_B, NODE_C]
        )

    def run_failing(self, cmd, arglist):
        parsed = self.check_parser(cmd, arglist, [])
        status = cmd.run(parsed)
        return status, self.fake_stdout.make_string()

    def test_report_in_json(self):
        cmd = cache_reports.CacheReport(self.app, None)
        status, out = self.run_failing(cmd, ["--all-nodes", "-f", "json"])
        self.assertEqual(1, status)
        rows = json.loads(out)
        self.assertEqual([NODE_A, NODE_B, NODE_C, "total"], [r["Node"] for r in rows])
        self.assertEqual((2, 400, 40.0), (rows[0]["Images"], rows[0]["Bytes"], rows[0]["Fill (%)"]))
        self.assertIsNone(rows[2]["Images"])
        self.assertEqual("2 ok, 1 failed", rows[3]["Status"])
        self.assertEqual("failed", rows[2]["Status"])
        self.assertIn("refused", rows[2]["Error"])

    def test_report_by_image_in_csv(self):
        cmd = cache_reports.CacheReport(self.app, None)
        status, out = self.run_failing(cmd, ["--node", NODE_B, "--by-image", "-f", "csv"])
        self.assertEqual(0, status)
        self.assertTrue(out.startswith('"Image ID","Name","Size","Nodes","Cached On","Hits"'), out)

    def test_without_inventory(self):
        self.app.client_manager.image_cache = self.make_client()
        cmd = cache_reports.CacheReport(self.app, None)
        parsed = self.check_parser(cmd, ["--all-nodes"], [("all_nodes", True)])
        e = self.assertRaises(exceptions.CommandError, cmd.take_action, parsed)
        self.assertIn("OS_IMAGE_NODES", str(e))

    def test_orphans_delete(self):
        deleted = [
            self.requests.delete(NODE_A + "/v2/cache/" + image, status_code=204)
            for image in (GONE, QUEUED)
        ]
        cmd = cache_reports.CacheOrphans(self.app, None)
        status, out = self.run_failing(cmd, ["--node", NODE_A, "--delete", "-f", "json"])
        self.assertEqual(0, status)
        self.assertEqual(
            [(NODE_A, GONE, 100, True, "ok"), (NODE_A, QUEUED, None, True, "ok")],
            [
                (r["Node"], r["Image ID"], r["Size"], r["Evicted"], r["Status"])
                for r in json.loads(out)
            ],
        )
        self.assertEqual([1, 1], [d.call_count for d in deleted])

    def test_orphans_lookup_failure(self):
        self.requests.get(
            base.ENDPOINT + "/v2/images/" + GONE,
            status_code=500,
            text=base.error_body("500 Internal Server Error", "db down"),
        )
        cmd = cache_reports.CacheOrphans(self.app, None)
        parsed = self.check_parser(cmd, ["--all-nodes", "--delete"], [])
        e = self.assertRaises(exceptions.CommandError, cmd.take_action, parsed)
        self.assertIn("HTTP 500", str(e))

    def asked(self, url):
        return [r for r in self.requests.request_history if r.url == url]

    def skip_c(self):
        self.requests.get(NODE_A + "/healthcheck", text="OK")
        self.requests.get(NODE_C + "/healthcheck", exc=base.refused())

    def test_report_skip_unreachable(self):
        """C does not answer its probe: it is not asked, its row says
        skipped, the totals count it apart, and it fails nothing."""
        self.skip_c()
        cmd = cache_reports.CacheReport(self.app, None)
        argv = ["--node", NODE_A, "--node", NODE_C, "--skip-unreachable", "-f", "json"]
        status, out = self.run_failing(cmd, argv)
        self.assertEqual(0, status)
        self.assertEqual(
            [
                (NODE_A, "ok", None, 2),
                (NODE_C, "skipped", "unreachable", None),
                ("total", "1 ok, 1 skipped", None, 2),
            ],
            [(r["Node"], r["Status"], r["Error"], r["Images"]) for r in json.loads(out)],
        )
        self.assertEqual([], self.asked(NODE_C + "/v2/cache"))

    def test_orphans_delete_skip_unreachable(self):
        """Nothing is evicted from a skipped node."""
        self.skip_c()
        deleted = {
            (node, image): self.requests.delete(node + "/v2/cache/" + image, status_code=204)
            for node in (NODE_A, NODE_C)
            for image in (GONE, QUEUED)
        }
        cmd = cache_reports.CacheOrphans(self.app, None)
        argv = ["--node", NODE_A, "--node", NODE_C, "--delete", "--skip-unreachable", "-f", "json"]
        status, out = self.run_failing(cmd, argv)
        self.assertEqual(0, status)
        self.assertEqual(
            [(NODE_A, GONE, "ok"), (NODE_A, QUEUED, "ok"), (NODE_C, None, "skipped")],
            [(r["Node"], r["Image ID"], r["Status"]) for r in json.loads(out)],
        )
        called = {key for key, route in deleted.items() if route.called}
        self.assertEqual({(NODE_A, GONE), (NODE_A, QUEUED)}, called)

    def test_ctrl_c_keeps_the_rows_that_ended(self):
        never = threading.Event()
        self.addCleanup(never.set)

        def interrupt(request, context):
            signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
            never.wait(30)
            return {}

        self.requests.get(NODE_B + "/v2/cache", json=interrupt)
        cmd = cache_reports.CacheReport(self.app, None)
        argv = ["--node", NODE_A, "--node", NODE_B, "--max-parallel", "1", "-f", "json"]
        status, out = self.run_failing(cmd, argv)
        self.assertEqual(130, status)
        self.assertEqual(
            [(NODE_A, "ok"), (NODE_B, "interrupted"), ("total", "1 ok, 1 interrupted")],
            [(r["Node"], r["Status"]) for r in json.loads(out)],
        )

    def test_orphans_delete_progress_and_summary_on_a_terminal(self):
        """On a terminal, the listings and then the evictions have their
        progress line, and the summary follows the table."""
        for image in (GONE, QUEUED):
            self.requests.delete(NODE_A + "/v2/cache/" + image, status_code=204)
        self.app.stderr = base.Terminal()
        cmd = cache_reports.CacheOrphans(self.app, None)
        argv = ["--node", NODE_A, "--delete", "--max-parallel", "1", "-f", "json"]
        status, out = self.run_failing(cmd, argv)
        self.assertEqual(0, status)
        self.assertEqual(
            "\r\033[K1/1 nodes done\r\033[K"
            "\r\033[K1/2 evictions done\r\033[K2/2 evictions done\r\033[K"
            "1 ok\n",
            self.app.stderr.getvalue(),
        )
        self.assertEqual([True, True], [r["Evicted"] for r in json.loads(out)])
