"""How ``glance`` builds its client from its options
(:mod:`glanceclient.cli.connection`): environment variables, credentials,
the catalog, clouds.yaml, --debug; the real main() with argv, Keystone and
Glance answered through requests-mock."""

from __future__ import annotations

import json

import fixtures

from glanceclient.tests import utils as test_utils
from glanceclient.tests.unit import base


class OptionsTest(base.ShellTestCase):
    def test_environment_variables(self):
        self.mock_versions()
        route = self.requests.get(base.NODES_URL, json=[])
        self.useFixture(fixtures.EnvironmentVariable("OS_IMAGE_URL", base.ENDPOINT + "/v2"))
        self.useFixture(fixtures.EnvironmentVariable("OS_AUTH_TOKEN", "env-token"))
        status, _, err = self.run_glance("cache-nodes-list", base.IMAGE_ID, token_args=False)
        self.assertEqual(0, status, err)
        self.assertEqual("env-token", route.last_request.headers["X-Auth-Token"])

    def test_options_beat_environment(self):
        other = "http://other.example.test:9292"
        self.mock_versions(endpoint=other)
        route = self.requests.get(other + "/v2/cache/nodes/" + base.IMAGE_ID, json=[])
        self.useFixture(fixtures.EnvironmentVariable("OS_IMAGE_URL", base.ENDPOINT))
        self.useFixture(fixtures.EnvironmentVariable("OS_AUTH_TOKEN", "env-token"))
        status, _, _ = self.run_glance(
            "--os-image-url",
            other,
            "--os-auth-token",
            "cli-token",
            "cache-nodes-list",
            base.IMAGE_ID,
            token_args=False,
        )
        self.assertEqual(0, status)
        self.assertEqual("cli-token", route.last_request.headers["X-Auth-Token"])

    def test_password_auth_finds_catalog_endpoint(self):
        auth = self.password_env()
        self.mock_versions()
        route = self.requests.get(base.NODES_URL, json=["http://n1"])
        status, out, err = self.run_glance("cache-nodes-list", base.IMAGE_ID, token_args=False)
        self.assertEqual(0, status, err)
        self.assertEqual(1, auth.call_count)
        body = json.loads(auth.last_request.body)
        self.assertEqual("admin", body["auth"]["identity"]["password"]["user"]["name"])
        self.assertEqual(base.TOKEN, route.last_request.headers["X-Auth-Token"])

    def test_application_credential(self):
        auth = self.password_env()
        for name in ("OS_USERNAME", "OS_PASSWORD", "OS_PROJECT_NAME"):
            self.useFixture(fixtures.EnvironmentVariable(name))
        self.mock_versions()
        route = self.requests.get(base.NODES_URL, json=[])
        status, _, err = self.run_glance(
            "--os-auth-type",
            "v3applicationcredential",
            "--os-application-credential-id",
            "ac-123",
            "--os-application-credential-secret",
            "ac-secret",
            "cache-nodes-list",
            base.IMAGE_ID,
            token_args=False,
        )
        self.assertEqual(0, status, err)
        identity = json.loads(auth.last_request.body)["auth"]["identity"]
        self.assertEqual(["application_credential"], identity["methods"])
        self.assertEqual("ac-123", identity["application_credential"]["id"])
        self.assertEqual(base.TOKEN, route.last_request.headers["X-Auth-Token"])

    def test_token_with_auth_url_uses_the_catalog(self):
        auth = self.password_env()
        for name in ("OS_USERNAME", "OS_PASSWORD"):
            self.useFixture(fixtures.EnvironmentVariable(name))
        self.mock_versions()
        route = self.requests.get(base.NODES_URL, json=[])
        status, _, err = self.run_glance(
            "--os-auth-token", "user-token", "cache-nodes-list", base.IMAGE_ID, token_args=False
        )
        self.assertEqual(0, status, err)
        body = json.loads(auth.last_request.body)["auth"]
        self.assertEqual(["token"], body["identity"]["methods"])
        self.assertEqual("user-token", body["identity"]["token"]["id"])
        # Scoped to the project given, so that the catalog is not empty.
        self.assertEqual(
            {"project": {"name": "admin", "domain": {"name": "Default"}}}, body["scope"]
        )
        self.assertEqual(1, route.call_count)

    def test_token_auth_type_takes_the_auth_token(self):
        auth = self.password_env()
        self.mock_versions()
        self.requests.get(base.NODES_URL, json=[])
        status, _, err = self.run_glance(
            "--os-auth-type", "token", "--os-auth-token", "user-token",
            "cache-nodes-list", base.IMAGE_ID, token_args=False,
        )  # fmt: skip
        self.assertEqual(0, status, err)
        body = json.loads(auth.last_request.body)["auth"]
        self.assertEqual("user-token", body["identity"]["token"]["id"])
        self.assertIn("project", body["scope"])

    def test_token_without_auth_url_or_image_url(self):
        status, _, err = self.run_glance(
            "--os-auth-token", "user-token", "cache-list", token_args=False
        )
        self.assertEqual(1, status)
        self.assert_one_error_line(
            err,
            "--os-auth-token needs --os-image-url (to use the token as it is) or "
            "--os-auth-url (to find the endpoint in the catalog).",
        )
        self.assertEqual([], self.requests.request_history)

    def test_clouds_yaml_endpoint_is_checked(self):
        self.password_env()
        for name in ("OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD", "OS_PROJECT_NAME"):
            self.useFixture(fixtures.EnvironmentVariable(name))
        clouds = test_utils.CloudsYaml("edge", base.AUTH_URL, "admin", "s3cret-pass", "admin")
        clouds.document["clouds"]["edge"]["image_endpoint_override"] = base.ENDPOINT + "#x"
        self.useFixture(clouds)
        status, _, err = self.run_glance("--os-cloud", "edge", "cache-clear", token_args=False)
        self.assertEqual(1, status)
        self.assert_one_error_line(
            err,
            "The endpoint '%s#x' cannot be used: it has a fragment (#...), which requests "
            "would not carry." % base.ENDPOINT,
        )
        self.assertEqual([], [r for r in self.requests.request_history if "9292" in r.url])

    def test_interface_and_region_options(self):
        self.password_env()
        internal = "http://internal.example.test:9292"
        self.mock_versions(endpoint=internal)
        route = self.requests.get(internal + "/v2/cache/nodes/" + base.IMAGE_ID, json=[])
        status, _, err = self.run_glance(
            "--os-interface",
            "internal",
            "--os-region-name",
            "RegionOne",
            "cache-nodes-list",
            base.IMAGE_ID,
            token_args=False,
        )
        self.assertEqual(0, status, err)
        self.assertEqual(1, route.call_count)

    def test_wrong_password(self):
        self.password_env()
        self.requests.post(
            base.AUTH_URL + "/auth/tokens",
            status_code=401,
            json=test_utils.KEYSTONE_401,
        )
        status, _, err = self.run_glance("cache-nodes-list", base.IMAGE_ID, token_args=False)
        self.assertEqual(1, status)
        self.assert_one_error_line(
            err,
            "HTTP 401 Unauthorized: The request you have made requires authentication. "
            "(POST %s/auth/tokens)" % base.AUTH_URL,
        )
        self.assertNotIn("s3cret-pass", err)

    def test_no_credentials(self):
        status, _, err = self.run_glance("cache-nodes-list", base.IMAGE_ID, token_args=False)
        self.assertEqual(1, status)
        self.assertEqual(1, len(err.splitlines()))
        self.assertIn("glance: error: Missing credentials (--os-auth-url)", err)
        self.assertEqual([], self.requests.request_history)

    def test_image_url_without_credentials_sends_no_token(self):
        self.mock_versions()
        route = self.requests.get(base.NODES_URL, json=[])
        status, _, err = self.run_glance(
            "--os-image-url", base.ENDPOINT, "cache-nodes-list", base.IMAGE_ID, token_args=False
        )
        self.assertEqual(0, status, err)
        self.assertNotIn("X-Auth-Token", route.last_request.headers)

    def test_os_cloud(self):
        self.password_env()
        for name in ("OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD", "OS_PROJECT_NAME"):
            self.useFixture(fixtures.EnvironmentVariable(name))
        self.useFixture(
            test_utils.CloudsYaml("edge", base.AUTH_URL, "admin", "s3cret-pass", "admin")
        )
        self.mock_versions()
        route = self.requests.get(base.NODES_URL, json=["http://n1"])
        status, out, err = self.run_glance(
            "--os-cloud",
            "edge",
            "--timeout",
            "7",
            "cache-nodes-list",
            base.IMAGE_ID,
            token_args=False,
        )
        self.assertEqual(0, status, err)
        self.assertEqual(base.TOKEN, route.last_request.headers["X-Auth-Token"])
        self.assertEqual(7, route.last_request.timeout)
        status, _, err = self.run_glance("--os-cloud", "nowhere", "cache-list", token_args=False)
        self.assertEqual(1, status)
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertIn("nowhere", err)

    def test_debug_logs_and_redacts(self):
        self.password_env()
        self.mock_versions()
        self.json_error(
            "GET",
            base.NODES_URL,
            403,
            "Forbidden",
            "You are not authorized to complete list_cached_nodes action.",
        )
        status, out, err = self.run_glance(
            "--debug", "cache-nodes-list", base.IMAGE_ID, token_args=False
        )
        self.assertEqual(1, status)
        self.assertIn("GET " + base.NODES_URL, err)
        self.assertIn("Traceback", err)
        self.assertIn("X-Auth-Token: {SHA256}", err)
        self.assertNotIn(base.TOKEN, err + out)
        self.assertNotIn("s3cret-pass", err + out)
        self.assertTrue(
            err.rstrip().endswith("(GET %s, request id %s)" % (base.NODES_URL, base.REQUEST_ID))
        )
