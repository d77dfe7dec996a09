"""Error mapping (:mod:`glanceclient.common.faults`): what the transport
raises, as errors that say what failed, on a mocked and a real socket."""

from __future__ import annotations

import logging

import fixtures
import testtools

import glanceclient
from glanceclient import exc
from glanceclient.tests.fakeglance import routes
from glanceclient.tests.fakeglance import wire
from glanceclient.tests.unit import base


class FaultClassTest(base.TestCase):
    def test_no_connection_made(self):
        self.requests.get(base.NODES_URL, exc=base.refused())
        client = self.make_client()
        e = self.assertRaises(exc.ConnectionRefused, client.cache.list_nodes, base.IMAGE_ID)
        self.assertIsInstance(e, exc.Unreachable)
        self.requests.get(base.NODES_URL, exc=base.unresolved(base.NODES_URL))
        e = self.assertRaises(exc.Unreachable, client.cache.list_nodes, base.IMAGE_ID)
        self.assertNotIsInstance(e, exc.ConnectionRefused)
        self.assertEqual(
            "Unable to connect to %s: Name or service not known." % base.NODES_URL, str(e)
        )


class WireFaultTest(testtools.TestCase):
    """Servers that misbehave on the wire, on a loopback socket."""

    def setUp(self):
        super().setUp()
        # Not DEBUG (an earlier test may leave it on): keystoneauth1 would
        # read each body whole to log it.
        self.useFixture(fixtures.FakeLogger(level=logging.INFO))

    def serve(self, body):
        nodes_path = "/v2/cache/nodes/" + base.IMAGE_ID
        server = self.useFixture(
            routes.FakeGlance(
                {("GET", "/versions"): (200, base.WITH_CACHE), ("GET", nodes_path): (200, body)}
            )
        )
        return server.url

    def client(self, url, timeout):
        return glanceclient.Client("2", endpoint=url, token="t", timeout=timeout)

    def test_slow_body_is_bounded_by_the_timeout(self):
        # Each byte comes well within the timeout; the whole body does not.
        url = self.serve(wire.trickle())
        e = self.assertRaises(exc.Timeout, self.client(url, 1).cache.list_nodes, base.IMAGE_ID)
        self.assertIn("did not answer within 1 seconds", str(e))
        self.assertEqual(["http://n1"], self.client(url, 10).cache.list_nodes(base.IMAGE_ID))

    def test_long_slow_body_is_cut_at_the_timeout(self):
        # 5 KB at 20 bytes a second: each read gets data, the whole would
        # take minutes.
        url = self.serve(wire.trickle(b'["' + b"a" * 5000 + b'"]', 0.05))
        e = self.assertRaises(exc.Timeout, self.client(url, 1).cache.list_nodes, base.IMAGE_ID)
        self.assertIn("did not answer within 1 seconds", str(e))

    def test_stalled_body_is_a_timeout(self):
        url = self.serve(wire.stall)
        e = self.assertRaises(exc.Timeout, self.client(url, 0.5).cache.list_nodes, base.IMAGE_ID)
        self.assertNotIsInstance(e, exc.ConnectionRefused)

    def test_dropped_connection_is_not_refused(self):
        for body, words in (
            (wire.hang_up, "closed the connection without answering"),
            (wire.cut_short, "broke before the answer was complete"),
        ):
            url = self.serve(body)
            e = self.assertRaises(
                exc.CommunicationError, self.client(url, 5).cache.list_nodes, base.IMAGE_ID
            )
            self.assertNotIsInstance(e, exc.ConnectionRefused)
            self.assertNotIsInstance(e, exc.Timeout)
            self.assertIn(words, str(e))
