"""With a real Keystone: password auth through OS_* variables and through
clouds.yaml, the Image endpoint found in the catalog, roles enforced by
Glance's real policies, and a wrong password worded clearly."""

from __future__ import annotations

import json
import os

import fixtures

import glanceclient
from glanceclient import exc
from glanceclient.tests import tables
from glanceclient.tests import utils as test_utils
from glanceclient.tests.functional import base
from glanceclient.tests.functional import cluster as cluster_mod
from glanceclient.tests.functional import keystone_server
from glanceclient.tests.functional import ports


class KeystoneTest(base.FunctionalTest):
    cluster_shape = {"auth": cluster_mod.AUTH_KEYSTONE, "sqlite_node": False, "nocache_node": False}

    def setUp(self) -> None:
        super().setUp()
        self.image_id = self.new_image()
        self.cluster.download_image(self.image_id, self.cluster.nodes[0], wait_cached=True)
        self.expected = [self.cluster.nodes[0].url]

    def env(self, role: str = "admin") -> dict[str, str]:
        return self.cluster.os_environ(role)

    def test_sdk_with_a_password_session(self) -> None:
        client = glanceclient.Client("2", session=self.cluster.keystone_session("admin"))
        self.assertEqual(self.expected, client.cache.list_nodes(self.image_id))
        self.assertEqual(self.cluster.nodes[0].url, client.http_client.root)

    def test_glance_with_os_variables(self) -> None:
        self.assertNotIn("OS_IMAGE_URL", self.env())
        result = base.run_command(["glance", "cache-nodes-list", self.image_id], self.env())
        self.assertEqual(0, result.status, result.err)
        self.assertEqual(self.expected, tables.column(result.out))

    def test_glance_with_clouds_yaml(self) -> None:
        creds = self.cluster.credentials("admin")
        clouds = self.useFixture(
            test_utils.CloudsYaml(
                "edge", self.cluster.auth_url, creds.username, creds.password, creds.project_name
            )
        )
        result = base.run_command(
            ["glance", "--os-cloud", "edge", "cache-nodes-list", self.image_id],
            {"OS_CLIENT_CONFIG_FILE": clouds.path},
        )
        self.assertEqual(0, result.status, result.err)
        self.assertEqual(self.expected, tables.column(result.out))

    def test_glance_as_upstreams_functional_tests_run_it(self) -> None:
        # Upstream's functional tests (tempest's CLIClient) pass these options
        # and --os-endpoint-type publicURL; the hidden underscore spellings and
        # --collect-timing are upstream's too.
        creds = self.cluster.credentials("admin")
        argv = [
            "glance", "--os-username", creds.username, "--os-password", creds.password,
            "--os-auth-url", creds.auth_url, "--os_tenant_name", creds.project_name,
            "--os-user-domain-id", keystone_server.DOMAIN_ID,
            "--os-project-domain-id", keystone_server.DOMAIN_ID,
            "--os-endpoint-type", "publicURL", "--os_image_api_version", "2",
            "--collect-timing", "image-list",
        ]  # fmt: skip
        result = base.run_command(argv, {})
        self.assertEqual(0, result.status, result.err)
        self.assertEqual(["ID", "Name"], tables.table(result.out)[0])
        self.assertIn(self.image_id, [row[0] for row in tables.table(result.out)[1:]])
        timings = tables.table(result.err)
        self.assertEqual(["Method", "URL", "Seconds"], timings[0])
        urls = [row[1] for row in timings[1:-1]]
        self.assertTrue(any(u.startswith(creds.auth_url) for u in urls), urls)
        self.assertTrue(any(u.startswith(self.cluster.nodes[0].url + "/v2/images") for u in urls))
        self.assertNotIn(creds.password, result.out + result.err)

    def test_openstack_with_os_variables(self) -> None:
        result = base.run_command(
            ["openstack", "cache", "nodes", "list", self.image_id, "-f", "value"], self.env()
        )
        self.assertEqual(0, result.status, result.err)
        self.assertEqual(self.expected, result.out.split())

    def test_member_is_forbidden(self) -> None:
        result = base.run_command(["glance", "cache-nodes-list", self.image_id], self.env("member"))
        self.assert_fails_with(
            result,
            "glance: error: ",
            "HTTP 403 Forbidden: You are not authorized to complete list_cached_nodes action.",
        )
        osc = base.run_command(
            ["openstack", "cache", "nodes", "list", self.image_id], self.env("member")
        )
        self.assert_fails_with(osc, "", "HTTP 403 Forbidden")

    def test_wrong_password(self) -> None:
        env = dict(self.env(), OS_PASSWORD="not-the-password")
        result = base.run_command(["glance", "cache-nodes-list", self.image_id], env)
        self.assert_fails_with(
            result,
            "glance: error: HTTP 401 Unauthorized: "
            "The request you have made requires authentication.",
            "(POST %s/auth/tokens" % self.cluster.auth_url,
        )
        self.assertNotIn("not-the-password", result.err)

    def test_bad_token_with_image_url(self) -> None:
        e = self.assertRaises(
            exc.HTTPUnauthorized,
            glanceclient.Client(
                "2", endpoint=self.cluster.nodes[0].url, token="bogus"
            ).cache.list_nodes,
            self.image_id,
        )
        self.assertEqual(401, e.status_code)

    def test_keystone_token_with_auth_url(self) -> None:
        # A Keystone token and the auth URL, no password: the token plugin
        # scopes it to the project and Glance is found in the catalog.
        env = {
            k: v
            for k, v in self.env().items()
            if k not in ("OS_USERNAME", "OS_PASSWORD", "OS_USER_DOMAIN_NAME")
        }
        env["OS_AUTH_TOKEN"] = self.cluster.token("admin")
        for extra in ([], ["--os-auth-type", "token"]):
            result = base.run_command(["glance", *extra, "cache-nodes-list", self.image_id], env)
            self.assertEqual(0, result.status, result.err)
            self.assertEqual(self.expected, tables.column(result.out))
            self.assertNotIn(env["OS_AUTH_TOKEN"], result.err)

    def test_a_schema_property_cannot_shadow_os_image_url(self) -> None:
        # A schema cache naming a property os_image_url (as a hostile cloud
        # can leave it): --os-image-url still says where the image goes, here
        # a port where nothing listens, not the catalog's endpoint.
        cache = self.useFixture(fixtures.TempDir()).path
        os.makedirs(os.path.join(cache, "glanceclient"))
        with open(os.path.join(cache, "glanceclient", "image_schema.json"), "w") as f:
            json.dump({"name": "image", "properties": {"os_image_url": {"type": "string"}}}, f)
        given = "http://127.0.0.1:%d" % ports.free_ports(1)[0]
        result = base.run_command(
            ["glance", "--os-image-url", given, "image-create", "--name", "shadowed",
             "--container-format", "bare", "--disk-format", "raw"],
            dict(self.env(), XDG_CACHE_HOME=cache),
        )  # fmt: skip
        self.assert_fails_with(result, "glance: error: Unable to connect to %s/" % given, "")
        client = glanceclient.Client("2", session=self.cluster.keystone_session("admin"))
        self.assertEqual([], list(client.images.list(filters={"name": "shadowed"})))
