"""Where ``glance`` and ``openstack`` find the inventory and the node URL
map: options, environment, clouds.yaml (keys as written, hyphens kept)."""

from __future__ import annotations

import json

import fixtures

from glanceclient.osc.v2 import cache as osc_cache
from glanceclient.tests import utils as test_utils
from glanceclient.tests.unit import base
from glanceclient.tests.unit.osc import base as osc_test
from glanceclient.v2 import client as v2_client

NODE_A = "http://glance-api-0.internal:9292"
NODE_B = "http://glance-api-1.internal:9292"
REACHABLE_A = "http://edge-1.example.test:9292"


class GlanceInventoryTest(base.ShellTestCase):
    def setUp(self):
        super().setUp()
        built: list[v2_client.Client] = []

        def keep(*args, **kwargs):
            built.append(real(*args, **kwargs))
            return built[-1]

        real = v2_client.Client
        self.useFixture(fixtures.MockPatchObject(v2_client, "Client", side_effect=keep))
        self.built = built
        self.clean = self.requests.post(base.ENDPOINT + "/v2/cache/clean", status_code=200)
        self.mock_versions()

    def clouds_yaml(self, **settings) -> None:
        self.password_env()  # Keystone answering
        for name in ("OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD", "OS_PROJECT_NAME"):
            self.useFixture(fixtures.EnvironmentVariable(name))
        clouds = test_utils.CloudsYaml("edge", base.AUTH_URL, "admin", "s3cret-pass", "admin")
        clouds.document["clouds"]["edge"].update(settings)
        self.useFixture(clouds)

    def inventory(self, *argv: str, cloud: bool = False) -> list[dict]:
        """Run ``glance <argv> cache-clean``; the inventory it was given."""
        if cloud:
            argv = ("--os-cloud", "edge", "--os-image-url", base.ENDPOINT, *argv)
        status, _out, err = self.run_glance(*argv, "cache-clean", token_args=not cloud)
        self.assertEqual((0, ""), (status, err))
        return self.built[-1].inventory.to_list()

    def test_none(self):
        self.assertEqual([], self.inventory())

    def test_environment(self):
        self.useFixture(fixtures.EnvironmentVariable("OS_IMAGE_NODES", NODE_A + ", " + NODE_B))
        self.assertEqual(
            [{"url": NODE_A, "cache_max_size": None}, {"url": NODE_B, "cache_max_size": None}],
            self.inventory(),
        )

    def test_option_over_environment(self):
        self.useFixture(fixtures.EnvironmentVariable("OS_IMAGE_NODES", NODE_A))
        self.assertEqual(
            [NODE_B, REACHABLE_A],
            [
                n["url"]
                for n in self.inventory(
                    "--os-image-nodes", NODE_B, "--os-image-nodes", REACHABLE_A + " " + NODE_B
                )
            ],
        )

    def test_clouds_yaml_with_hyphens_and_sizes(self):
        self.clouds_yaml(image_nodes=[NODE_A, {"url": NODE_B, "cache_max_size": 5368709120}])
        self.assertEqual(
            [
                {"url": NODE_A, "cache_max_size": None},
                {"url": NODE_B, "cache_max_size": 5368709120},
            ],
            self.inventory(cloud=True),
        )

    def test_environment_over_clouds_yaml(self):
        self.clouds_yaml(image_nodes=[NODE_A])
        self.useFixture(fixtures.EnvironmentVariable("OS_IMAGE_NODES", NODE_B))
        self.assertEqual([NODE_B], [n["url"] for n in self.inventory(cloud=True)])

    def assert_usage_error(self, argv, expected) -> None:
        with_token = "--os-cloud" not in argv
        status, out, err = self.run_glance(*argv, "cache-clean", token_args=with_token)
        self.assertEqual((2, ""), (status, out))
        self.assert_one_error_line(err, expected)
        self.assertEqual(0, self.clean.call_count)

    def test_bad_option_entry_is_a_usage_error(self):
        self.assert_usage_error(
            ("--os-image-nodes", NODE_A + ",ftp://edge-9"),
            "--os-image-nodes: 'ftp://edge-9' is not a node URL: give one like http://node_1:9292.",
        )

    def test_bad_environment_entry_is_a_usage_error(self):
        self.useFixture(fixtures.EnvironmentVariable("OS_IMAGE_NODES", NODE_A + "/v2"))
        self.assert_usage_error(
            (),
            "OS_IMAGE_NODES: '%s/v2' is not a node URL: it must not hold a path, a query "
            "or a fragment." % NODE_A,
        )

    def test_bad_clouds_yaml_entry_is_a_usage_error(self):
        self.clouds_yaml(image_nodes=[{"url": NODE_A, "cache-max-size": 10}])
        self.assert_usage_error(
            ("--os-cloud", "edge", "--os-image-url", base.ENDPOINT),
            "clouds.yaml image_nodes: {'url': '%s', 'cache-max-size': 10} is not a node: "
            "give url and optionally cache_max_size." % NODE_A,
        )

    def test_url_map_from_clouds_yaml_keeps_hyphens(self):
        """The documented example: host names with '-' as the map's keys."""
        self.clouds_yaml(image_node_url_map={"http://glance-api-0.internal:9292": REACHABLE_A})
        self.mock_versions(endpoint=REACHABLE_A)
        clean = self.requests.post(REACHABLE_A + "/v2/cache/clean", status_code=200)
        status, out, err = self.run_glance(
            "--os-cloud", "edge", "cache-clean", "--node", NODE_A, token_args=False
        )
        self.assertEqual((0, ""), (status, err))
        self.assertIn("| %s | ok " % NODE_A, out)
        self.assertEqual(1, clean.call_count)
        self.assertEqual(base.TOKEN, clean.last_request.headers["X-Auth-Token"])


class OscInventoryTest(base.TestCase):
    """The plugin's client gets the inventory and the URL map: option, then
    environment, then clouds.yaml as written."""

    def setUp(self):
        super().setUp()
        osc_test.isolate_environment(self)
        self.cloud = {
            "auth_type": "admin_token",
            "auth": {"endpoint": base.ENDPOINT, "token": base.TOKEN},
            "image_node_url_map": {"http://glance-api-": "http://edge-"},
            "image_nodes": [NODE_A, {"url": NODE_B, "cache_max_size": 1024}],
        }

    def client(self, *argv):
        from glanceclient.osc import plugin

        path = self.useFixture(fixtures.TempDir()).path + "/clouds.yaml"
        with open(path, "w") as f:
            json.dump({"clouds": {"edge": self.cloud}}, f)
        self.useFixture(fixtures.EnvironmentVariable("OS_CLIENT_CONFIG_FILE", path))
        app = osc_test.osc_app(["--os-cloud", "edge", *argv], osc_cache.ListCacheNodes)
        return plugin.make_client(app.client_manager)

    def test_clouds_yaml_as_written(self):
        client = self.client()
        self.assertEqual({"http://glance-api-": "http://edge-"}, client.fleet.url_map.rules)
        self.assertEqual("http://edge-0.internal:9292", client.fleet.endpoint(NODE_A))
        self.assertEqual(
            [{"url": NODE_A, "cache_max_size": None}, {"url": NODE_B, "cache_max_size": 1024}],
            client.inventory.to_list(),
        )

    def test_environment_over_clouds_yaml(self):
        self.useFixture(fixtures.EnvironmentVariable("OS_IMAGE_NODES", REACHABLE_A))
        self.assertEqual([REACHABLE_A], self.client().inventory.urls)

    def test_option_over_environment(self):
        self.useFixture(fixtures.EnvironmentVariable("OS_IMAGE_NODES", REACHABLE_A))
        client = self.client("--os-image-nodes", NODE_B, "--os-image-nodes", NODE_A)
        self.assertEqual([NODE_B, NODE_A], client.inventory.urls)

    def test_bad_entry(self):
        from osc_lib import exceptions

        self.cloud["image_nodes"] = ["http://edge-9:9292/v2"]
        e = self.assertRaises(exceptions.CommandError, self.client)
        self.assertIn("'http://edge-9:9292/v2' is not a node URL", str(e))


class ShellCloudsYamlHelperTest(base.TestCase):
    """Without a clouds.yaml entry (a value from the command line), the
    loaded configuration's value is used."""

    def test_value_of_the_configuration(self):
        from glanceclient.cli import clouds_yaml

        class Region:
            config = {"image_node_url_map": {"a": "http://b"}, "image_nodes": "http://c"}

        self.assertEqual({"a": "http://b"}, clouds_yaml.setting(Region(), "image_node_url_map"))
        self.assertEqual("http://c", clouds_yaml.setting(Region(), "image_nodes"))
        self.assertIsNone(clouds_yaml.setting(Region(), "other"))
        self.assertIsNone(clouds_yaml.setting(None, "image_nodes"))
