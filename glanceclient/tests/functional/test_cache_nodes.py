"""On which nodes is an image cached: the SDK, ``glance`` and ``openstack``
against two real Glance nodes sharing one database."""

from __future__ import annotations

from glanceclient.tests import tables
from glanceclient.tests.functional import base


class CacheNodesScenarioTest(base.FunctionalTest):
    def nodes_everywhere(self, image_id: str) -> set[str]:
        """Ask all three front ends; they must agree. Compared as sets:
        the server does not order the nodes."""
        node1 = self.cluster.cache_nodes[0]
        from_sdk = self.sdk(node1).cache.list_nodes(image_id)
        glance = self.glance("cache-nodes-list", image_id)
        self.assertEqual(0, glance.status, glance.err)
        from_glance = tables.column(glance.out)
        self.assertEqual(sorted(from_glance), from_glance, "glance sorts the rows")
        osc = self.openstack("cache", "nodes", "list", image_id, "-f", "json")
        self.assertEqual(0, osc.status, osc.err)
        from_osc = base.json_column(osc.out, "Node Reference URL")
        self.assertEqual(len(from_sdk), len(set(from_sdk)))
        self.assertEqual(set(from_sdk), set(from_glance))
        self.assertEqual(set(from_sdk), set(from_osc))
        return set(from_sdk)

    def test_follow_an_image_across_nodes(self) -> None:
        node_a, node_b = self.cluster.cache_nodes[:2]
        image_id = self.new_image()

        self.assertEqual(set(), self.nodes_everywhere(image_id))

        self.cluster.download_image(image_id, node_a, wait_cached=True)
        self.assertEqual({node_a.url}, self.nodes_everywhere(image_id))

        on_b = self.sdk(node_b)
        self.assertIsNone(on_b.cache.queue(image_id))
        self.cluster.wait_for(
            lambda: len(on_b.cache.list_nodes(image_id)) == 2, message="not cached on B"
        )
        self.assertEqual({node_a.url, node_b.url}, self.nodes_everywhere(image_id))

        deleted = self.glance("cache-delete", image_id, node=node_a)
        self.assertEqual((0, "", ""), deleted)
        self.assertEqual({node_b.url}, self.nodes_everywhere(image_id))

    def test_every_node_gives_the_same_answer(self) -> None:
        node_a, node_b = self.cluster.cache_nodes[:2]
        image_id = self.new_image()
        self.cluster.download_image(image_id, node_b, wait_cached=True)
        for node in (node_a, node_b):
            self.assertEqual([node_b.url], self.sdk(node).cache.list_nodes(image_id))

    def test_image_by_name(self) -> None:
        name = "by-name-" + base.random_id()[:8]
        image_id = self.new_image(name=name)
        self.cluster.download_image(image_id, self.cluster.cache_nodes[0], wait_cached=True)
        result = self.glance("cache-nodes-list", name)
        self.assertEqual(0, result.status, result.err)
        self.assertEqual([self.cluster.cache_nodes[0].url], tables.column(result.out))
        osc = self.openstack("cache", "nodes", "list", name, "-f", "value")
        self.assertEqual((0, self.cluster.cache_nodes[0].url + "\n"), (osc.status, osc.out))

    def test_one_discovery_then_one_request_per_call(self) -> None:
        client = self.sdk()
        ids = [self.new_image(b"x") for _ in range(3)]
        for image_id in ids:
            self.assertEqual([], client.cache.list_nodes(image_id))
        self.assertEqual([(2, 18)], [v for v in client.versions.offered if v == (2, 18)])
