"""``glance cache-report`` and ``glance cache-orphans`` through the real
main(), requests-mock answering for three nodes and the endpoint."""

from __future__ import annotations

import json

import fixtures

from glanceclient.tests import tables
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2 import base as v2base
from glanceclient.tests.unit.v2.base import GONE
from glanceclient.tests.unit.v2.base import LIVE
from glanceclient.tests.unit.v2.base import NODE_A
from glanceclient.tests.unit.v2.base import NODE_B
from glanceclient.tests.unit.v2.base import NODE_C
from glanceclient.tests.unit.v2.base import QUEUED


class CommandTestCase(base.ShellTestCase, v2base.ReportTestCase):
    def setUp(self):
        super().setUp()
        self.useFixture(
            fixtures.EnvironmentVariable("OS_IMAGE_NODES", " ".join((NODE_A, NODE_B, NODE_C)))
        )


class ReportCommandTest(CommandTestCase):
    def test_every_inventory_node_then_totals(self):
        status, out, err = self.run_glance("cache-report", "--all-nodes")
        self.assertEqual((1, ""), (status, err))
        table = tables.rows(out)
        self.assertEqual(
            [
                "Node",
                "Images",
                "Bytes",
                "Hits",
                "Queued",
                "Last Accessed (UTC)",
                "Fill (%)",
                "Result",
            ],
            tables.table(out)[0],
        )
        self.assertEqual([NODE_A, "2", "400", "5", "1", "2025-11-24T16:01:40", "-", "ok"], table[0])
        self.assertEqual([NODE_B, "1", "300", "1", "0", "2025-11-13T02:13:20", "-", "ok"], table[1])
        self.assertEqual(NODE_C, table[2][0])
        self.assertIn("refused", table[2][-1])
        self.assertEqual(
            ["total", "3", "700", "6", "1", "2025-11-24T16:01:40", "-", "2 ok, 1 failed"], table[3]
        )

    def test_json(self):
        """Keys in snake_case, numbers as numbers, null for missing."""
        status, out, err = self.run_glance("cache-report", "--all-nodes", "--format", "json")
        self.assertEqual((1, ""), (status, err))
        rows = json.loads(out)
        self.assertEqual(
            {
                "node": NODE_A,
                "images": 2,
                "bytes": 400,
                "hits": 5,
                "queued": 1,
                "last_accessed_utc": "2025-11-24T16:01:40",
                "fill": None,
                "status": "ok",
                "error": None,
                "error_detail": None,
            },
            rows[0],
        )
        self.assertEqual(("failed", None), (rows[2]["status"], rows[2]["images"]))
        self.assertEqual("connection refused", rows[2]["error"])
        self.assertEqual(
            ("total", 3, "2 ok, 1 failed"), (rows[3]["node"], rows[3]["images"], rows[3]["status"])
        )
        status, out, _err = self.run_glance(
            "cache-report", "--node", NODE_A, "--node", NODE_B, "--by-image", "-f", "json"
        )
        self.assertEqual(0, status)
        self.assertEqual(
            {
                "image_id": LIVE,
                "name": "cirros",
                "size": 300,
                "nodes": 2,
                "cached_on": [NODE_A, NODE_B],
                "hits": 3,
            },
            json.loads(out)[0],
        )

    def test_named_nodes_human_readable(self):
        status, out, err = self.run_glance(
            "cache-report", "--node", NODE_A, "--node", NODE_B, "--human-readable"
        )
        self.assertEqual((0, ""), (status, err))
        self.assertEqual(["400B", "300B", "700B"], [r[2] for r in tables.rows(out)])
        self.assertEqual("2 ok", tables.rows(out)[-1][-1])

    def test_all_nodes_without_inventory_is_a_usage_error(self):
        self.useFixture(fixtures.EnvironmentVariable("OS_IMAGE_NODES"))
        status, out, err = self.run_glance("cache-report", "--all-nodes")
        self.assertEqual((2, ""), (status, out))
        self.assert_one_error_line(
            err,
            "--all-nodes needs the nodes of the deployment: name the nodes once with "
            "image_nodes in clouds.yaml, OS_IMAGE_NODES (URLs separated by commas or "
            "spaces) or --os-image-nodes.",
        )
        self.assertEqual([], self.calls_to("/v2/cache"))

    def test_nodes_are_required(self):
        status, out, err = self.run_glance("cache-report")
        self.assertEqual((2, ""), (status, out))
        self.assertIn("one of the arguments --all-nodes --node is required", err)

    def test_by_image(self):
        status, out, err = self.run_glance("cache-report", "--all-nodes", "--by-image")
        self.assertEqual(1, status)
        self.assertEqual(
            ["Image ID", "Name", "Size", "Nodes", "Cached On", "Hits"], tables.table(out)[0]
        )
        self.assertEqual(
            [
                [LIVE, "cirros", "300", "2", "%s, %s" % (NODE_A, NODE_B), "3"],
                [GONE, "-", "100", "1", NODE_A, "3"],
            ],
            tables.rows(out),
        )
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertTrue(err.startswith("glance: error: No answer from: %s (" % NODE_C), err)

    def test_by_image_lookup_forbidden(self):
        self.json_error("GET", base.ENDPOINT + "/v2/images/" + GONE, 403, "Forbidden", "no")
        status, out, err = self.run_glance("cache-report", "--node", NODE_A, "--by-image")
        self.assertEqual((1, ""), (status, out))
        self.assertIn("HTTP 403 Forbidden", err)
        self.assertEqual(1, len(err.splitlines()))


class OrphansCommandTest(CommandTestCase):
    def setUp(self):
        super().setUp()
        self.deletes = {
            (node, image): self.requests.delete(node + "/v2/cache/" + image, status_code=204)
            for node in (NODE_A, NODE_B)
            for image in (LIVE, GONE, QUEUED)
        }

    def test_list(self):
        status, out, err = self.run_glance("cache-orphans", "--all-nodes")
        self.assertEqual((1, ""), (status, err))
        self.assertEqual(["Node", "Image ID", "Size", "Reason", "Result"], tables.table(out)[0])
        table = tables.rows(out)
        self.assertEqual(
            [
                [NODE_A, GONE, "100", "image not found (cached)", "ok"],
                [NODE_A, QUEUED, "-", "image not found (queued)", "ok"],
            ],
            table[:2],
        )
        self.assertEqual([NODE_C, "-", "-", "-"], table[2][:4])
        self.assertIn("refused", table[2][4])
        self.assertFalse(any(d.called for d in self.deletes.values()))

    def test_json(self):
        status, out, _err = self.run_glance("cache-orphans", "--node", NODE_A, "-f", "json")
        self.assertEqual(0, status)
        self.assertEqual(
            [
                {
                    "node": NODE_A,
                    "image_id": GONE,
                    "size": 100,
                    "reason": "image not found (cached)",
                },
                {
                    "node": NODE_A,
                    "image_id": QUEUED,
                    "size": None,
                    "reason": "image not found (queued)",
                },
            ],
            [{k: r[k] for k in ("node", "image_id", "size", "reason")} for r in json.loads(out)],
        )

    def test_delete_evicts_exactly_the_orphans(self):
        status, out, err = self.run_glance(
            "cache-orphans", "--node", NODE_A, "--node", NODE_B, "--delete"
        )
        self.assertEqual((0, ""), (status, err))
        self.assertEqual(
            [
                [NODE_A, GONE, "100", "image not found (cached)", "yes", "ok"],
                [NODE_A, QUEUED, "-", "image not found (queued)", "yes", "ok"],
            ],
            tables.rows(out),
        )
        called = {key for key, route in self.deletes.items() if route.called}
        self.assertEqual({(NODE_A, GONE), (NODE_A, QUEUED)}, called)

    def test_failed_eviction(self):
        self.json_error("DELETE", NODE_A + "/v2/cache/" + GONE, 500, "Internal Server Error", "x")
        status, out, _err = self.run_glance("cache-orphans", "--node", NODE_A, "--delete")
        self.assertEqual(1, status)
        row = tables.rows(out)[0]
        self.assertEqual([NODE_A, GONE, "100", "image not found (cached)", "no"], row[:5])
        self.assertIn("HTTP 500", row[5])

    def test_lookup_failure_evicts_nothing(self):
        self.json_error(
            "GET", base.ENDPOINT + "/v2/images/" + LIVE, 503, "Service Unavailable", "later"
        )
        status, out, err = self.run_glance("cache-orphans", "--all-nodes", "--delete")
        self.assertEqual((1, ""), (status, out))
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertIn("HTTP 503 Service Unavailable", err)
        self.assertFalse(any(d.called for d in self.deletes.values()))


class AllNodesTest(CommandTestCase):
    """--all-nodes on the per-node commands: every inventory node."""

    def test_clean_on_every_inventory_node(self):
        routes = [
            self.requests.post(node + "/v2/cache/clean", status_code=200)
            for node in (NODE_A, NODE_B)
        ]
        status, out, err = self.run_glance("cache-clean", "--all-nodes")
        self.assertEqual((1, ""), (status, err))
        self.assertEqual([NODE_A, NODE_B, NODE_C], [r[0] for r in tables.rows(out)])
        self.assertEqual([1, 1], [r.call_count for r in routes])

    def test_list_on_every_inventory_node(self):
        status, out, _err = self.run_glance("cache-list", "--all-nodes")
        self.assertEqual(1, status)
        self.assertEqual([NODE_A, NODE_A, NODE_A, NODE_B, NODE_C], [r[0] for r in tables.rows(out)])

    def test_without_inventory_a_usage_error(self):
        self.useFixture(fixtures.EnvironmentVariable("OS_IMAGE_NODES"))
        for argv in (
            ["cache-list"],
            ["cache-queue", LIVE],
            ["cache-clear"],
            ["cache-clean"],
            ["cache-prune"],
        ):
            status, out, err = self.run_glance(*argv, "--all-nodes")
            self.assertEqual((2, ""), (status, out), argv)
            self.assertIn("--all-nodes needs the nodes of the deployment", err)
        self.assertFalse(
            [r for r in self.requests.request_history if r.method in ("POST", "PUT", "DELETE")]
        )

    def test_delete_a_deleted_image_everywhere(self):
        """The nodes list answers 404 once the image is deleted: the
        inventory's nodes still evict it, and a node without it is done."""
        self.json_error("GET", base.ENDPOINT + "/v2/cache/nodes/" + GONE, 404, "Not Found", "no")
        a = self.requests.delete(NODE_A + "/v2/cache/" + GONE, status_code=204)
        self.json_error("DELETE", NODE_B + "/v2/cache/" + GONE, 404, "Not Found", "not here")
        self.requests.delete(NODE_C + "/v2/cache/" + GONE, status_code=204)
        status, out, err = self.run_glance("cache-delete", "--all-nodes", GONE)
        self.assertEqual((0, ""), (status, err))
        self.assertEqual(
            [[NODE_A, GONE, "-", "ok"], [NODE_B, GONE, "-", "ok"], [NODE_C, GONE, "-", "ok"]],
            tables.rows(out),
        )
        self.assertEqual(1, a.call_count)
