"""``glance cache-queue --wait`` through the real main(): each node's own
listing polled until the image is cached, dropped or late (#22 item 8)."""

from __future__ import annotations

import io

import fixtures

from glanceclient import shell
from glanceclient.tests import tables
from glanceclient.tests.unit import base

NODE_A = "http://node_a:60999"
NODE_B = "http://node_b:60999"
NODE_C = "http://node_c:60999"


class QueueWaitTest(base.ShellTestCase):
    def setUp(self):
        super().setUp()
        self.mock_versions()
        for node in (NODE_A, NODE_B, NODE_C):
            self.mock_versions(endpoint=node)
        image = {"id": base.IMAGE_ID, "name": "cirros", "status": "active"}
        self.requests.get(base.ENDPOINT + "/v2/images/" + base.IMAGE_ID, json=image)
        self.requests.get(base.ENDPOINT + "/v2/images", json={"images": [image]})
        self.useFixture(fixtures.MonkeyPatch("glanceclient.v2.commands.cache.WAIT_INTERVAL", 0.01))

    def listing(self, node, *states):
        """The node's GET /v2/cache answers, one per poll: ``cached``,
        ``queued`` or ``gone`` for the image."""
        self.requests.get(
            node + "/v2/cache",
            [
                {
                    "json": {
                        "cached_images": [{"image_id": base.IMAGE_ID, "size": 1}]
                        if state == "cached"
                        else [],
                        "queued_images": [base.IMAGE_ID] if state == "queued" else [],
                    }
                }
                for state in states
            ],
        )

    def test_queue_and_wait(self):
        """Each node's own listing tells when it has cached the image."""
        for node in (NODE_A, NODE_B):
            self.requests.put(node + "/v2/cache/" + base.IMAGE_ID, status_code=202)
        self.listing(NODE_A, "queued", "cached")
        self.listing(NODE_B, "cached")
        status, out, err = self.run_glance(
            "cache-queue", "--node", NODE_A, "--node", NODE_B, "--wait", base.IMAGE_ID
        )
        self.assertEqual((0, ""), (status, err))
        self.assertEqual(["Node", "Image", "Name", "State", "Result"], tables.table(out)[0])
        self.assertEqual(
            [
                [NODE_A, base.IMAGE_ID, "cirros", "cached", "ok"],
                [NODE_B, base.IMAGE_ID, "cirros", "cached", "ok"],
            ],
            tables.rows(out),
        )
        self.assertEqual([], self.calls_to("/v2/cache/nodes/" + base.IMAGE_ID))

    def test_queue_and_wait_shows_progress_on_a_terminal(self):
        """The progress line names the image and counts the nodes
        (was: 'Waiting for N node(s)', #22 item 8)."""
        for node in (NODE_A, NODE_B):
            self.requests.put(node + "/v2/cache/" + base.IMAGE_ID, status_code=202)
        self.listing(NODE_A, "queued", "cached")
        self.listing(NODE_B, "queued", "queued", "cached")
        terminal = base.Terminal()
        self.useFixture(fixtures.MonkeyPatch("sys.stderr", terminal))
        out = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch("sys.stdout", out))
        status = shell.main(
            [*base.TOKEN_ARGS, "cache-queue", "--node", NODE_A, "--node", NODE_B]
            + ["--wait", base.IMAGE_ID]
        )
        self.assertEqual(0, status)
        progress = terminal.getvalue()
        for done in (0, 1, 2):
            self.assertIn("Waiting for cirros: %d/2 nodes cached..." % done, progress)
        # The line is cleared; then, after the table, how the nodes fared (#22).
        self.assertTrue(progress.endswith("\r\033[K2 ok\n"), repr(progress))
        self.assertIn("\r\033[K1/2 nodes done\r\033[K2/2 nodes done\r\033[K", progress)
        self.assertEqual(2, len(tables.rows(out.getvalue())))

    def test_queue_and_wait_final_states(self):
        """The table reports each node's final state, not 'ok' for all (was:
        an error line naming the late nodes, #22 item 8); --wait-timeout
        replaces the command's --timeout, which is deprecated."""
        for node in (NODE_A, NODE_B, NODE_C):
            self.requests.put(node + "/v2/cache/" + base.IMAGE_ID, status_code=202)
        self.listing(NODE_A, "cached")
        self.listing(NODE_B, "queued")
        self.listing(NODE_C, "queued", "gone")
        status, out, err = self.run_glance(
            "cache-queue",
            *("--node", NODE_A, "--node", NODE_B, "--node", NODE_C),
            *("--wait", "--wait-timeout", "0.2", base.IMAGE_ID),
        )
        self.assertEqual((1, ""), (status, err))
        self.assertEqual(
            [
                [NODE_A, base.IMAGE_ID, "cirros", "cached", "ok"],
                [NODE_B, base.IMAGE_ID, "cirros", "queued", "not cached after 0.2 s"],
                [NODE_C, base.IMAGE_ID, "cirros", "dropped", "dropped from the queue"],
            ],
            tables.rows(out),
        )
        # The command's --timeout still works, with a warning.
        status, out, err = self.run_glance(
            "cache-queue", "--node", NODE_B, "--wait", "--timeout", "0.1", base.IMAGE_ID
        )
        self.assertEqual(1, status)
        self.assertEqual(
            "glance: warning: cache-queue --timeout is deprecated: use --wait-timeout.\n", err
        )
        self.assertEqual("not cached after 0.1 s", tables.rows(out)[0][-1])

    def test_queue_and_wait_refused_by_a_node(self):
        self.requests.put(NODE_A + "/v2/cache/" + base.IMAGE_ID, status_code=202)
        self.json_error(
            "PUT", NODE_B + "/v2/cache/" + base.IMAGE_ID, 400, "Bad Request", "not active"
        )
        self.listing(NODE_A, "cached")
        status, out, _err = self.run_glance(
            "cache-queue", "--node", NODE_A, "--node", NODE_B, "--wait", base.IMAGE_ID
        )
        self.assertEqual(1, status)
        rows = tables.rows(out)
        self.assertEqual([NODE_B, base.IMAGE_ID, "cirros", "failed"], rows[1][:4])
        self.assertIn("HTTP 400 Bad Request", rows[1][4])
        polled = {r.netloc for r in self.requests.request_history if r.method == "GET"}
        self.assertNotIn("node_b:60999", polled)  # node B is not waited for

    def test_wait_without_nodes_waits_for_the_endpoint(self):
        """Without --node, the node that took the request (was: a usage error)."""
        queued = self.requests.put(base.ENDPOINT + "/v2/cache/" + base.IMAGE_ID, status_code=202)
        self.listing(base.ENDPOINT, "queued", "cached")
        status, out, err = self.run_glance("cache-queue", "--wait", base.IMAGE_ID)
        self.assertEqual((0, ""), (status, err))
        self.assertEqual(
            [[base.ENDPOINT, base.IMAGE_ID, "cirros", "cached", "ok"]], tables.rows(out)
        )
        self.assertEqual(1, queued.call_count)
