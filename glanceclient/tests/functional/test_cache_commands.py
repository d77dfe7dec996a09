"""The per-node cache commands against a real node: list, queue, delete,
clear, clean and prune do what they say, on that node only."""

from __future__ import annotations

import csv
import io
import json

import yaml

from glanceclient.tests import tables
from glanceclient.tests.functional import base


class PerNodeCommandsTest(base.FunctionalTest):
    def setUp(self) -> None:
        super().setUp()
        self.node_a, self.node_b = self.cluster.cache_nodes[:2]

    def cached_on(self, node, image_id: str) -> bool:
        return image_id in {i["image_id"] for i in self.sdk(node).cache.list()["cached_images"]}

    def test_list_shows_the_cached_image(self) -> None:
        data = b"0123456789abcdef" * 1024
        name = "listed-" + base.random_id()[:8]
        image_id = self.new_image(data, name=name)
        self.cluster.download_image(image_id, self.node_a, wait_cached=True)
        listing = self.sdk(self.node_a).cache.list()
        entry = next(i for i in listing["cached_images"] if i["image_id"] == image_id)
        self.assertEqual(len(data), entry["size"])
        self.assertIsInstance(entry["last_accessed"], float)
        result = self.glance("cache-list", node=self.node_a)
        self.assertEqual(0, result.status, result.err)
        cells = next(row for row in tables.rows(result.out) if row[0] == image_id)
        self.assertEqual([image_id, name, "cached"], cells[:3])
        self.assertEqual(str(len(data)), cells[5])
        # Every --format, parsed back (#22).
        shown = self.glance("cache-list", "-f", "json", node=self.node_a)
        self.assertEqual((0, ""), (shown.status, shown.err))
        entry = next(e for e in json.loads(shown.out) if e["id"] == image_id)
        self.assertEqual(
            (name, "cached", len(data)), (entry["name"], entry["state"], entry["size"])
        )
        self.assertIsInstance(entry["hits"], int)
        shown = self.glance("cache-list", "-f", "yaml", node=self.node_a)
        self.assertIn(entry, yaml.safe_load(shown.out))
        shown = self.glance("cache-list", "-f", "csv", node=self.node_a)
        found = [r for r in csv.DictReader(io.StringIO(shown.out)) if r["id"] == image_id]
        self.assertEqual([str(len(data))], [r["size"] for r in found])
        shown = self.glance("cache-list", "-f", "value", "-c", "id", "-c", "name", node=self.node_a)
        self.assertIn("%s %s" % (image_id, name), shown.out.splitlines())
        self.assertFalse(self.cached_on(self.node_b, image_id))

    def test_queue_then_delete_with_glance(self) -> None:
        first, second = self.new_image(), self.new_image()
        result = self.glance("cache-queue", first, second, node=self.node_b)
        self.assertEqual((0, "", ""), result)
        for image_id in (first, second):
            self.cluster.wait_for(lambda i=image_id: self.cached_on(self.node_b, i))
            self.assertFalse(self.cached_on(self.node_a, image_id))
        result = self.glance("cache-delete", first, node=self.node_b)
        self.assertEqual((0, "", ""), result)
        self.assertFalse(self.cached_on(self.node_b, first))
        self.assertTrue(self.cached_on(self.node_b, second))

    def test_queue_several_with_one_missing(self) -> None:
        good, missing = self.new_image(), base.random_id()
        result = self.glance("cache-queue", missing, good, node=self.node_a)
        self.assertEqual(1, result.status)
        self.assertEqual(1, len(result.err.splitlines()), result.err)
        self.assertIn("Unable to queue image %s: HTTP 404 Not Found" % missing, result.err)
        self.cluster.wait_for(lambda: self.cached_on(self.node_a, good))

    def test_clear_cache_and_queue(self) -> None:
        image_id = self.new_image()
        self.cluster.download_image(image_id, self.node_b, wait_cached=True)
        result = self.glance("cache-clear", "--target", "cache", node=self.node_b)
        self.assertEqual((0, "", ""), result)
        self.assertEqual([], self.sdk(self.node_b).cache.list()["cached_images"])
        self.assertEqual([], self.sdk(self.node_a).cache.list_nodes(image_id))
        self.sdk(self.node_b).cache.clear("queue")
        self.assertEqual([], self.sdk(self.node_b).cache.list()["queued_images"])
        self.sdk(self.node_b).cache.clear()

    def test_clean_and_prune(self) -> None:
        self.assertEqual((0, "", ""), self.glance("cache-clean", node=self.node_a))
        result = self.sdk(self.node_a).cache.prune()
        self.assertEqual({"total_files_pruned", "total_bytes_pruned"}, set(result))
        self.assertTrue(all(isinstance(v, int) for v in result.values()))
        shown = self.glance("cache-prune", node=self.node_a)
        self.assertEqual(0, shown.status, shown.err)
        self.assertIn("| total_files_pruned |", shown.out)
        osc = self.openstack("cache", "prune", "-f", "json", node=self.node_a)
        self.assertEqual(0, osc.status, osc.err)
        self.assertIn('"total_bytes_pruned"', osc.out)
        cleaned = self.openstack("cache", "clean", node=self.node_a)
        self.assertEqual((0, ""), (cleaned.status, cleaned.out), cleaned.err)

    def test_member_cannot_queue(self) -> None:
        image_id = self.new_image()
        result = self.glance("cache-queue", image_id, role="member", node=self.node_a)
        self.assert_fails_with(result, "glance: error: ", "HTTP 403 Forbidden")

    def test_queue_on_node_without_cache(self) -> None:
        image_id = self.new_image()
        node = self.cluster.nocache_node
        result = self.glance("cache-queue", image_id, node=node)
        self.assert_fails_with(
            result,
            "glance: error: ",
            "Image caching is not enabled on the Glance API at " + node.url,
        )
