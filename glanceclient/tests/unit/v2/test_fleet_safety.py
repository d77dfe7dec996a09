"""The fleet against nodes on 127.0.0.1: no http node gets a request under
an https endpoint (unless allowed), probes carry no token however the
client was built, the nodes list is normalized, deduplicated and bounded,
and ``cache-queue --wait --timeout`` bounds every request it makes.
Through the SDK and ``glance``."""

from __future__ import annotations

import os
import time

import fixtures
from keystoneauth1 import session as ksa_session
import requests_mock

import glanceclient
from glanceclient import exc
from glanceclient.tests.fakeglance import routes as fakeglance
from glanceclient.tests.unit import base
from glanceclient.v2 import fleet

HTTPS = "https://glance.example.test:9292"
NODES_PATH = "/v2/cache/nodes/" + base.IMAGE_ID
DATA = b"image data"
REFUSED = "gets no request: it is reached over http and the endpoint over https"


def silent(handler) -> None:
    """Take the request, answer nothing for a long while."""
    time.sleep(20)


class FleetSafetyTest(base.ShellTestCase):
    def setUp(self):
        super().setUp()
        self.requests.stop()  # the node below is a real server
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.routes: fakeglance.Routes = {
            ("GET", "/versions"): (200, base.WITH_CACHE),
            ("GET", "/healthcheck"): (200, b"OK"),
            ("GET", "/v2/cache"): (200, {"cached_images": [], "queued_images": []}),
            ("DELETE", "/v2/cache/" + base.IMAGE_ID): (204, None),
            ("PUT", "/v2/cache/" + base.IMAGE_ID): (202, None),
            ("GET", "/v2/images/" + base.IMAGE_ID): (
                200,
                {"id": base.IMAGE_ID, "size": 10, "status": "active"},
            ),
            ("GET", "/v2/images/" + base.IMAGE_ID + "/file"): (200, DATA),
        }
        self.server = self.useFixture(fakeglance.FakeGlance(self.routes))
        self.node = self.server.url

    def https_endpoint(self, *nodes: str) -> requests_mock.Mocker:
        """An https endpoint (mocked) whose nodes list names ``nodes``; the
        real server stays reachable."""
        mock = requests_mock.Mocker(real_http=True)
        mock.start()
        self.addCleanup(mock.stop)
        mock.get(HTTPS + "/versions", json=base.WITH_CACHE)
        mock.get(HTTPS + NODES_PATH, json=list(nodes or [self.node]))
        mock.get(
            HTTPS + "/v2/images/" + base.IMAGE_ID,
            json={"id": base.IMAGE_ID, "size": 10, "status": "active"},
        )
        mock.get(HTTPS + "/v2/images/%s/file" % base.IMAGE_ID, content=DATA)
        return mock

    def glance(self, *argv: str, endpoint: str | None = None) -> tuple[int, str, str]:
        return self.run_glance(
            "--os-image-url", endpoint or self.node, "--os-auth-token", base.TOKEN, *argv,
            token_args=False,
        )  # fmt: skip

    def test_http_node_under_https_endpoint_gets_no_request(self):
        self.https_endpoint()
        client = glanceclient.Client("2", endpoint=HTTPS, token=base.TOKEN)
        [state] = client.fleet.check(base.IMAGE_ID)
        self.assertEqual(fleet.ERROR, state.status)
        self.assertIn(REFUSED, state.error)
        [result] = client.fleet.delete_everywhere([base.IMAGE_ID])
        self.assertIsInstance(result.error, exc.InvalidEndpoint)
        self.assertIn("Map it to an https URL", str(result.error))
        body = client.images.data(base.IMAGE_ID, from_cache=True)
        self.assertEqual(DATA, b"".join(body))
        self.assertIn(REFUSED, body.fallback_reason)
        self.assertEqual([], self.server.recorded)

    def test_glance_rows_and_fallback_line_say_why(self):
        self.https_endpoint()
        status, out, err = self.glance("cache-delete", "--all-nodes", base.IMAGE_ID, endpoint=HTTPS)
        self.assertEqual(1, status, err)
        self.assertIn(self.node, out)
        status, out, err = self.glance(
            "cache-delete", "--all-nodes", "--format", "json", base.IMAGE_ID, endpoint=HTTPS
        )
        self.assertIn(REFUSED, out)
        target = os.path.join(self.tmp, "image")
        status, out, err = self.glance(
            "image-download", "--from-cache", "--file", target, base.IMAGE_ID, endpoint=HTTPS
        )
        self.assertEqual(0, status, err)
        self.assertIn("glance: Image data came from the regular endpoint", err)
        self.assertIn(REFUSED, err)
        self.assertIn("--allow-http-nodes", err)
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertEqual([], self.server.recorded)

    def test_allowed_or_mapped_to_https(self):
        mock = self.https_endpoint()
        status, out, err = self.glance(
            "--allow-http-nodes", "cache-delete", "--all-nodes", base.IMAGE_ID, endpoint=HTTPS
        )
        self.assertEqual(0, status, err)
        self.assertEqual(["DELETE"], [r.method for r in self.server.recorded])
        mock.delete("https://node.example.test:9292/v2/cache/" + base.IMAGE_ID, status_code=204)
        status, out, err = self.glance(
            "--os-image-node-url-map", "%s=https://node.example.test:9292" % self.node,
            "cache-delete", "--all-nodes", base.IMAGE_ID, endpoint=HTTPS,
        )  # fmt: skip
        self.assertEqual(0, status, err)
        self.assertEqual(1, len(self.server.recorded))
        client = glanceclient.Client("2", endpoint=HTTPS, token=base.TOKEN, allow_http_nodes=True)
        self.assertEqual(fleet.OK, client.fleet.probe(self.node).status)

    def test_probes_carry_no_token_however_the_client_was_built(self):
        clients = [
            glanceclient.Client("2", endpoint=self.node, token=base.TOKEN),
            glanceclient.Client(
                "2",
                endpoint=self.node,
                session=ksa_session.Session(),
                identity_headers={"X-Auth-Token": base.TOKEN, "X-Roles": "admin"},
            ),
        ]
        for client in clients:
            self.assertEqual(fleet.OK, client.fleet.probe(self.node).status)
        status, out, err = self.glance("cache-nodes-list", "--check", base.IMAGE_ID)
        probes = [r for r in self.server.recorded if r.path == "/healthcheck"]
        self.assertEqual(2, len(probes))
        for probe in probes:
            self.assertNotIn("x-auth-token", probe.headers)
            self.assertNotIn(base.TOKEN, str(probe.headers))

    def test_nodes_list_normalized_and_deduplicated(self):
        port = self.node.rsplit(":", 1)[1]
        self.routes[("GET", NODES_PATH)] = (
            200,
            [self.node, self.node, self.node + "/", " %s " % self.node, "HTTP://127.0.0.1:" + port],
        )
        client = glanceclient.Client("2", endpoint=self.node, token=base.TOKEN)
        self.assertEqual(1, len(client.fleet.delete_everywhere([base.IMAGE_ID])))
        self.assertEqual(1, len(client.fleet.check(base.IMAGE_ID)))
        status, out, err = self.glance("cache-delete", "--all-nodes", base.IMAGE_ID)
        self.assertEqual(0, status, err)
        self.assertEqual(1, out.count(self.node))
        deletes = [r for r in self.server.recorded if r.method == "DELETE"]
        self.assertEqual(2, len(deletes))  # once for the SDK, once for glance

    def test_nodes_list_capped(self):
        self.useFixture(fixtures.MonkeyPatch("glanceclient.common.urlmap.MAX_NODES", 3))
        self.routes[("GET", NODES_PATH)] = (200, ["http://127.0.0.1:%d" % p for p in range(1, 9)])
        client = glanceclient.Client("2", endpoint=self.node, token=base.TOKEN)
        self.assertEqual(3, len(client.fleet.check(base.IMAGE_ID, timeout=1)))

    def test_probing_budget_and_one_line_fallback(self):
        self.useFixture(fixtures.MonkeyPatch("glanceclient.v2.fleet.PROBE_BUDGET", 0.5))
        self.routes[("GET", "/healthcheck")] = (200, silent)
        # 100 distinct URLs of the one silent server.
        nodes = ["http://n%d@127.0.0.1:%s" % (i, self.node.rsplit(":", 1)[1]) for i in range(100)]
        self.routes[("GET", NODES_PATH)] = (200, nodes)
        client = glanceclient.Client("2", endpoint=self.node, token=base.TOKEN)
        began = time.monotonic()
        states = client.fleet.check(base.IMAGE_ID, timeout=1)
        self.assertLess(time.monotonic() - began, 5)
        self.assertEqual(100, len(states))
        untried = [s for s in states if s.error and "was not tried" in s.error]
        # At most one round started (fewer on a loaded machine).
        self.assertGreaterEqual(len(untried), 100 - fleet.PROBE_PARALLEL)
        self.assertEqual({fleet.UNREACHABLE}, {s.status for s in untried})
        target = os.path.join(self.tmp, "image")
        status, out, err = self.glance(
            "--timeout", "5", "image-download", "--from-cache", "--file", target, base.IMAGE_ID
        )
        self.assertEqual(0, status, err)
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertIn("and 97 more)", err)

    def test_cache_queue_wait_bounds_every_request(self):
        # The node takes the queueing, then its cache list never answers.
        self.routes[("GET", "/v2/cache")] = (200, silent)
        self.routes[("GET", NODES_PATH)] = (200, silent)
        client = glanceclient.Client("2", endpoint=self.node, token=base.TOKEN)
        began = time.monotonic()
        missing = client.fleet.wait_cached(base.IMAGE_ID, [self.node], timeout=1)
        self.assertEqual([self.node], missing)
        self.assertLess(time.monotonic() - began, 5)
        began = time.monotonic()
        status, out, err = self.glance(
            "cache-queue", "--node", self.node, "--wait", "--wait-timeout", "1", base.IMAGE_ID
        )
        self.assertEqual(1, status, err)
        self.assertLess(time.monotonic() - began, 5)
        self.assertIn("not cached after 1 s", out)
