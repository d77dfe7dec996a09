"""The inventory, the cache report and the orphans, on real Glance 33.0.0
nodes: figures against each node's own GET /v2/cache, an image deleted
through one node found and evicted on the others, live images untouched."""

from __future__ import annotations

import json
import os

import fixtures

from glanceclient.tests import tables
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

    def glance_all(self, *argv: str) -> base.Result:
        """``glance`` with the three nodes in OS_IMAGE_NODES."""
        env = self.cluster.os_environ()
        env["OS_IMAGE_NODES"] = " ".join(self.urls)
        return base.run_command(["glance", *argv], env)

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

        # glance: the same figures, from the environment's inventory.
        shown = self.glance_all("cache-report", "--all-nodes")
        self.assertEqual((0, ""), (shown.status, shown.err), shown)
        table = tables.rows(shown.out)
        self.assertEqual([*self.urls, "total"], [r[0] for r in table])
        for node, cells in zip(self.nodes, table, strict=False):
            cached = self.own_listing(node)["cached_images"]
            self.assertEqual(
                [str(len(cached)), str(sum(i["size"] for i in cached))], cells[1:3], cells
            )
        self.assertEqual("3 ok", table[-1][-1])
        by_image = self.glance_all("cache-report", "--all-nodes", "--by-image")
        self.assertEqual(0, by_image.status, by_image)
        rows = {r[0]: r for r in tables.rows(by_image.out)}
        self.assertEqual(["3", ", ".join(self.urls)], rows[first][3:5])

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

    def test_orphans_with_glance_and_openstack(self) -> None:
        doomed = self.new_image(b"d" * 30000)
        live = self.new_image(b"l" * 20000)
        for node in self.nodes:
            for image in (doomed, live):
                self.cluster.download_image(image, node, wait_cached=True)
        self.cluster.delete_image(doomed, self.nodes[0])

        found = self.glance_all("cache-orphans", "--all-nodes")
        self.assertEqual((0, ""), (found.status, found.err), found)
        self.assertEqual(
            [[url, doomed, "30000", "image not found (cached)", "ok"] for url in self.urls[1:]],
            tables.rows(found.out),
        )
        env = {"OS_IMAGE_NODES": ",".join(self.urls)}
        osc = base.run_command(
            ["openstack", "cache", "orphans", "--all-nodes", "--delete", "-f", "json"],
            {
                "OS_AUTH_TYPE": "admin_token",
                "OS_ENDPOINT": self.urls[0],
                "OS_TOKEN": self.cluster.token("admin"),
                **env,
            },
        )
        self.assertEqual(0, osc.status, osc)
        self.assertEqual(self.urls[1:], [r["Node"] for r in json.loads(osc.out)])
        for node in self.nodes:
            cached = self.cluster.cached_image_ids(node)
            self.assertNotIn(doomed, cached)
            self.assertIn(live, cached)
        none = self.glance_all("cache-orphans", "--all-nodes", "--delete")
        self.assertEqual((0, []), (none.status, tables.rows(none.out)), none)

    def test_inventory_and_url_map_from_clouds_yaml_with_hyphens(self) -> None:
        """Host names with '-' as written in clouds.yaml, reached through
        the URL map (whose keys once lost their '-')."""
        named = [
            "http://glance-node-%d:%s" % (n, u.rsplit(":", 1)[1]) for n, u in enumerate(self.urls)
        ]
        folder = self.useFixture(fixtures.TempDir()).path
        path = os.path.join(folder, "clouds.yaml")
        cloud = {
            "auth_type": "admin_token",
            "auth": {"endpoint": self.urls[0], "token": self.cluster.token("admin")},
            "image_nodes": [{"url": named[0], "cache_max_size": 1 << 20}, *named[1:]],
            "image_node_url_map": {
                "http://glance-node-%d:" % n: "http://127.0.0.1:" for n in range(3)
            },
        }
        with open(path, "w") as f:
            json.dump({"clouds": {"edge-site": cloud}}, f)
        image = self.new_image(b"c" * 1000)
        self.cluster.download_image(image, self.nodes[2], wait_cached=True)
        shown = base.run_command(
            ["glance", "--os-cloud", "edge-site", "cache-report", "--all-nodes"],
            {"OS_CLIENT_CONFIG_FILE": path, "OS_IMAGE_URL": self.urls[0]},
        )
        self.assertEqual((0, ""), (shown.status, shown.err), shown)
        table = tables.rows(shown.out)
        self.assertEqual([*named, "total"], [r[0] for r in table])
        self.assertEqual("3 ok", table[-1][-1])
        self.assertEqual("1", table[2][1])

    def test_skip_unreachable_with_a_stopped_node(self) -> None:
        """node3 stopped: the report and the orphans skip it (#22 item 5),
        the orphans of node2 are evicted, nothing on node3 is asked."""
        doomed = self.new_image(b"d" * 30000)
        live = self.new_image(b"l" * 20000)
        for node in self.nodes:
            for image in (doomed, live):
                self.cluster.download_image(image, node, wait_cached=True)
        self.cluster.delete_image(doomed, self.nodes[0])  # evicted on node1 only
        n1, n2, n3 = self.nodes
        n3.stop()
        skip = ("--all-nodes", "--skip-unreachable", "--probe-timeout", "2")

        report = self.glance_all("cache-report", *skip)
        self.assertEqual((0, ""), (report.status, report.err), report)
        table = tables.rows(report.out)
        self.assertEqual(
            [
                [n1.url, "ok"],
                [n2.url, "ok"],
                [n3.url, "skipped: unreachable"],
                ["total", "2 ok, 1 skipped"],
            ],
            [[r[0], r[-1]] for r in table],
        )
        # The totals are those of the nodes that answered, from their own listings.
        cached = [self.own_listing(n)["cached_images"] for n in (n1, n2)]
        self.assertEqual(
            [str(sum(map(len, cached))), str(sum(i["size"] for c in cached for i in c))],
            table[3][1:3],
        )
        shown = self.glance_all("cache-report", *skip, "-f", "json")
        self.assertEqual(0, shown.status, shown)
        self.assertEqual(
            {"node": n3.url, "status": "skipped", "error": "unreachable", "images": None},
            {k: json.loads(shown.out)[2][k] for k in ("node", "status", "error", "images")},
        )

        orphans = self.glance_all("cache-orphans", *skip, "--delete")
        self.assertEqual((0, ""), (orphans.status, orphans.err), orphans)
        self.assertEqual(
            [
                [n2.url, doomed, "30000", "image not found (cached)", "yes", "ok"],
                [n3.url, "-", "-", "-", "-", "skipped: unreachable"],
            ],
            tables.rows(orphans.out),
        )
        self.assertNotIn(doomed, self.cluster.cached_image_ids(n2))
        for node in (n1, n2):
            self.assertIn(live, self.cluster.cached_image_ids(node))

        osc = base.run_command(
            ["openstack", "cache", "report", *skip, "-f", "json"],
            {
                "OS_AUTH_TYPE": "admin_token",
                "OS_ENDPOINT": self.urls[0],
                "OS_TOKEN": self.cluster.token("admin"),
                "OS_IMAGE_NODES": ",".join(self.urls),
            },
        )
        self.assertEqual(0, osc.status, osc)
        self.assertEqual(
            [(n1.url, "ok"), (n2.url, "ok"), (n3.url, "skipped"), ("total", "2 ok, 1 skipped")],
            [(r["Node"], r["Status"]) for r in json.loads(osc.out)],
        )
