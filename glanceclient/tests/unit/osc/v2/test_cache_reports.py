"""``openstack cache report`` and ``openstack cache orphans``: the real
command classes on the real client, requests-mock answering three nodes."""

from __future__ import annotations

import json

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
