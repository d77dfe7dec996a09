"""Tests of the OpenStackClient plugin module (glanceclient.osc.plugin)."""

from __future__ import annotations

import argparse
import subprocess
import sys

import fixtures
from keystoneauth1 import fixture as ksa_fixture
from osc_lib import exceptions

from glanceclient.osc import plugin
from glanceclient.osc.v2 import cache
from glanceclient.tests.unit import base
from glanceclient.tests.unit.osc import base as osc_test
from glanceclient.v2 import client as v2_client

IDENTITY = "http://keystone.example.test/identity/v3"
CATALOG_IMAGE = "http://catalog.example.test:9292/v2"
CATALOG_INTERNAL = "http://internal.example.test:9292"
NODE = "http://node-1.example.test:9292"
KEYSTONE_TOKEN = "tok-keystone-5d2a"
PASSWORD_ARGS = [
    "--os-auth-url", IDENTITY,
    "--os-username", "admin",
    "--os-password", "secret",
    "--os-project-name", "admin",
    "--os-user-domain-id", "default",
    "--os-project-domain-id", "default",
]  # fmt: skip


class TestModule(base.TestCase):
    def test_api_name_is_its_own(self) -> None:
        self.assertEqual("image_cache", plugin.API_NAME)
        self.assertEqual("os_image_cache_api_version", plugin.API_VERSION_OPTION)
        self.assertEqual({"2": "glanceclient.v2.client.Client"}, plugin.API_VERSIONS)
        self.assertEqual("2", plugin.DEFAULT_API_VERSION)

    def test_option_default(self) -> None:
        self.useFixture(fixtures.EnvironmentVariable("OS_IMAGE_CACHE_API_VERSION"))
        parser = plugin.build_option_parser(argparse.ArgumentParser())
        self.assertIsNone(parser.parse_args([]).os_image_cache_api_version)
        self.assertEqual(
            "2", parser.parse_args(["--os-image-cache-api-version", "2"]).os_image_cache_api_version
        )

    def test_option_from_environment(self) -> None:
        self.useFixture(fixtures.EnvironmentVariable("OS_IMAGE_CACHE_API_VERSION", "2"))
        parser = plugin.build_option_parser(argparse.ArgumentParser())
        self.assertEqual("2", parser.parse_args([]).os_image_cache_api_version)

    def new_modules(self, preload: str, module: str) -> list[str]:
        """The modules importing ``module`` loads, after ``preload``."""
        code = (
            "import sys; %s; before = set(sys.modules); import %s; "
            "print(' '.join(sorted(set(sys.modules) - before)))" % (preload, module)
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
        )
        return out.stdout.split()

    def test_plugin_import_is_light(self) -> None:
        # OpenStackClient imports the plugin at every start, for any command.
        self.assertEqual(
            ["glanceclient", "glanceclient._i18n", "glanceclient.osc", "glanceclient.osc.plugin"],
            self.new_modules(
                "import argparse, gettext, locale, os, typing", "glanceclient.osc.plugin"
            ),
        )

    def test_command_module_import_is_light(self) -> None:
        # cliff loads every command class of a group at every start too.
        self.assertEqual(
            [
                "glanceclient",
                "glanceclient._i18n",
                "glanceclient.osc",
                "glanceclient.osc.plugin",
                "glanceclient.osc.v2",
                "glanceclient.osc.v2.cache",
            ],
            self.new_modules(
                "import gettext, locale; import osc_lib.command.command, osc_lib.exceptions",
                "glanceclient.osc.v2.cache",
            ),
        )


class TestMakeClient(base.TestCase):
    """make_client gets OpenStackClient's session, region, interface and the
    endpoint, from a ClientManager built by OpenStackClient itself."""

    def setUp(self) -> None:
        super().setUp()
        osc_test.isolate_environment(self)
        token = ksa_fixture.V3Token(user_name="admin", methods=["password"])
        token.set_project_scope(name="admin")
        service = token.add_service("image", name="glance")
        service.add_standard_endpoints(
            public=CATALOG_IMAGE, internal=CATALOG_INTERNAL, region="RegionOne"
        )
        self.requests.get(IDENTITY, json={"version": ksa_fixture.V3Discovery(IDENTITY)})
        self.auth = self.requests.post(
            IDENTITY + "/auth/tokens", json=token, headers={"X-Subject-Token": KEYSTONE_TOKEN}
        )
        self.client_class = self.useFixture(
            fixtures.MockPatchObject(
                v2_client, "Client", autospec=True, side_effect=v2_client.Client
            )
        ).mock

    def make(self, *argv: str):
        """Run make_client on the ClientManager of ``openstack <argv> cache
        nodes list``; returns it and the client."""
        manager = osc_test.osc_app(list(argv), cache.ListCacheNodes).client_manager
        return manager, plugin.make_client(manager)

    def assert_built(self, manager, endpoint, *, region=None, interface="public") -> None:
        self.client_class.assert_called_once_with(
            endpoint, session=manager.session, interface=interface, region_name=region
        )

    def list_nodes(self, client, root: str) -> dict:
        """List the nodes through ``client``; check it went to ``root``."""
        versions = self.mock_versions(endpoint=root)
        nodes = self.requests.get(root + "/v2/cache/nodes/" + base.IMAGE_ID, json=[NODE])
        self.assertEqual([NODE], client.cache.list_nodes(base.IMAGE_ID))
        self.assertEqual((1, 0), (nodes.call_count, versions.call_count))
        return nodes.last_request.headers

    def test_allow_http_nodes(self) -> None:
        manager, client = self.make(*PASSWORD_ARGS)
        self.assertFalse(client.fleet.allow_http_nodes)
        for argv, env in ((["--os-image-allow-http-nodes"], None), ([], "yes")):
            self.client_class.reset_mock()
            with fixtures.EnvironmentVariable("OS_IMAGE_ALLOW_HTTP_NODES", env):
                manager, client = self.make(*argv, *PASSWORD_ARGS)
            self.assertTrue(client.fleet.allow_http_nodes)

    def test_catalog(self) -> None:
        manager, client = self.make(*PASSWORD_ARGS)

        self.assert_built(manager, None)
        headers = self.list_nodes(client, "http://catalog.example.test:9292")
        self.assertEqual(KEYSTONE_TOKEN, headers["X-Auth-Token"])
        self.assertEqual(1, self.auth.call_count)

    def test_catalog_region_and_interface(self) -> None:
        manager, client = self.make(
            *PASSWORD_ARGS, "--os-region-name", "RegionOne", "--os-interface", "internal"
        )

        self.assert_built(manager, None, region="RegionOne", interface="internal")
        self.list_nodes(client, CATALOG_INTERNAL)

    def test_image_interface_of_the_configuration(self) -> None:
        self.useFixture(fixtures.EnvironmentVariable("OS_IMAGE_INTERFACE", "internal"))
        manager, client = self.make(*PASSWORD_ARGS)

        self.assert_built(manager, None, interface="internal")
        self.list_nodes(client, CATALOG_INTERNAL)

    def test_os_endpoint_root(self) -> None:
        manager, client = self.make(
            "--os-auth-type", "admin_token", "--os-token", base.TOKEN, "--os-endpoint", NODE
        )

        self.assert_built(manager, NODE)
        headers = self.list_nodes(client, NODE)
        self.assertEqual(base.TOKEN, headers["X-Auth-Token"])
        self.assertEqual(0, self.auth.call_count)

    def test_os_endpoint_v2(self) -> None:
        manager, client = self.make(
            "--os-auth-type", "admin_token", "--os-token", base.TOKEN, "--os-endpoint", NODE + "/v2"
        )

        self.assert_built(manager, NODE + "/v2")
        self.list_nodes(client, NODE)

    def test_auth_type_none(self) -> None:
        manager, client = self.make("--os-auth-type", "none", "--os-endpoint", NODE + "/v2/")

        self.assert_built(manager, NODE + "/v2/")
        headers = self.list_nodes(client, NODE)
        # keystoneauth1's "none" plugin sends this placeholder.
        self.assertEqual("notused", headers["X-Auth-Token"])
        self.assertEqual(0, self.auth.call_count)

    def test_auth_type_none_from_environment(self) -> None:
        self.useFixture(fixtures.EnvironmentVariable("OS_AUTH_TYPE", "none"))
        self.useFixture(fixtures.EnvironmentVariable("OS_ENDPOINT", NODE))
        manager, client = self.make()

        self.assert_built(manager, NODE)

    def test_os_endpoint_aims_password_credentials_at_a_node(self) -> None:
        manager, client = self.make(*PASSWORD_ARGS, "--os-endpoint", NODE)

        self.assert_built(manager, NODE)
        headers = self.list_nodes(client, NODE)
        self.assertEqual(KEYSTONE_TOKEN, headers["X-Auth-Token"])

    def test_image_endpoint_override(self) -> None:
        self.useFixture(fixtures.EnvironmentVariable("OS_IMAGE_ENDPOINT_OVERRIDE", NODE + "/v2"))
        manager, client = self.make(*PASSWORD_ARGS)

        self.assert_built(manager, NODE + "/v2")
        self.list_nodes(client, NODE)

    def test_os_endpoint_beats_image_endpoint_override(self) -> None:
        self.useFixture(
            fixtures.EnvironmentVariable("OS_IMAGE_ENDPOINT_OVERRIDE", "http://lb.example.test")
        )
        manager, client = self.make("--os-auth-type", "none", "--os-endpoint", NODE)

        self.assert_built(manager, NODE)

    def test_unsupported_version(self) -> None:
        manager = osc_test.osc_app(
            ["--os-auth-type", "none", "--os-endpoint", NODE, "--os-image-cache-api-version", "1"],
            cache.ListCacheNodes,
        ).client_manager
        e = self.assertRaises(exceptions.CommandError, plugin.make_client, manager)
        self.assertEqual("Image API version 1 is not supported; use 2.", str(e))
        self.client_class.assert_not_called()

    def test_unusable_endpoints(self) -> None:
        for argv, where in (
            (["--os-auth-type", "none", "--os-endpoint", NODE + "?x=1"], "?x=1"),
            (["--os-auth-type", "none", "--os-endpoint", "ftp://node"], "ftp://node"),
            (PASSWORD_ARGS, "#frag"),
        ):
            with fixtures.EnvironmentVariable("OS_IMAGE_ENDPOINT_OVERRIDE", NODE + "/#frag"):
                manager = osc_test.osc_app(list(argv), cache.ListCacheNodes).client_manager
                e = self.assertRaises(exceptions.CommandError, plugin.make_client, manager)
            self.assertIn("cannot be used", str(e))
            self.assertIn(where, str(e))
        self.assertEqual([], [r.url for r in self.requests.request_history if "/v2" in r.url])


class TestOpenStackClientKeepsItsImageClient(base.TestCase):
    """Registering the plugin leaves ``openstack image ...`` and ``openstack
    cached image ...`` on OpenStackClient's own (openstacksdk) client."""

    def setUp(self) -> None:
        super().setUp()
        osc_test.isolate_environment(self)

    def test_registered_under_its_own_name(self) -> None:
        from openstackclient.common import clientmanager
        from openstackclient.image import client as osc_image
        from osc_lib import clientmanager as osc_lib_clientmanager

        names = [module.API_NAME for module in clientmanager.PLUGIN_MODULES]
        self.assertIn(plugin, clientmanager.PLUGIN_MODULES)
        self.assertEqual(len(names), len(set(names)))
        self.assertEqual(1, names.count("image"))
        caches = vars(osc_lib_clientmanager.ClientManager)
        self.assertIs(osc_image.make_client, caches["image"].factory)
        self.assertIs(plugin.make_client, caches["image_cache"].factory)

    def test_clients_behind_the_commands(self) -> None:
        from openstack.image.v2 import _proxy
        from osc_lib import clientmanager as osc_lib_clientmanager

        manager = osc_test.osc_app(
            ["--os-auth-type", "none", "--os-endpoint", NODE], cache.ListCacheNodes
        ).client_manager
        # openstacksdk discovers the image API versions from the root.
        self.requests.get(NODE + "/", json=base.WITH_CACHE, status_code=300)
        caches = vars(osc_lib_clientmanager.ClientManager)
        # Called directly: the descriptors would keep the clients for good.
        self.assertIsInstance(caches["image"].factory(manager), _proxy.Proxy)
        self.assertIsInstance(caches["image_cache"].factory(manager), v2_client.Client)

    def test_commands(self) -> None:
        app = osc_test.osc_app(["--os-auth-type", "none", "--os-endpoint", NODE])

        def command_class(*words: str):
            return app.command_manager.find_command(list(words))[0]

        for words in (("image", "list"), ("cached", "image", "list"), ("cached", "image", "clear")):
            self.assertTrue(command_class(*words).__module__.startswith("openstackclient."))
        self.assertIs(cache.ListCacheNodes, command_class("cache", "nodes", "list"))
        self.assertIs(cache.CleanCache, command_class("cache", "clean"))
        self.assertIs(cache.PruneCache, command_class("cache", "prune"))
        self.assertEqual("2", app.api_version["image_cache"])
        self.assertEqual("2", app.api_version["image"])
