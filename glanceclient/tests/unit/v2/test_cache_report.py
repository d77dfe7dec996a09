"""The cache report of glanceclient.v2.cache_report, through the real
Session with requests-mock answering for the nodes and the endpoint."""

from __future__ import annotations

import json

from glanceclient import exc
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2 import base as v2base
from glanceclient.v2 import cache_report
from glanceclient.v2 import inventory


class ByNodeTest(v2base.ReportTestCase):
    def test_rows_and_totals(self):
        rows = self.client.cache_report.by_node()
        self.assertEqual(
            [
                {
                    "node": v2base.NODE_A,
                    "status": "ok",
                    "error": None,
                    "images": 2,
                    "bytes": 400,
                    "hits": 5,
                    "queued": 1,
                    "last_accessed": 1764000100.25,
                    "cache_max_size": 1000,
                    "fill": 40.0,
                },
                {
                    "node": v2base.NODE_B,
                    "status": "ok",
                    "error": None,
                    "images": 1,
                    "bytes": 300,
                    "hits": 1,
                    "queued": 0,
                    "last_accessed": 1763000000.0,
                    "cache_max_size": None,
                    "fill": None,
                },
            ],
            rows[:2],
        )
        self.assertEqual(
            ("failed", None, None), (rows[2]["status"], rows[2]["images"], rows[2]["bytes"])
        )
        self.assertIn(v2base.NODE_C, rows[2]["error"])
        self.assertIn("refused", rows[2]["error"])
        self.assertEqual(1, len(rows[2]["error"].splitlines()))
        self.assertEqual(
            {
                "node": "total",
                "status": "2 ok, 1 failed",
                "error": None,
                "images": 3,
                "bytes": 700,
                "hits": 6,
                "queued": 1,
                "last_accessed": 1764000100.25,
                "cache_max_size": 1000,
                "fill": 40.0,
            },
            cache_report.totals(rows),
        )
        json.dumps(rows)  # plain data
        self.assertEqual(base.TOKEN, self.listing_a.last_request.headers["X-Auth-Token"])
        self.assertEqual(1, self.listing_a.call_count)
        self.assertEqual(0, self.live.call_count)  # no lookups for the node report

    def test_given_nodes_instead_of_the_inventory(self):
        rows = self.client.cache_report.by_node([v2base.NODE_B])
        self.assertEqual([v2base.NODE_B], [r["node"] for r in rows])
        self.assertEqual(0, self.listing_a.call_count)

    def test_without_inventory(self):
        client = self.make_client()
        e = self.assertRaises(inventory.InventoryError, client.cache_report.by_node)
        self.assertIn("OS_IMAGE_NODES", str(e))
        self.assertEqual(
            [v2base.NODE_A], [r["node"] for r in client.cache_report.by_node([v2base.NODE_A])]
        )

    def test_malformed_listing_fails_its_row_only(self):
        self.requests.get(v2base.NODE_B + "/v2/cache", json=["not", "a", "listing"])
        rows = self.client.cache_report.by_node()
        self.assertEqual(["ok", "failed", "failed"], [r["status"] for r in rows])
        self.assertIn("malformed cache list", rows[1]["error"])

    def test_skip_unreachable(self):
        """C does not answer its probe: not asked, its row skipped; the
        totals count it apart and add nothing of it."""
        self.requests.get(v2base.NODE_A + "/healthcheck", text="OK")
        self.requests.get(v2base.NODE_C + "/healthcheck", exc=base.refused())
        listing_c = self.requests.get(v2base.NODE_C + "/v2/cache", json={})
        rows = self.client.cache_report.by_node(
            [v2base.NODE_A, v2base.NODE_C], skip_unreachable=True, probe_timeout=1
        )
        self.assertEqual(
            [("ok", None), ("skipped", "unreachable")], [(r["status"], r["error"]) for r in rows]
        )
        self.assertEqual(0, listing_c.call_count)
        total = cache_report.totals(rows)
        self.assertEqual(
            ("1 ok, 1 skipped", 2, 400, 1000, 40.0),
            (
                total["status"],
                total["images"],
                total["bytes"],
                total["cache_max_size"],
                total["fill"],
            ),
        )

    def test_totals_count_every_state_in_order(self):
        rows = [{"status": s} for s in ("interrupted", "skipped", "failed", "skipped")]
        self.assertEqual("1 failed, 2 skipped, 1 interrupted", cache_report.totals(rows)["status"])

    def test_totals_of_nothing(self):
        self.assertEqual("no nodes", cache_report.totals([])["status"])
        self.assertIsNone(cache_report.totals([])["fill"])

    def test_odd_entries_count_as_zero(self):
        self.requests.get(
            v2base.NODE_B + "/v2/cache",
            json={
                "cached_images": [{"image_id": v2base.LIVE, "size": None, "hits": "many"}],
                "queued_images": [],
            },
        )
        row = self.client.cache_report.by_node([v2base.NODE_B])[0]
        self.assertEqual(
            (1, 0, 0, None), (row["images"], row["bytes"], row["hits"], row["last_accessed"])
        )


class ByImageTest(v2base.ReportTestCase):
    def test_rows_with_names(self):
        rows = self.client.cache_report.by_image()
        self.assertEqual(
            [
                {
                    "image_id": v2base.LIVE,
                    "name": "cirros",
                    "size": 300,
                    "nodes": 2,
                    "cached_on": [v2base.NODE_A, v2base.NODE_B],
                    "hits": 3,
                },
                {
                    "image_id": v2base.GONE,
                    "name": None,
                    "size": 100,
                    "nodes": 1,
                    "cached_on": [v2base.NODE_A],
                    "hits": 3,
                },
            ],
            rows,
        )
        self.assertEqual(1, self.live.call_count)  # once, though two nodes cache it
        self.assertEqual(
            [], self.calls_to("/v2/images/" + v2base.QUEUED)
        )  # queued: not in the report

    def test_lookup_forbidden_fails_the_report(self):
        self.requests.get(
            base.ENDPOINT + "/v2/images/" + v2base.GONE,
            status_code=403,
            text=base.error_body("403 Forbidden", "Access was denied to this resource."),
        )
        e = self.assertRaises(exc.HTTPForbidden, self.client.cache_report.by_image)
        self.assertIn("Access was denied", str(e))

    def test_lookup_server_error_fails_the_report(self):
        self.requests.get(
            base.ENDPOINT + "/v2/images/" + v2base.LIVE,
            status_code=503,
            text=base.error_body("503 Service Unavailable", "down"),
        )
        self.assertRaises(exc.HTTPServiceUnavailable, self.client.cache_report.by_image)
