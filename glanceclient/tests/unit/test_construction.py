"""Every way upstream callers build a client (UPSTREAM_SURFACE C.7, B.1)."""

from __future__ import annotations

import logging

from keystoneauth1 import session as ksa_session
from keystoneauth1 import token_endpoint

import glanceclient
from glanceclient import client as gc_client
from glanceclient import exc
from glanceclient.tests.unit import base
from glanceclient.v2 import client as v2_client

IMAGE_URL = base.ENDPOINT + "/v2/images/" + base.IMAGE_ID
IMAGE = {"id": base.IMAGE_ID, "name": "x", "status": "active"}


class ConstructionTest(base.TestCase):
    def setUp(self):
        super().setUp()
        self.route = self.requests.get(IMAGE_URL, json=IMAGE)

    def session(self):
        return ksa_session.Session(auth=token_endpoint.Token(base.ENDPOINT, "ses-tok"))

    def test_nova_session_auth_endpoint_override(self):
        gid = "req-11111111-2222-4333-8444-555555555555"
        c = glanceclient.Client(
            2,
            session=ksa_session.Session(),
            auth=token_endpoint.Token(base.ENDPOINT, "svc-tok"),
            endpoint_override=base.ENDPOINT + "/",
            global_request_id=gid,
        )
        self.assertEqual("x", c.images.get(base.IMAGE_ID).name)
        sent = self.route.last_request.headers
        self.assertEqual("svc-tok", sent["X-Auth-Token"])
        self.assertEqual(gid, sent["X-OpenStack-Request-ID"])

    def test_cinder_positional_endpoint_is_the_override(self):
        for endpoint in (base.ENDPOINT, base.ENDPOINT + "/v2", base.ENDPOINT + "/v2/"):
            c = glanceclient.Client("2", endpoint, session=self.session())
            c.images.get(base.IMAGE_ID)
        self.assertEqual(3, self.route.call_count)  # never /v2/v2

    def test_version_from_endpoint(self):
        c = glanceclient.Client(None, base.ENDPOINT + "/v2", session=self.session())
        c.images.get(base.IMAGE_ID)
        self.assertEqual(1, self.route.call_count)
        self.assertRaises(exc.UnsupportedVersion, glanceclient.Client, None, base.ENDPOINT + "/v1")

    def test_cinder_additional_headers_set_later(self):
        c = glanceclient.Client("2", base.ENDPOINT, session=self.session())
        c.http_client.additional_headers = {"x-image-meta-store": "f1"}
        c.images.get(base.IMAGE_ID)
        self.assertEqual("f1", self.route.last_request.headers["x-image-meta-store"])
        self.assertEqual({"x-image-meta-store": "f1"}, c.http_client.additional_headers)

    def test_heat_adapter_options_via_client_module(self):
        self.requests.get("http://catalog.example.test:9292/v2/images/" + base.IMAGE_ID, json=IMAGE)
        c = gc_client.Client(
            "2",
            session=self.session(),
            interface="internal",
            service_type="image",
            connect_retries=2,
            region_name="RegionTwo",
            endpoint_override="http://catalog.example.test:9292",
        )
        self.assertEqual("x", c.images.get(base.IMAGE_ID).name)
        self.assertEqual("internal", c.http_client.interface)
        self.assertEqual("RegionTwo", c.http_client.region_name)
        self.assertEqual("image", c.http_client.service_type)

    def test_zun_endpoint_without_scheme_fails_at_the_first_request(self):
        # Upstream passes a session client's endpoint to the adapter
        # unchecked; zun's tests build one with endpoint='glance_url'.
        for kwargs in ({"endpoint": "glance_url"}, {"endpoint_override": "127.0.0.1:9292"}):
            c = glanceclient.Client("2", session=self.session(), **kwargs)
            e = self.assertRaises(exc.InvalidEndpoint, c.images.get, base.IMAGE_ID)
            url = kwargs.popitem()[1]
            self.assertEqual(
                "The endpoint %r cannot be used: it has no scheme (http:// or https://)." % url,
                str(e),
            )
        self.assertEqual([], self.requests.request_history)
        # Without a session it is still refused at once.
        self.assertRaises(exc.InvalidEndpoint, glanceclient.Client, "2", "glance_url", token="t")

    def test_unknown_session_option_is_a_type_error(self):
        self.assertRaises(TypeError, glanceclient.Client, "2", session=self.session(), no_such=1)

    def test_horizon_v2_client_token_mode(self):
        c = v2_client.Client(base.ENDPOINT, token="horizon-tok", insecure=True, cacert=None)
        c.images.get(base.IMAGE_ID)
        self.assertEqual("horizon-tok", self.route.last_request.headers["X-Auth-Token"])
        self.assertFalse(self.route.last_request.verify)
        self.assertTrue(c.endpoint_provided)
        self.assertEqual(2.0, c.version)

    def test_token_mode_headers(self):
        c = glanceclient.Client(
            "2",
            base.ENDPOINT,
            global_request_id="req-g",
            language_header="fr",
            identity_headers={"X-Roles": "admin", "X-Auth-Token": "idtok"},
        )
        c.images.get(base.IMAGE_ID)
        sent = self.route.last_request.headers
        self.assertEqual("fr", sent["Accept-Language"])
        self.assertEqual("admin", sent["X-Roles"])
        self.assertEqual("idtok", sent["X-Auth-Token"])
        self.assertEqual("req-g", sent["X-OpenStack-Request-ID"])

    def test_cinder_noauth_https_options(self):
        c = glanceclient.Client(
            "2", base.ENDPOINT, insecure=False, cacert="/ca.pem", timeout=30, split_loggers=False
        )
        c.images.get(base.IMAGE_ID)
        self.assertNotIn("X-Auth-Token", self.route.last_request.headers)
        self.assertEqual("/ca.pem", self.route.last_request.verify)
        self.assertEqual(30, self.route.last_request.timeout)

    def test_token_mode_timeout_defaults_to_upstreams(self):
        glanceclient.Client("2", base.ENDPOINT, token="t").images.get(base.IMAGE_ID)
        self.assertEqual(600, self.route.last_request.timeout)
        glanceclient.Client("2", base.ENDPOINT, token="t", timeout=None).images.get(base.IMAGE_ID)
        self.assertIsNone(self.route.last_request.timeout)

    def test_cert_file_key_file(self):
        c = glanceclient.Client(
            "2", base.ENDPOINT, token="t", cert_file="/c.pem", key_file="/k.pem"
        )
        c.images.get(base.IMAGE_ID)
        self.assertEqual(("/c.pem", "/k.pem"), self.route.last_request.cert)

    def test_logger_option(self):
        logger = logging.getLogger("test-construction")
        c = glanceclient.Client("2", base.ENDPOINT, token="t", logger=logger)
        self.assertIs(logger, c.http_client.adapter.logger)

    def test_controllers(self):
        c = glanceclient.Client("2", base.ENDPOINT, token="t")
        for name in (
            "images",
            "image_members",
            "image_tags",
            "schemas",
            "info",
            "versions",
            "cache",
        ):
            self.assertTrue(hasattr(c, name), name)
        self.assertEqual([], self.requests.request_history)
