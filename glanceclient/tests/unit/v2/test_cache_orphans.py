"""Orphans of glanceclient.v2.cache_orphans: found from the nodes' listings
and the endpoint's 404s, evicted exactly, through the real Session."""

from __future__ import annotations

import json

from glanceclient import exc
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2 import base as v2base


class OrphansTest(v2base.ReportTestCase):
    """A: LIVE and GONE cached, QUEUED queued; B: LIVE; C refused. B also
    caches GONE here."""

    def setUp(self):
        super().setUp()
        self.requests.get(
            v2base.NODE_B + "/v2/cache",
            json={
                "cached_images": [
                    v2base.entry(v2base.LIVE, 300, 1, 1763000000.0),
                    v2base.entry(v2base.GONE, 100, 0, 1763000000.0),
                ],
                "queued_images": [],
            },
        )
        self.deletes = {
            (node, image): self.requests.delete(node + "/v2/cache/" + image, status_code=204)
            for node in (v2base.NODE_A, v2base.NODE_B, v2base.NODE_C)
            for image in (v2base.LIVE, v2base.GONE, v2base.QUEUED)
        }

    def test_find(self):
        rows = self.client.cache_orphans.find()
        self.assertEqual(
            [
                (v2base.NODE_A, "ok", v2base.GONE, 100, "image not found (cached)"),
                (v2base.NODE_A, "ok", v2base.QUEUED, None, "image not found (queued)"),
                (v2base.NODE_B, "ok", v2base.GONE, 100, "image not found (cached)"),
                (v2base.NODE_C, "failed", None, None, None),
            ],
            [(r["node"], r["status"], r["image_id"], r["size"], r["reason"]) for r in rows],
        )
        self.assertIsNone(rows[0]["error"])
        self.assertIsNone(rows[0]["evicted"])
        self.assertIn("refused", rows[3]["error"])
        json.dumps(rows)
        # each image looked up once, though met on two nodes
        self.assertEqual(1, len(self.calls_to("/v2/images/" + v2base.GONE)))
        self.assertEqual(1, len(self.calls_to("/v2/images/" + v2base.LIVE)))
        self.assertFalse(any(d.called for d in self.deletes.values()))

    def test_skipped_node_is_never_evicted_from(self):
        self.requests.get(v2base.NODE_A + "/healthcheck", text="OK")
        self.requests.get(v2base.NODE_B + "/healthcheck", exc=base.refused())
        found = self.client.cache_orphans.find(
            [v2base.NODE_A, v2base.NODE_B], skip_unreachable=True
        )
        self.assertEqual(
            [(v2base.NODE_A, "ok"), (v2base.NODE_A, "ok"), (v2base.NODE_B, "skipped")],
            [(r["node"], r["status"]) for r in found],
        )
        rows = self.client.cache_orphans.evict(found)
        self.assertEqual([True, True, None], [r["evicted"] for r in rows])
        called = {key for key, route in self.deletes.items() if route.called}
        self.assertEqual({(v2base.NODE_A, v2base.GONE), (v2base.NODE_A, v2base.QUEUED)}, called)

    def test_evict_deletes_exactly_the_orphans(self):
        rows = self.client.cache_orphans.evict(self.client.cache_orphans.find())
        self.assertEqual([True, True, True, None], [r["evicted"] for r in rows])
        called = {key for key, route in self.deletes.items() if route.called}
        self.assertEqual(
            {
                (v2base.NODE_A, v2base.GONE),
                (v2base.NODE_A, v2base.QUEUED),
                (v2base.NODE_B, v2base.GONE),
            },
            called,
        )
        for key in called:
            self.assertEqual(1, self.deletes[key].call_count)
            self.assertEqual(base.TOKEN, self.deletes[key].last_request.headers["X-Auth-Token"])

    def test_failed_eviction_fails_its_row(self):
        self.requests.delete(
            v2base.NODE_B + "/v2/cache/" + v2base.GONE,
            status_code=500,
            text=base.error_body("500 Internal Server Error", "disk on fire"),
        )
        rows = self.client.cache_orphans.evict(self.client.cache_orphans.find())
        self.assertEqual(
            [("ok", True), ("ok", True), ("failed", False)],
            [(r["status"], r["evicted"]) for r in rows[:3]],
        )
        self.assertIn("disk on fire", rows[2]["error"])

    def assert_lookup_failure_stops_everything(self, status, title, error_class):
        self.requests.get(
            base.ENDPOINT + "/v2/images/" + v2base.LIVE,
            status_code=status,
            text=base.error_body("%d %s" % (status, title), "no"),
        )
        self.assertRaises(error_class, self.client.cache_orphans.find)
        self.assertFalse(any(d.called for d in self.deletes.values()))

    def test_lookup_forbidden(self):
        self.assert_lookup_failure_stops_everything(403, "Forbidden", exc.HTTPForbidden)

    def test_lookup_server_error(self):
        self.assert_lookup_failure_stops_everything(
            500, "Internal Server Error", exc.HTTPInternalServerError
        )

    def test_lookup_unanswered(self):
        self.requests.get(base.ENDPOINT + "/v2/images/" + v2base.GONE, exc=base.refused())
        self.assertRaises(exc.CommunicationError, self.client.cache_orphans.find)

    def test_live_images_only(self):
        self.requests.get(
            v2base.NODE_B + "/v2/cache",
            json={
                "cached_images": [v2base.entry(v2base.LIVE, 300, 1, 1.0)],
                "queued_images": [v2base.LIVE],
            },
        )
        self.assertEqual([], self.client.cache_orphans.find([v2base.NODE_B]))
        self.assertEqual([], self.client.cache_orphans.evict([]))
