"""The fleet options of the ``glance cache-*`` commands: --check, --node,
--all-nodes, --wait and the node URL map, through the real main() with
requests-mock answering."""

from __future__ import annotations

import fixtures
import requests

from glanceclient.tests import tables
from glanceclient.tests.unit import base

NODES_URL = base.ENDPOINT + "/v2/cache/nodes/" + base.IMAGE_ID
NODE_A = "http://node_a:60999"
NODE_B = "http://node_b:60999"
NODE_C = "http://node_c:60999"
FORBIDDEN = base.error_body(
    "403 Forbidden", "You are not authorized to complete list_cached_nodes action."
)


class GlanceFleetTest(base.ShellTestCase):
    def setUp(self):
        super().setUp()
        self.mock_versions()
        for node in (NODE_A, NODE_B, NODE_C):
            self.mock_versions(endpoint=node)

    def mock_image(self, status="active"):
        """The image, named cirros, by ID and in a listing of IDs."""
        image = {"id": base.IMAGE_ID, "name": "cirros", "status": status}
        self.requests.get(base.ENDPOINT + "/v2/images/" + base.IMAGE_ID, json=image)
        self.requests.get(base.ENDPOINT + "/v2/images", json={"images": [image]})

    def test_check_adds_status_and_latency(self):
        self.requests.get(NODES_URL, json=[NODE_C, NODE_B, NODE_A])
        self.requests.get(NODE_A + "/healthcheck", text="OK")
        self.requests.get(NODE_B + "/healthcheck", status_code=503, text="DISABLED BY FILE")
        self.requests.get(NODE_C + "/healthcheck", exc=base.refused())
        status, out, err = self.run_glance("cache-nodes-list", "--check", base.IMAGE_ID)
        self.assertEqual((0, ""), (status, err))
        header = tables.table(out)[0]
        self.assertEqual(["Node Reference URL", "Status", "Latency (ms)"], header)
        rows = tables.rows(out)
        self.assertEqual(
            [[NODE_A, "ok"], [NODE_B, "disabled"], [NODE_C, "unreachable"]],
            [row[:2] for row in rows],
        )
        float(rows[0][2])
        self.assertEqual("-", rows[2][2])

    def test_check_forbidden_is_one_line_and_probes_nothing(self):
        self.requests.get(NODES_URL, status_code=403, text=FORBIDDEN)
        probe = self.requests.get(NODE_A + "/healthcheck", text="OK")
        status, out, err = self.run_glance("cache-nodes-list", "--check", base.IMAGE_ID)
        self.assertEqual((1, ""), (status, out))
        self.assert_one_error_line(
            err,
            "HTTP 403 Forbidden: You are not authorized to complete list_cached_nodes action. "
            "(GET %s)" % NODES_URL,
        )
        self.assertEqual(0, probe.call_count)

    def test_url_map_from_the_environment_shown_under_debug(self):
        self.useFixture(
            fixtures.EnvironmentVariable("OS_IMAGE_NODE_URL_MAP", "http://node_a=http://10.0.0.1")
        )
        self.requests.get(NODES_URL, json=[NODE_A])
        probe = self.requests.get("http://10.0.0.1:60999/healthcheck", text="OK")
        status, out, _ = self.run_glance("cache-nodes-list", "--check", base.IMAGE_ID)
        self.assertEqual(0, status)
        self.assertEqual([NODE_A, "ok"], tables.rows(out)[0][:2])
        self.assertNotIn("10.0.0.1", out)
        status, out, _ = self.run_glance("--debug", "cache-nodes-list", "--check", base.IMAGE_ID)
        self.assertIn("| Mapped URL ", out)
        self.assertEqual([NODE_A, "http://10.0.0.1:60999", "ok"], tables.rows(out)[0][:3])
        self.assertEqual(2, probe.call_count)

    def test_url_map_option_beats_the_environment(self):
        self.useFixture(fixtures.EnvironmentVariable("OS_IMAGE_NODE_URL_MAP", "http://x=http://y"))
        self.mock_versions(endpoint="http://10.0.0.2:60999")
        clean = self.requests.post("http://10.0.0.2:60999/v2/cache/clean", status_code=200)
        status, out, err = self.run_glance(
            "--os-image-node-url-map",
            "http://node_b=http://10.0.0.2",
            "cache-clean",
            "--node",
            NODE_B,
        )
        self.assertEqual(0, status, err)
        self.assertEqual([[NODE_B, "ok"]], tables.rows(out))
        self.assertEqual(1, clean.call_count)

    def test_clean_on_nodes_one_failing(self):
        routes = [
            self.requests.post(NODE_A + "/v2/cache/clean", status_code=200),
            self.requests.post(NODE_B + "/v2/cache/clean", exc=base.refused()),
            self.requests.post(NODE_C + "/v2/cache/clean", status_code=200),
        ]
        status, out, err = self.run_glance(
            "cache-clean", "--node", NODE_A, "--node", NODE_B, "--node", NODE_C
        )
        self.assertEqual((1, ""), (status, err))
        self.assertIn("| Node ", out.splitlines()[1])
        self.assertIn("| Result ", out.splitlines()[1])
        rows = tables.rows(out)
        self.assertEqual([NODE_A, "ok"], rows[0])
        self.assertEqual([NODE_B, "connection refused"], rows[1])  # one short reason (#22)
        self.assertEqual([NODE_C, "ok"], rows[2])
        self.assertEqual([1, 1, 1], [r.call_count for r in routes])
        # The endpoint itself is left alone.
        self.assertFalse(
            [r for r in self.requests.request_history if r.url.startswith(base.ENDPOINT + "/v2")]
        )

    def test_prune_list_clear_queue_delete_on_nodes(self):
        for node in (NODE_A, NODE_B):
            self.requests.post(
                node + "/v2/cache/prune", json={"total_files_pruned": 1, "total_bytes_pruned": 42}
            )
            self.requests.get(
                node + "/v2/cache",
                json={"cached_images": [], "queued_images": [base.IMAGE_ID]},
            )
            self.requests.delete(node + "/v2/cache", status_code=204)
            self.requests.put(node + "/v2/cache/" + base.IMAGE_ID, status_code=202)
            self.requests.delete(node + "/v2/cache/" + base.IMAGE_ID, status_code=204)
        self.mock_image()
        both = ["--node", NODE_A, "--node", NODE_B]
        status, out, _ = self.run_glance("cache-prune", *both)
        self.assertEqual(0, status)
        self.assertEqual([[NODE_A, "1", "42", "ok"], [NODE_B, "1", "42", "ok"]], tables.rows(out))
        status, out, _ = self.run_glance("cache-list", *both, "--max-parallel", "1")
        self.assertEqual(0, status)
        self.assertEqual([NODE_A, base.IMAGE_ID, "cirros", "queued"], tables.rows(out)[0][:4])
        status, out, _ = self.run_glance("cache-clear", "--target", "queue", *both)
        self.assertEqual([[NODE_A, "ok"], [NODE_B, "ok"]], tables.rows(out))
        for command in ("cache-queue", "cache-delete"):
            status, out, _ = self.run_glance(command, *both, base.IMAGE_ID)
            self.assertEqual(0, status)
            self.assertEqual(
                [[NODE_A, base.IMAGE_ID, "cirros", "ok"], [NODE_B, base.IMAGE_ID, "cirros", "ok"]],
                tables.rows(out),
            )

    def test_delete_on_all_nodes(self):
        self.mock_image()
        self.requests.get(NODES_URL, json=[NODE_B, NODE_A])
        a = self.requests.delete(NODE_A + "/v2/cache/" + base.IMAGE_ID, status_code=204)
        b = self.requests.delete(
            NODE_B + "/v2/cache/" + base.IMAGE_ID, exc=requests.exceptions.ConnectTimeout
        )
        status, out, err = self.run_glance("cache-delete", "--all-nodes", base.IMAGE_ID)
        self.assertEqual((1, ""), (status, err))
        rows = tables.rows(out)
        self.assertEqual([[NODE_A, base.IMAGE_ID, "cirros", "ok"]], rows[:1])
        self.assertEqual([NODE_B, base.IMAGE_ID, "cirros", "timed out"], rows[1])
        self.assertEqual((1, 1), (a.call_count, b.call_count))

    def test_delete_on_all_nodes_forbidden_deletes_nothing(self):
        self.requests.get(NODES_URL, status_code=403, text=FORBIDDEN)
        status, out, err = self.run_glance("cache-delete", "--all-nodes", base.IMAGE_ID)
        self.assertEqual((1, ""), (status, out))
        self.assertEqual(1, len(err.splitlines()))
        self.assertFalse([r for r in self.requests.request_history if r.method == "DELETE"])

    def test_usage_errors(self):
        for argv in (
            ["cache-clean", "--node", NODE_A + "/v2"],
            ["cache-clean", "--node", NODE_A + "?x=1"],
            ["cache-clean", "--node", NODE_A + "#top"],
            ["cache-delete", "--all-nodes", "--node", NODE_A, base.IMAGE_ID],
            ["cache-queue", "--wait", "--wait-timeout", "0", base.IMAGE_ID],
            ["cache-clean", "--node", NODE_A, "--max-parallel", "0"],
            ["cache-nodes-list", "--check", "--probe-timeout", "-1", base.IMAGE_ID],
        ):
            status, out, err = self.run_glance(*argv)
            self.assertEqual((2, ""), (status, out), argv)
            self.assertIn("error:", err)
        self.assertFalse(
            [r for r in self.requests.request_history if r.method in ("POST", "PUT", "DELETE")]
        )

    def test_queue_of_an_image_not_active_is_refused_once(self):
        self.mock_image(status="queued")
        puts = [
            self.requests.put(node + "/v2/cache/" + base.IMAGE_ID, status_code=202)
            for node in (NODE_A, NODE_B)
        ]
        status, out, err = self.run_glance(
            "cache-queue", "--node", NODE_A, "--node", NODE_B, base.IMAGE_ID
        )
        self.assertEqual((1, ""), (status, out))
        self.assert_one_error_line(
            err, "Image %s is queued; only active images can be cached." % base.IMAGE_ID
        )
        self.assertEqual([0, 0], [p.call_count for p in puts])

    def test_queue_of_an_unknown_image_is_refused_once(self):
        self.requests.get(base.ENDPOINT + "/v2/images/" + base.IMAGE_ID, status_code=404)
        put = self.requests.put(NODE_A + "/v2/cache/" + base.IMAGE_ID, status_code=202)
        status, out, err = self.run_glance("cache-queue", "--node", NODE_A, base.IMAGE_ID)
        self.assertEqual((1, ""), (status, out))
        self.assertIn("HTTP 404 Not Found", err)
        self.assertEqual(0, put.call_count)

    def test_url_map_from_clouds_yaml(self):
        from glanceclient.tests import utils as test_utils

        self.password_env()  # Keystone answering, OS_* set
        for name in ("OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD", "OS_PROJECT_NAME"):
            self.useFixture(fixtures.EnvironmentVariable(name))
        clouds = test_utils.CloudsYaml("edge", base.AUTH_URL, "admin", "s3cret-pass", "admin")
        clouds.document["clouds"]["edge"]["image_node_url_map"] = {
            "http://node_a": "http://10.0.0.1"
        }
        self.useFixture(clouds)
        self.mock_versions(endpoint="http://10.0.0.1:60999")
        clean = self.requests.post("http://10.0.0.1:60999/v2/cache/clean", status_code=200)
        status, out, err = self.run_glance(
            "--os-cloud", "edge", "cache-clean", "--node", NODE_A, token_args=False
        )
        self.assertEqual(0, status, err)
        self.assertEqual([[NODE_A, "ok"]], tables.rows(out))
        self.assertEqual(base.TOKEN, clean.last_request.headers["X-Auth-Token"])

    def test_help_names_the_options(self):
        status, out, _ = self.run_glance("help", "cache-delete", token_args=False)
        self.assertEqual(0, status)
        for option in ("--node <URL>", "--all-nodes", "--max-parallel"):
            self.assertIn(option, out)
