"""Acting on the nodes the nodes list names, on real Glance 33.0.0 nodes:
--check, --node fan-out, --all-nodes eviction and queue-and-wait."""

from __future__ import annotations

import json

from glanceclient.tests import tables
from glanceclient.tests.functional import base

rows = tables.rows


class FleetTest(base.FunctionalTest):
    """Three centralized_db nodes of a cluster of the test's own (a node is
    stopped); the client's endpoint is node1."""

    cluster_shape = {"nodes": 3, "sqlite_node": False, "nocache_node": False}
    cluster_shared = False

    def setUp(self) -> None:
        super().setUp()
        self.node1, self.node2, self.node3 = self.cluster.nodes

    def listed(self, image_id: str) -> list[str]:
        return self.cluster.cached_nodes(image_id)

    def test_check_fan_out_evict_everywhere_and_wait(self) -> None:
        n1, n2, n3 = self.node1, self.node2, self.node3
        image_id = self.new_image()
        for node in (n2, n3):
            self.cluster.download_image(image_id, node, wait_cached=True)
        self.assertEqual(sorted([n2.url, n3.url]), self.listed(image_id))

        # Queue on node1 and wait until its own cache holds it (--wait-timeout
        # replaces the command's --timeout, #22 item 8).
        queued = self.glance(
            "cache-queue", "--node", n1.url, "--wait", "--wait-timeout", "60", image_id
        )
        self.assertEqual((0, ""), (queued.status, queued.err), queued)
        self.assertEqual(
            [[n1.url, image_id, "cached", "ok"]],
            [r[:2] + r[-2:] for r in tables.rows(queued.out)],
        )
        self.assertIn(n1.url, self.listed(image_id))

        # Fan-out: each node's own cache, one table.
        listing = self.glance("cache-list", "--node", n1.url, "--node", n2.url, "--node", n3.url)
        self.assertEqual(0, listing.status, listing.err)
        mine = [r for r in tables.rows(listing.out) if r[1] == image_id]
        self.assertEqual([n1.url, n2.url, n3.url], [r[0] for r in mine])
        self.assertEqual({"cached"}, {r[3] for r in mine})

        # Evict everywhere, checked through the nodes list.
        evicted = self.glance("cache-delete", "--all-nodes", image_id)
        self.assertEqual((0, ""), (evicted.status, evicted.err), evicted)
        self.assertEqual(
            sorted([[n.url, image_id, "ok"] for n in (n1, n2, n3)]),
            sorted(r[:2] + r[-1:] for r in tables.rows(evicted.out)),
        )
        self.assertEqual([], self.listed(image_id))

        # Cached again on node2 and node3; node2 disabled, node3 stopped.
        for node in (n2, n3):
            self.cluster.download_image(image_id, node, wait_cached=True)
        n2.disable()
        self.addCleanup(n2.disable, False)
        n3.stop()
        checked = self.glance("cache-nodes-list", "--check", "--probe-timeout", "2", image_id)
        self.assertEqual((0, ""), (checked.status, checked.err), checked)
        self.assertIn("| Node Reference URL", checked.out)
        states = {r[0]: r[1:] for r in tables.rows(checked.out)}
        self.assertEqual({n2.url, n3.url}, set(states))  # the stale row stays listed
        self.assertEqual("disabled", states[n2.url][0])
        float(states[n2.url][1])
        self.assertEqual(["unreachable", "-"], states[n3.url])

        sdk = {s.url: s for s in self.sdk().fleet.check(image_id, timeout=2)}
        self.assertEqual("disabled", sdk[n2.url].status)
        self.assertEqual("unreachable", sdk[n3.url].status)
        self.assertIsNone(sdk[n3.url].latency_ms)

        osc = self.openstack("cache", "nodes", "list", "--check", image_id, "-f", "json")
        self.assertEqual(0, osc.status, osc.err)
        self.assertEqual(
            {n2.url: "disabled", n3.url: "unreachable"},
            {r["Node Reference URL"]: r["Status"] for r in json.loads(osc.out)},
        )

        # A dead node fails its own row only.
        cleaned = self.glance("cache-clean", "--node", n1.url, "--node", n2.url, "--node", n3.url)
        self.assertEqual((1, ""), (cleaned.status, cleaned.err), cleaned)
        result = {r[0]: r[1] for r in tables.rows(cleaned.out)}
        self.assertEqual("ok", result[n1.url])
        self.assertEqual("ok", result[n2.url])
        self.assertEqual("connection refused", result[n3.url])  # one short reason (#22)
        pruned = self.openstack("cache", "prune", "--node", n1.url, "--node", n3.url, "-f", "json")
        self.assertEqual(1, pruned.status, pruned.err)
        # Status and error apart, nulls in the number columns (#22).
        ok, dead = json.loads(pruned.out)
        self.assertEqual(("ok", None, None), (ok["Status"], ok["Error"], ok["Error Detail"]))
        self.assertEqual(
            (None, "failed", "connection refused"),
            (dead["Files Pruned"], dead["Status"], dead["Error"]),
        )
        self.assertIn("Unable to connect to " + n3.url, dead["Error Detail"]["message"])


class FleetErrorsTest(base.FunctionalTest):
    """On the shared cluster: what a member may not do, nothing done."""

    def test_member_gets_one_line_and_nothing_is_done(self) -> None:
        node_a, node_b = self.cluster.cache_nodes[:2]
        image_id = self.new_image()
        self.cluster.download_image(image_id, node_a, wait_cached=True)
        for argv in (
            ("cache-nodes-list", "--check", image_id),
            ("cache-delete", "--all-nodes", image_id),
        ):
            result = self.glance(*argv, role="member")
            self.assert_fails_with(result, "glance: error: ", "HTTP 403 Forbidden")
        self.assertEqual([node_a.url], self.cluster.cached_nodes(image_id))

    def test_node_with_a_path_is_a_usage_error(self) -> None:
        node_a = self.cluster.cache_nodes[0]
        result = self.glance("cache-clean", "--node", node_a.url + "/v2")
        self.assertEqual((2, ""), (result.status, result.out))
        self.assertIn("must not hold a path", result.err)
