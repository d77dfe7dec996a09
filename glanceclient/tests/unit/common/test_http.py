"""The HTTP layer (:mod:`glanceclient.common.http`): endpoints, headers,
catalog look-up, redirects, request ids per thread."""

from __future__ import annotations

import threading

from keystoneauth1 import fixture as ksa_fixture
from keystoneauth1 import session as ksa_session
from keystoneauth1.identity import v3
import requests_mock

import glanceclient
from glanceclient import exc
from glanceclient.common import config
from glanceclient.common import http
from glanceclient.tests import utils as test_utils
from glanceclient.tests.unit import base

PUBLIC = "http://glance-public.example.test:9292"
INTERNAL = "http://glance-internal.example.test:9292/v2"
OTHER_REGION = "http://glance-east.example.test:9292"
CACHED = base.CACHE_URL + "/" + base.IMAGE_ID


class RootUrlTest(base.TestCase):
    def test_version_suffix_dropped(self):
        for given, root in (
            ("http://h:9292", "http://h:9292"),
            ("http://h:9292/", "http://h:9292"),
            ("http://h:9292/v2", "http://h:9292"),
            ("http://h:9292/v2/", "http://h:9292"),
            ("http://h:9292/v2.18", "http://h:9292"),
            ("http://h/image", "http://h/image"),
            ("http://h/image/v2", "http://h/image"),
            ("http://h/v2image", "http://h/v2image"),
        ):
            self.assertEqual(root, config.root_url(given), given)

    def test_versioned_endpoint_reaches_the_root(self):
        route = self.requests.get(base.ENDPOINT + "/v2/cache/nodes/" + base.IMAGE_ID, json=[])
        self.make_client(endpoint=base.ENDPOINT + "/v2/").cache.list_nodes(base.IMAGE_ID)
        self.assertEqual(1, route.call_count)


class HeadersTest(base.TestCase):
    def test_user_agent_names_us(self):
        route = self.requests.get(base.ENDPOINT + "/v2/cache/nodes/" + base.IMAGE_ID, json=[])
        self.make_client().cache.list_nodes  # noqa: B018 (no request yet)
        self.assertEqual(0, route.call_count)
        self.make_client().cache.list_nodes(base.IMAGE_ID)
        agent = route.last_request.headers["User-Agent"]
        self.assertTrue(agent.startswith("python-glanceclient/"), agent)
        self.assertIn("keystoneauth1/", agent)

    def test_global_request_id(self):
        route = self.requests.get(base.ENDPOINT + "/v2/cache/nodes/" + base.IMAGE_ID, json=[])
        gid = "req-11111111-2222-4333-8444-555555555555"
        self.make_client(global_request_id=gid).cache.list_nodes(base.IMAGE_ID)
        self.assertEqual(gid, route.last_request.headers["X-OpenStack-Request-ID"])

    def test_no_token_no_auth_header(self):
        route = self.requests.get(base.ENDPOINT + "/v2/cache/nodes/" + base.IMAGE_ID, json=[])
        glanceclient.Client("2", endpoint=base.ENDPOINT).cache.list_nodes(base.IMAGE_ID)
        self.assertNotIn("X-Auth-Token", route.last_request.headers)

    def test_tls_options_reach_the_session(self):
        client = self.make_client(insecure=True)
        self.assertFalse(client.http_client.adapter.session.verify)
        client = self.make_client(cacert="/etc/ca.pem", cert="/c.pem", key="/k.pem", timeout=7)
        session = client.http_client.adapter.session
        self.assertEqual("/etc/ca.pem", session.verify)
        self.assertEqual(("/c.pem", "/k.pem"), session.cert)
        self.assertEqual(7, session.timeout)

    def test_needs_session_or_endpoint(self):
        self.assertRaises(exc.InvalidArgument, glanceclient.Client, "2")


class CatalogTest(base.TestCase):
    """A keystoneauth1 session with password auth finds Glance in the catalog."""

    def setUp(self):
        super().setUp()
        token = ksa_fixture.V3Token()
        service = token.add_service("image")
        service.add_endpoint("public", PUBLIC, region="RegionOne")
        service.add_endpoint("internal", INTERNAL, region="RegionOne")
        service.add_endpoint("public", OTHER_REGION, region="East")
        self.token_id = "ksa-token-0123456789"
        self.auth = self.requests.post(
            base.AUTH_URL + "/auth/tokens", json=token, headers={"X-Subject-Token": self.token_id}
        )
        plugin = v3.Password(
            auth_url=base.AUTH_URL,
            username="admin",
            password="secret",
            project_name="admin",
            user_domain_id="default",
            project_domain_id="default",
        )
        self.session = ksa_session.Session(auth=plugin)

    def use(self, root, **kwargs):
        route = self.requests.get(root + "/v2/cache/nodes/" + base.IMAGE_ID, json=["http://n1"])
        client = glanceclient.Client("2", session=self.session, **kwargs)
        self.assertEqual(["http://n1"], client.cache.list_nodes(base.IMAGE_ID))
        self.assertEqual(self.token_id, route.last_request.headers["X-Auth-Token"])
        return route

    def test_public_by_default(self):
        self.use(PUBLIC, region_name="RegionOne")

    def test_interface_and_region(self):
        self.use(
            "http://glance-internal.example.test:9292",
            interface="internal",
            region_name="RegionOne",
        )
        self.use(OTHER_REGION, region_name="East")

    def test_endpoint_override_beats_catalog(self):
        self.use("http://override.example.test", endpoint="http://override.example.test/v2")

    def test_one_token_for_many_calls(self):
        self.use(PUBLIC, region_name="RegionOne")
        self.assertEqual(1, self.auth.call_count)

    def test_missing_service(self):
        e = self.assertRaises(
            exc.EndpointNotFound,
            glanceclient.Client("2", session=self.session, region_name="Nowhere").cache.list_nodes,
            base.IMAGE_ID,
        )
        self.assertIn("endpoint", str(e))

    def test_wrong_password(self):
        self.requests.post(
            base.AUTH_URL + "/auth/tokens",
            status_code=401,
            json=test_utils.KEYSTONE_401,
        )
        e = self.assertRaises(
            exc.HTTPUnauthorized,
            glanceclient.Client("2", session=self.session).cache.list_nodes,
            base.IMAGE_ID,
        )
        self.assertIn(
            "HTTP 401 Unauthorized: The request you have made requires authentication.", str(e)
        )
        self.assertNotIn("secret", str(e))

    def test_keystone_server_errors_keep_their_family(self):
        for status, cls in ((503, exc.HTTPServiceUnavailable), (599, exc.HTTPServerError)):
            self.requests.post(base.AUTH_URL + "/auth/tokens", status_code=status, text="down")
            e = self.assertRaises(
                cls, glanceclient.Client("2", session=self.session).cache.list_nodes, base.IMAGE_ID
            )
            self.assertEqual(status, e.status_code)

    def test_keystone_unreachable(self):
        url = base.AUTH_URL + "/auth/tokens"
        self.requests.post(url, exc=base.refused(url))
        e = self.assertRaises(
            exc.ConnectionRefused,
            glanceclient.Client("2", session=self.session).cache.list_nodes,
            base.IMAGE_ID,
        )
        self.assertIn(base.AUTH_URL, str(e))

    def test_catalog_endpoint_with_a_fragment_is_refused(self):
        token = ksa_fixture.V3Token()
        token.add_service("image").add_endpoint("public", PUBLIC + "/#x", region="RegionOne")
        self.requests.post(
            base.AUTH_URL + "/auth/tokens", json=token, headers={"X-Subject-Token": self.token_id}
        )
        e = self.assertRaises(
            exc.InvalidEndpoint,
            glanceclient.Client("2", session=self.session).cache.list_nodes,
            base.IMAGE_ID,
        )
        self.assertIn("from the service catalog cannot be used: it has a fragment", str(e))
        self.assertEqual([], [r for r in self.requests.request_history if "glance" in r.url])


class RedirectTest(base.TestCase):
    """Glance never redirects: a 3xx is an error, never followed."""

    def setUp(self):
        super().setUp()
        self.mock_versions()
        self.elsewhere = self.requests.register_uri(
            requests_mock.ANY, requests_mock.ANY, status_code=200, json=[]
        )
        self.mock_versions()

    def test_redirect_to_another_host_is_not_followed(self):
        client = self.make_client()
        for status in (301, 302, 303, 307, 308):
            for method, url, call in (
                ("GET", base.NODES_URL, client.cache.list_nodes),
                ("DELETE", CACHED, client.cache.delete),
                ("PUT", CACHED, client.cache.queue),
            ):
                self.requests.register_uri(
                    method, url, status_code=status, headers={"Location": "http://evil.test/x"}
                )
                e = self.assertRaises(exc.HTTPRedirection, call, base.IMAGE_ID)
                self.assertEqual(status, e.status_code)
                self.assertEqual("http://evil.test/x", e.location)
                self.assertIn("redirected the request to http://evil.test/x", str(e))
                self.assertIn("not followed", str(e))
        self.assertEqual(0, self.elsewhere.call_count)
        self.assertNotIn("evil.test", {r.hostname for r in self.requests.request_history})

    def test_300_and_3xx_without_location_are_errors(self):
        client = self.make_client()
        self.requests.delete(CACHED, status_code=300, text="")
        e = self.assertRaises(exc.HTTPMultipleChoices, client.cache.delete, base.IMAGE_ID)
        self.assertEqual(300, e.status_code)
        for status in (301, 302, 304, 399):
            self.requests.post(base.ENDPOINT + "/v2/cache/clean", status_code=status)
            e = self.assertRaises(exc.HTTPRedirection, client.cache.clean)
            self.assertIn("redirection without a location", str(e))
        self.assertIsNone(e.location)

    def test_versions_listed_as_multiple_choices_are_read(self):
        self.mock_versions().status_code = 300
        self.requests.get(base.NODES_URL, json=["http://n1"])
        self.assertEqual(["http://n1"], self.make_client().cache.list_nodes(base.IMAGE_ID))


class ThreadsTest(base.TestCase):
    def test_last_request_id_belongs_to_the_calling_thread(self):
        self.mock_versions()
        client = self.make_client()
        ids = iter(["req-main", "req-worker"])

        def answer(request, context):
            context.headers["x-openstack-request-id"] = next(ids)
            return []

        self.requests.get(base.NODES_URL, json=answer)
        client.cache.list_nodes(base.IMAGE_ID)
        seen = []
        worker = threading.Thread(
            target=lambda: seen.append(
                (client.cache.list_nodes(base.IMAGE_ID), client.cache.last_request_id)
            )
        )
        worker.start()
        worker.join()
        self.assertEqual([([], "req-worker")], seen)
        self.assertEqual("req-main", client.cache.last_request_id)

    def test_pool_fits_the_threads(self):
        session = self.make_client().http_client.adapter.session
        self.assertEqual(http.DEFAULT_POOL_SIZE, session.session.adapters["http://"]._pool_maxsize)
        session = self.make_client(pool_size=100).http_client.adapter.session
        self.assertEqual(100, session.session.adapters["https://"]._pool_maxsize)
        self.assertEqual(100, session.session.adapters["https://"]._pool_connections)
        http.size_pool(session, 10)  # never shrinks
        self.assertEqual(100, session.session.adapters["https://"]._pool_maxsize)
