"""Node URLs holding ``user:password@`` (a nodes list on 127.0.0.1 names
them so): no output of ``glance`` shows the password, neither a table
cell (Node, Node Reference URL, Mapped URL), the served-by line, the
``--debug`` log nor its traceback; nor an error's text or repr."""

from __future__ import annotations

import hashlib
import os

import fixtures

import glanceclient
from glanceclient import exc
from glanceclient.tests.fakeglance import routes as fakeglance
from glanceclient.tests.unit import base

SECRET = "s3cr3t-pw"
DATA = b"image data"
NODES_PATH = "/v2/cache/nodes/" + base.IMAGE_ID
IMAGE = {
    "id": base.IMAGE_ID,
    "name": "cirros",
    "status": "active",
    "size": len(DATA),
    "os_hash_algo": "sha512",
    "os_hash_value": hashlib.sha512(DATA).hexdigest(),
}


class UrlPasswordTest(base.ShellTestCase):
    def setUp(self):
        super().setUp()
        self.requests.stop()  # to the loopback server below
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.routes: fakeglance.Routes = {
            ("GET", "/versions"): (200, base.WITH_CACHE),
            ("GET", "/healthcheck"): (200, b"OK"),
            ("GET", "/v2/images/" + base.IMAGE_ID): (200, IMAGE),
            ("GET", "/v2/images/" + base.IMAGE_ID + "/file"): (200, DATA),
            ("DELETE", "/v2/cache/" + base.IMAGE_ID): (204, None),
        }
        self.server = self.useFixture(fakeglance.FakeGlance(self.routes))
        port = self.server.url.rsplit(":", 1)[1]
        # The fake server itself, reached with credentials in its URL.
        self.node = "http://admin:%s@127.0.0.1:%s" % (SECRET, port)
        self.shown = "http://admin:***@127.0.0.1:%s" % port
        self.routes[("GET", NODES_PATH)] = (200, [self.node])

    def glance(self, *argv: str) -> tuple[int, str, str]:
        status, out, err = self.run_glance(
            "--os-image-url", self.server.url, "--os-auth-token", "t", *argv, token_args=False
        )
        self.assertNotIn(SECRET, out + err)
        return status, out, err

    def test_tables(self):
        for argv in (
            ["cache-nodes-list", base.IMAGE_ID],
            ["cache-nodes-list", "--check", base.IMAGE_ID],
            ["cache-delete", "--all-nodes", base.IMAGE_ID],
            ["--os-image-node-url-map", "http://x=" + self.node, "cache-nodes-list", "--check",
             base.IMAGE_ID],
        ):  # fmt: skip
            status, out, err = self.glance(*argv)
            self.assertEqual(0, status, err)
            self.assertIn(self.shown, out)
        # --debug with a URL map adds the Mapped URL column, and logs each
        # request's URL.
        status, out, err = self.glance(
            "--debug", "--os-image-node-url-map", "http://x=http://y", "cache-delete",
            "--all-nodes", base.IMAGE_ID,
        )  # fmt: skip
        self.assertEqual(0, status, err)
        self.assertIn("| %s | %s |" % (self.shown, self.shown), out)
        self.assertIn(self.shown + "/v2/cache/" + base.IMAGE_ID, err)

    def test_served_by_line(self):
        target = os.path.join(self.tmp, "image")
        status, out, err = self.glance(
            "image-download", "--from-cache", "--file", target, base.IMAGE_ID
        )
        self.assertEqual(0, status, err)
        self.assertIn("glance: Image data came from the cache of node %s" % self.shown, err)

    def test_debug_traceback_and_error_line(self):
        self.routes[("DELETE", "/v2/cache/" + base.IMAGE_ID)] = (500, {"message": "boom"})
        self.routes[("GET", NODES_PATH)] = (200, ["http://admin:%s@127.0.0.1:9" % SECRET])
        for argv in ([], ["--format", "json"], ["--format", "yaml"]):
            status, out, err = self.glance(
                "--debug", "cache-delete", "--all-nodes", *argv, base.IMAGE_ID
            )
            self.assertEqual(1, status, err)
            self.assertIn("http://admin:***@127.0.0.1:9", out)
        status, out, err = self.glance(
            "--debug", "--os-image-url", "http://admin:%s@127.0.0.1:9" % SECRET, "cache-list"
        )
        self.assertEqual(1, status, err)
        self.assertIn("Traceback", err)
        self.assertIn("glance: error: Unable to connect to http://admin:***@127.0.0.1:9/", err)

    def test_sdk_errors(self):
        client = glanceclient.Client(
            "2", endpoint="http://admin:%s@127.0.0.1:9" % SECRET, token=base.TOKEN
        )
        e = self.assertRaises(exc.ConnectionRefused, client.cache.list_nodes, base.IMAGE_ID)
        self.assertNotIn(SECRET, str(e) + repr(e))
        self.assertIn("http://admin:***@127.0.0.1:9", str(e))
