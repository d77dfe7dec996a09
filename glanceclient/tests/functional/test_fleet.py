"""Acting on the nodes the nodes list names, on real Glance 33.0.0 nodes:
--check, --node fan-out, --all-nodes eviction and queue-and-wait; a node
that never answers (--node-timeout), a stopped one (--skip-unreachable),
SIGINT during a fan-out, every --format parsed back."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import time

import yaml

from glanceclient.tests import tables
from glanceclient.tests.fakeglance import wire
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
        self.check_bounded_and_skipping(n1, n2, n3)

    def check_bounded_and_skipping(self, n1, n2, n3) -> None:
        """node2 disabled, node3 stopped, and a fake node that accepts
        connections and never answers (#22 items 4, 5)."""
        mute = wire.Mute()
        wire.in_thread(mute)
        self.addCleanup(mute.server_close)
        self.addCleanup(mute.shutdown)

        # --node-timeout bounds the silent node; the others' rows are kept.
        began = time.monotonic()
        listing = self.glance(
            "cache-list", "--node", n1.url, "--node", mute.url, "--node-timeout", "2", "-f", "json"
        )
        took = time.monotonic() - began
        self.assertEqual((1, ""), (listing.status, listing.err), listing)
        self.assertGreaterEqual(took, 2)
        self.assertLess(took, 20)  # the 600 s of --timeout otherwise
        by_node = {}
        for row in json.loads(listing.out):
            by_node.setdefault(row["node"], []).append(row)
        self.assertEqual({"ok"}, {row["status"] for row in by_node[n1.url]})
        [silent] = by_node[mute.url]
        self.assertEqual(("failed", "no answer within 2 s"), (silent["status"], silent["error"]))
        for fmt, parse in (("yaml", yaml.safe_load), ("csv", _csv), ("value", str.split)):
            shown = self.glance("cache-list", "--node", n1.url, "-f", fmt)
            self.assertEqual((0, ""), (shown.status, shown.err))
            self.assertTrue(parse(shown.out), fmt)

        # --skip-unreachable: the stopped node is skipped, the disabled one
        # (alive) is asked; the exit status is 0.
        cleaned = self.glance(
            "cache-clean",
            "--node",
            n1.url,
            "--node",
            n2.url,
            "--node",
            n3.url,
            "--skip-unreachable",
        )
        self.assertEqual((0, ""), (cleaned.status, cleaned.err), cleaned)
        self.assertEqual(
            [[n1.url, "ok"], [n2.url, "ok"], [n3.url, "skipped: unreachable"]],
            tables.rows(cleaned.out),
        )

        # SIGINT during a fan-out: the rows of the nodes that finished, the
        # others interrupted, exit status 130.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OS_", "GLANCECLIENT_"))}
        env.update(self.cluster.os_environ("admin", None), OS_CLIENT_CONFIG_FILE="/nonexistent")
        argv = ["cache-clean", "--node", n1.url, "--node", mute.url, "--max-parallel", "1"]
        proc = subprocess.Popen(
            [str(base.BIN / "glance"), *argv],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.addCleanup(proc.kill)
        held = len(mute.held)
        self.cluster.wait_for(lambda: len(mute.held) > held)  # node1 done, the mute asked
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        self.assertEqual((130, ""), (proc.returncode, err))
        self.assertEqual([[n1.url, "ok"], [mute.url, "interrupted"]], tables.rows(out))


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


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
