"""The inventory, the cache report and the orphans, on real Glance 33.0.0
nodes: figures against each node's own GET /v2/cache, an image deleted
through one node found and evicted on the others, live images untouched."""

from __future__ import annotations

from glanceclient.tests.functional import base


class InventoryTest(base.FunctionalTest):
    """Three centralized_db nodes of a cluster of the test's own; the
    client's endpoint is node1."""

    cluster_shape = {"nodes": 3, "sqlite_node": False, "nocache_node": False}
    cluster_shared = False

    def setUp(self) -> None:
        super().setUp()
        self.nodes = list(self.cluster.nodes)
        self.urls = [n.url for n in self.nodes]

    def own_listing(self, node) -> dict:
        """The node's GET /v2/cache, read by the cluster's plain HTTP."""
        return self.cluster.request("GET", "/v2/cache", node).json()

    def inventory_sdk(self, **kwargs):
        sdk = self.sdk()
        return type(sdk)(
            self.nodes[0].url,
            token=self.cluster.token("admin"),
            cacert=self.cluster.cacert,
            image_nodes=[{"url": self.urls[0], "cache_max_size": 1 << 30}, *self.urls[1:]],
            **kwargs,
        )

    def test_report_figures_match_each_node(self) -> None:
        first = self.new_image(b"a" * 40000)
        second = self.new_image(b"b" * 70000)
        for node in self.nodes:
            self.cluster.download_image(first, node, wait_cached=True)
        self.cluster.download_image(second, self.nodes[1], wait_cached=True)
        client = self.inventory_sdk()
        rows = client.cache_report.by_node()
        self.assertEqual(self.urls, [r["node"] for r in rows])
        for node, row in zip(self.nodes, rows, strict=True):
            own = self.own_listing(node)
            cached = own["cached_images"]
            self.assertEqual("ok", row["status"])
            self.assertEqual(len(cached), row["images"])
            self.assertEqual(sum(i["size"] for i in cached), row["bytes"])
            self.assertEqual(sum(i["hits"] for i in cached), row["hits"])
            self.assertEqual(len(own["queued_images"]), row["queued"])
            self.assertEqual(max(i["last_accessed"] for i in cached), row["last_accessed"])
        self.assertEqual(round(rows[0]["bytes"] * 100 / (1 << 30), 1), rows[0]["fill"])
        self.assertIsNone(rows[1]["fill"])
        per_image = {r["image_id"]: r for r in client.cache_report.by_image()}
        self.assertEqual(self.urls, per_image[first]["cached_on"])
        self.assertEqual([self.urls[1]], per_image[second]["cached_on"])
        self.assertEqual(70000, per_image[second]["size"])

    def test_orphans_found_and_evicted_live_images_untouched(self) -> None:
        doomed = self.new_image(b"d" * 30000)
        live = self.new_image(b"l" * 20000)
        for node in self.nodes:
            self.cluster.download_image(doomed, node, wait_cached=True)
        for node in self.nodes[1:]:
            self.cluster.download_image(live, node, wait_cached=True)
        # Deleting through node1 evicts it there only.
        self.cluster.delete_image(doomed, self.nodes[0])
        self.assertNotIn(doomed, self.cluster.cached_image_ids(self.nodes[0]))
        for node in self.nodes[1:]:
            self.assertIn(doomed, self.cluster.cached_image_ids(node))

        client = self.inventory_sdk()
        found = client.cache_orphans.find()
        self.assertEqual(
            [(url, doomed, 30000) for url in self.urls[1:]],
            [(r["node"], r["image_id"], r["size"]) for r in found],
        )
        evicted = client.cache_orphans.evict(found)
        self.assertEqual([True, True], [r["evicted"] for r in evicted])
        for node in self.nodes[1:]:
            cached = self.cluster.cached_image_ids(node)
            self.assertNotIn(doomed, cached)
            self.assertIn(live, cached)
        self.assertEqual([], client.cache_orphans.find())
