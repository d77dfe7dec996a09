"""Waiting for queued images, node by node (glanceclient.v2.cache_wait),
through the real Session with requests-mock answering each node's
GET /v2/cache in turn."""

from __future__ import annotations

from glanceclient.tests.unit import base
from glanceclient.v2 import cache_wait

NODE_A = "http://edge-a.example.test:9292"
NODE_B = "http://edge-b.example.test:9292"
NODE_C = "http://edge-c.example.test:9292"
NODE_D = "http://edge-d.example.test:9292"
IMAGE = base.IMAGE_ID


def listing(*, cached: bool = False, queued: bool = False) -> dict:
    return {
        "json": {
            "cached_images": [{"image_id": IMAGE, "size": 5, "hits": 0}] if cached else [],
            "queued_images": [IMAGE] if queued else [],
        }
    }


class WaitTest(base.TestCase):
    def setUp(self):
        super().setUp()
        self.client = self.make_client()
        for node in (NODE_A, NODE_B, NODE_C, NODE_D):
            self.mock_versions(endpoint=node)
        self.mock_versions()
        self.seen: list[tuple[str, int, int]] = []

    def wait(self, nodes, timeout=0.5):
        return cache_wait.wait_cached(
            lambda n: self.client.fleet.node_client(n).cache.list(),
            [(n, IMAGE) for n in nodes],
            timeout=timeout,
            interval=0.05,
            progress=lambda image, cached, total, waited: self.seen.append((image, cached, total)),
        )

    def test_each_final_state(self):
        a = self.requests.get(
            NODE_A + "/v2/cache", [listing(queued=True), listing(queued=True), listing(cached=True)]
        )
        self.requests.get(NODE_B + "/v2/cache", [listing(queued=True)])
        self.requests.get(NODE_C + "/v2/cache", [listing(queued=True), listing()])
        self.requests.get(
            NODE_D + "/v2/cache",
            status_code=500,
            text=base.error_body("500 Internal Server Error", "cache broken"),
        )
        found = self.wait([NODE_A, NODE_B, NODE_C, NODE_D])
        self.assertEqual(
            [
                (NODE_A, "cached", "cached"),
                (NODE_B, "queued", "not cached after 0.5 s"),
                (NODE_C, "dropped", "dropped from the queue"),
                (NODE_D, "failed", found[3].describe()),
            ],
            [(w.node, w.state, w.describe()) for w in found],
        )
        self.assertIn("cache broken", found[3].describe())
        self.assertEqual([True, False, False, False], [w.ok for w in found])
        self.assertEqual(3, a.call_count)  # not polled once cached
        self.assertEqual((IMAGE, 0, 4), self.seen[0])
        self.assertEqual((IMAGE, 1, 4), self.seen[-1])

    def test_dropped_needs_two_polls(self):
        """The queue entry goes a moment before the cached copy is recorded."""
        self.requests.get(NODE_A + "/v2/cache", [listing(), listing(cached=True)])
        self.assertEqual(["cached"], [w.state for w in self.wait([NODE_A])])

    def test_the_endpoint(self):
        self.requests.get(base.ENDPOINT + "/v2/cache", [listing(queued=True), listing(cached=True)])
        found = cache_wait.wait_cached(
            lambda n: self.client.cache.list(), [(None, IMAGE)], timeout=5, interval=0.01
        )
        self.assertEqual([(None, "cached")], [(w.node, w.state) for w in found])
