"""The fleet options of ``openstack cache ...``: --check, --node and the node
URL map, through the real OSC command classes with requests-mock answering."""

from __future__ import annotations

import json

import fixtures
import requests

from glanceclient.osc.v2 import cache as osc_cache
from glanceclient.tests.unit import base
from glanceclient.tests.unit.osc import base as osc_test

NODES_URL = base.ENDPOINT + "/v2/cache/nodes/" + base.IMAGE_ID
NODE_A = "http://node_a:60999"
NODE_B = "http://node_b:60999"


class OscFleetTest(osc_test.TestCommand):
    def setUp(self):
        super().setUp()
        self.mock_versions()
        for node in (NODE_A, NODE_B):
            self.mock_versions(endpoint=node)

    def test_nodes_list_check_in_json(self):
        self.requests.get(NODES_URL, json=[NODE_B, NODE_A])
        self.requests.get(NODE_A + "/healthcheck", text="OK")
        self.requests.get(NODE_B + "/healthcheck", exc=requests.exceptions.ConnectTimeout)
        cmd = osc_cache.ListCacheNodes(self.app, None)
        out = self.run_command(
            cmd,
            [base.IMAGE_ID, "--check", "--probe-timeout", "1", "-f", "json"],
            [("check", True), ("probe_timeout", 1.0), ("formatter", "json")],
        )
        rows = json.loads(out)
        self.assertEqual(
            [("ok", NODE_A), ("unreachable", NODE_B)],
            [(r["Status"], r["Node Reference URL"]) for r in rows],
        )
        self.assertIsInstance(rows[0]["Latency (ms)"], float)
        self.assertIsNone(rows[1]["Latency (ms)"])

    def test_nodes_list_check_in_csv_and_value(self):
        self.requests.get(NODES_URL, json=[NODE_A])
        self.requests.get(NODE_A + "/healthcheck", status_code=503)
        cmd = osc_cache.ListCacheNodes(self.app, None)
        out = self.run_command(cmd, [base.IMAGE_ID, "--check", "-f", "csv"], [])
        self.assertTrue(out.startswith('"Node Reference URL","Status","Latency (ms)"'), out)
        self.assertIn('"%s","disabled",' % NODE_A, out)

    def test_clean_on_nodes(self):
        self.requests.post(NODE_A + "/v2/cache/clean", status_code=200)
        self.requests.post(
            NODE_B + "/v2/cache/clean",
            status_code=500,
            text=base.error_body("500 Internal Server Error", "boom"),
        )
        cmd = osc_cache.CleanCache(self.app, None)
        parsed = self.check_parser(
            cmd, ["--node", NODE_A, "--node", NODE_B, "-f", "value"], [("node", [NODE_A, NODE_B])]
        )
        self.assertEqual(1, cmd.run(parsed))
        lines = self.fake_stdout.make_string().splitlines()
        # Status and error apart, in the data formats (#22).
        self.assertEqual(NODE_A + " ok  ", lines[0])
        self.assertTrue(
            lines[1].startswith(NODE_B + " failed HTTP 500 Internal Server Error: boom {"),
            lines[1],
        )

    def test_prune_on_nodes(self):
        for node in (NODE_A, NODE_B):
            self.requests.post(
                node + "/v2/cache/prune", json={"total_files_pruned": 2, "total_bytes_pruned": 9}
            )
        cmd = osc_cache.PruneCache(self.app, None)
        out = self.run_command(
            cmd, ["--node", NODE_A, "--node", NODE_B, "-f", "json"], [("node", [NODE_A, NODE_B])]
        )
        done = {"Status": "ok", "Error": None, "Error Detail": None}
        self.assertEqual(
            [
                {"Node": NODE_A, "Files Pruned": 2, "Bytes Pruned": 9, **done},
                {"Node": NODE_B, "Files Pruned": 2, "Bytes Pruned": 9, **done},
            ],
            json.loads(out),
        )

    def test_prune_on_nodes_failing_in_json(self):
        """The plugin's data formats follow glance's rules (#22): null, not a
        dash, in number fields; status and error apart."""
        self.requests.post(
            NODE_A + "/v2/cache/prune", json={"total_files_pruned": 2, "total_bytes_pruned": 9}
        )
        self.requests.post(NODE_B + "/v2/cache/prune", exc=base.refused())
        cmd = osc_cache.PruneCache(self.app, None)
        parsed = self.check_parser(
            cmd, ["--node", NODE_A, "--node", NODE_B, "-f", "json"], [("node", [NODE_A, NODE_B])]
        )
        self.assertEqual(1, cmd.run(parsed))
        failed = json.loads(self.fake_stdout.make_string())[1]
        self.assertEqual(
            (NODE_B, None, None, "failed", "connection refused"),
            tuple(failed[k] for k in ("Node", "Files Pruned", "Bytes Pruned", "Status", "Error")),
        )
        self.assertIn("Unable to connect to", failed["Error Detail"]["message"])

    def test_prune_on_nodes_in_a_table(self):
        self.requests.post(
            NODE_A + "/v2/cache/prune", json={"total_files_pruned": 2, "total_bytes_pruned": 9}
        )
        cmd = osc_cache.PruneCache(self.app, None)
        out = self.run_command(cmd, ["--node", NODE_A], [("node", [NODE_A])])
        self.assertIn("| Node ", out)
        self.assertIn("| %s |            2 |            9 | ok     |" % NODE_A, out)

    def test_node_with_a_path_is_refused(self):
        from osc_lib.test import base as osc_base

        cmd = osc_cache.CleanCache(self.app, None)
        self.assertRaises(
            osc_base.ParserException, self.check_parser, cmd, ["--node", NODE_A + "/v2"], []
        )


class OscUrlMapTest(base.TestCase):
    """The URL map reaches the plugin's client: option, then
    OS_IMAGE_NODE_URL_MAP, then clouds.yaml."""

    def setUp(self):
        super().setUp()
        osc_test.isolate_environment(self)
        folder = self.useFixture(fixtures.TempDir()).path
        path = folder + "/clouds.yaml"
        with open(path, "w") as f:
            json.dump(
                {
                    "clouds": {
                        "edge": {
                            "auth_type": "admin_token",
                            "auth": {"endpoint": base.ENDPOINT, "token": base.TOKEN},
                            "image_node_url_map": {"http://node_a": "http://10.0.0.1"},
                        }
                    }
                },
                f,
            )
        self.useFixture(fixtures.EnvironmentVariable("OS_CLIENT_CONFIG_FILE", path))

    def rules(self, *argv):
        from glanceclient.osc import plugin

        app = osc_test.osc_app(["--os-cloud", "edge", *argv], osc_cache.ListCacheNodes)
        return plugin.make_client(app.client_manager).fleet.url_map.rules

    def test_clouds_yaml(self):
        self.assertEqual({"http://node_a": "http://10.0.0.1"}, self.rules())

    def test_environment_over_clouds_yaml(self):
        self.useFixture(
            fixtures.EnvironmentVariable("OS_IMAGE_NODE_URL_MAP", "http://node_b=http://10.0.0.2")
        )
        self.assertEqual({"http://node_b": "http://10.0.0.2"}, self.rules())

    def test_option_over_environment(self):
        self.useFixture(
            fixtures.EnvironmentVariable("OS_IMAGE_NODE_URL_MAP", "http://node_b=http://10.0.0.2")
        )
        self.assertEqual(
            {"http://node_c": "http://10.0.0.3", "http://node_d": "http://10.0.0.4"},
            self.rules(
                "--os-image-node-url-map",
                "http://node_c=http://10.0.0.3",
                "--os-image-node-url-map",
                "http://node_d=http://10.0.0.4",
            ),
        )
