"""Upstream's global options of ``glance``, through the real main()."""

from __future__ import annotations

import inspect

import fixtures
from keystoneauth1 import fixture as ksa_fixture
from keystoneauth1 import session as ksa_session

from glanceclient.cli import connection
from glanceclient.cli import upstream_options
from glanceclient.tests import tables
from glanceclient.tests.unit import base

IMAGES = base.IMAGES_URL
INTERNAL = "http://internal.example.test:9292"
IMAGE = {"id": base.IMAGE_ID, "name": "cirros", "status": "active"}


class UpstreamOptionsTest(base.ShellTestCase):
    def images(self, endpoint: str = base.ENDPOINT):
        return self.requests.get(endpoint + "/v2/images", json={"images": [IMAGE]})

    def test_endpoint_type_legacy_names(self):
        # Runbooks: glance --os-endpoint-type internalURL image-list
        self.password_env()
        route = self.images(INTERNAL)
        for argv in (
            ["--os-endpoint-type", "internalURL"],
            ["--os-endpoint-type=internal"],
            ["--os-interface", "internalURL"],
            ["--os_endpoint_type", "internalURL"],
        ):
            status, out, err = self.run_glance(*argv, "image-list", token_args=False)
            self.assertEqual((0, ""), (status, err), argv)
            self.assertEqual([["ID", "Name"], [base.IMAGE_ID, "cirros"]], tables.table(out))
        self.assertEqual(4, route.call_count)

    def test_endpoint_type_from_the_environment(self):
        self.password_env()
        self.useFixture(fixtures.EnvironmentVariable("OS_ENDPOINT_TYPE", "internalURL"))
        route = self.images(INTERNAL)
        self.assertEqual(0, self.run_glance("image-list", token_args=False)[0])
        self.assertEqual(1, route.call_count)

    def test_service_type(self):
        self.password_env()
        token = ksa_fixture.V3Token()
        service = token.add_service("image-edge")
        service.add_endpoint("public", "http://edge.example.test:9292", region="RegionOne")
        self.requests.post(
            base.AUTH_URL + "/auth/tokens", json=token, headers={"X-Subject-Token": base.TOKEN}
        )
        route = self.images("http://edge.example.test:9292")
        for argv in (["--os-service-type", "image-edge"], ["--os_service_type=image-edge"]):
            status, _, err = self.run_glance(*argv, "image-list", token_args=False)
            self.assertEqual((0, ""), (status, err))
        self.assertEqual(2, route.call_count)

    def test_underscore_aliases(self):
        route = self.images()
        status, out, err = self.run_glance(
            "--os_image_url",
            base.ENDPOINT,
            "--os_auth_token=" + base.TOKEN,
            "--os_image_api_version",
            "2",
            "--os_region_name",
            "RegionOne",
            "image-list",
            token_args=False,
        )
        self.assertEqual((0, ""), (status, err))
        self.assertEqual(base.TOKEN, route.last_request.headers["X-Auth-Token"])
        # After "--" nothing is rewritten.
        self.assertEqual(
            ["--", "--os_auth_token"], upstream_options.normalize(["--", "--os_auth_token"])
        )

    def test_tenant_options_with_a_token_and_url(self):
        # Upstream's functional tests pass credentials along with the token
        # and URL; the token and URL are used.
        route = self.images()
        status, _, err = self.run_glance(
            "--os-username", "u", "--os_tenant_name", "p", "--os-tenant-id", "i", "image-list"
        )
        self.assertEqual((0, ""), (status, err))
        self.assertEqual(1, route.call_count)

    def test_force_accepted(self):
        self.images()
        for flag in ("-f", "--force"):
            self.assertEqual(0, self.run_glance(flag, "image-list")[0])

    def test_profile_accepted_with_a_note(self):
        self.images()
        status, out, err = self.run_glance("--profile", "hmac-key", "image-list")
        self.assertEqual(0, status, err)
        self.assertEqual(
            "glance: --profile is ignored: this client does not trace requests (osprofiler).\n",
            err,
        )
        self.assertNotIn("hmac-key", err + out)
        self.assertNotIn("X-Trace-Info", self.requests.last_request.headers)

    def test_collect_timing(self):
        self.images()
        status, out, err = self.run_glance("--collect-timing", "image-list")
        self.assertEqual(0, status, err)
        self.assertEqual([["ID", "Name"], [base.IMAGE_ID, "cirros"]], tables.table(out))
        header, *rows = tables.table(err)
        self.assertEqual(["Method", "URL", "Seconds"], header)
        self.assertEqual("GET", rows[0][0])
        self.assertTrue(rows[0][1].startswith(IMAGES + "?"), rows)
        self.assertEqual(["", "Total"], rows[-1][:2])
        self.assertGreaterEqual(float(rows[-1][2]), 0)
        self.assertEqual("", self.run_glance("image-list")[2])  # only when asked

    def test_tls_options_reach_the_connections(self):
        self.images()
        built = []
        real = connection.make_client

        def spy(args):
            built.append(real(args))
            return built[-1]

        self.useFixture(fixtures.MonkeyPatch("glanceclient.cli.connection.make_client", spy))
        status, _, err = self.run_glance("--tls-min-version", "1.1", "image-list")
        self.assertEqual(2, status)
        self.assertIn("--tls-min-version", err)
        argv = ("--tls-ciphers", "ECDHE+AESGCM", "--tls-min-version", "1.3", "image-list")
        if "tls_ciphers" not in inspect.signature(ksa_session.TCPKeepAliveAdapter).parameters:
            # keystoneauth1 before 5.17.0 (all that Python 3.10 can have).
            status, out, err = self.run_glance(*argv)
            self.assertEqual((1, ""), (status, out))
            self.assertIn("need keystoneauth1 5.17.0 or later", err)
            self.assertEqual(1, len(err.splitlines()), err)
            return
        self.assertEqual(0, self.run_glance(*argv)[0])
        adapter = built[0].http_client.session.session.adapters["https://"]
        self.assertEqual(("ECDHE+AESGCM", "1.3"), (adapter.tls_ciphers, adapter.tls_min_version))

    def test_help_lists_them(self):
        status, out, _ = self.run_glance("help", token_args=False)
        self.assertEqual(0, status)
        for flag in (
            "--force",
            "--os-endpoint-type",
            "--os-service-type",
            "--collect-timing",
            "--tls-ciphers",
            "--tls-min-version",
            "--profile",
        ):
            self.assertIn(flag, out)
        self.assertNotIn("--os_auth_token", out)  # hidden, as upstream's
