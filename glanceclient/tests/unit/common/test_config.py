"""Checking what callers configure (:mod:`glanceclient.common.config`):
endpoints and arguments, refused before anything is sent."""

from __future__ import annotations

from glanceclient import exc
from glanceclient.common import config
from glanceclient.tests.unit import base


class EndpointCheckTest(base.TestCase):
    BAD = {
        "http://node:9292#x": "it has a fragment",
        "http://node:9292/#": "it has a fragment",
        "http://node:9292?x=1": "it has a query",
        "http://node:9292/v2?": "it has a query",
        "127.0.0.1:9292": "it has no scheme",
        "node": "it has no scheme",
        "ftp://node/": "its scheme is ftp, not http or https",
        "file:///etc/passwd": "its scheme is file, not http or https",
        "http://": "it names no host",
        "http://node:port": "Port could not be cast",
        "http://no de": "it holds spaces or control characters",
        "http://node\n:9292": "it holds spaces or control characters",
        "": "it is not a URL",
    }

    def test_refused_before_sending(self):
        for url, problem in self.BAD.items():
            e = self.assertRaises(exc.InvalidEndpoint, self.make_client, endpoint=url)
            self.assertIsInstance(e, exc.InvalidArgument)
            self.assertIn(problem, str(e), url)
            self.assertIn("cannot be used", str(e))
            self.assertNotIn("\n", str(e))
        self.assertEqual([], self.requests.request_history)

    def test_good_endpoints(self):
        for url in ("http://h", "https://h:1/image/v2/", "HTTP://[::1]:9292", "http://u@h"):
            self.assertEqual(url, config.check_endpoint(url))

    def test_password_in_url_is_never_shown(self):
        url = "http://admin:s3cr3t@glance.example.test:9292"
        self.requests.get(url + "/versions", json=base.WITH_CACHE)
        self.requests.get(url + "/v2/cache/nodes/" + base.IMAGE_ID, status_code=404, text="no")
        client = self.make_client(endpoint=url)
        e = self.assertRaises(exc.HTTPNotFound, client.cache.list_nodes, base.IMAGE_ID)
        self.assertIn("http://admin:***@glance.example.test:9292/v2/cache/nodes/", str(e))
        self.assertNotIn("s3cr3t", str(e) + e.url)
        self.requests.get(url + "/v2/cache/nodes/" + base.IMAGE_ID, exc=base.refused())
        e = self.assertRaises(exc.ConnectionRefused, client.cache.list_nodes, base.IMAGE_ID)
        self.assertIn("admin:***@", str(e))
        self.assertNotIn("s3cr3t", str(e))
        e = self.assertRaises(exc.InvalidEndpoint, self.make_client, endpoint=url + "#x")
        self.assertNotIn("s3cr3t", str(e))


class ArgumentCheckTest(base.TestCase):
    def test_bad_timeouts(self):
        for value in (-1, 0, float("nan"), float("inf"), 1e309, "soon", True, "-0"):
            e = self.assertRaises(exc.InvalidArgument, self.make_client, timeout=value)
            self.assertIn("timeout must be a number of seconds above 0", str(e))
        self.assertEqual(10.5, self.make_client(timeout="10.5").http_client.timeout)
        self.assertEqual([], self.requests.request_history)

    def test_bad_json_cap(self):
        for value in (0, -5, 1.5, None):
            self.assertRaises(exc.InvalidArgument, self.make_client, max_json_size=value)
