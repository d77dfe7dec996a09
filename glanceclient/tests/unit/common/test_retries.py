"""A read sent again after a connection that broke before any answer
(:mod:`glanceclient.common.retries`), on a loopback socket."""

from __future__ import annotations

import json

import testtools

import glanceclient
from glanceclient import exc
from glanceclient.tests.fakeglance import routes
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2.commands import base as cbase

OTHER_ID = "3a555d51-6ec2-4f04-b2d0-0315b1a27d7e"


class StaleConnectionTest(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.calls = 0
        image = cbase.image()
        self.server = self.useFixture(
            routes.FakeGlance(
                {
                    ("GET", "/v2/images/" + base.IMAGE_ID): (200, image),
                    ("GET", "/v2/images/" + OTHER_ID): (200, self.closed_once),
                    ("POST", "/v2/images/" + OTHER_ID + "/actions/deactivate"): (
                        204,
                        self.closed_once,
                    ),
                }
            )
        )
        self.client = glanceclient.Client("2", endpoint=self.server.url, token=base.TOKEN)

    def closed_once(self, handler) -> None:
        """The first request is met by a closed connection, as a server's
        that closed a kept-alive one; the next ones are answered."""
        self.calls += 1
        if self.calls > 1:
            body = json.dumps(cbase.image(id=OTHER_ID)).encode()
            status = 200 if handler.command == "GET" else 204
            handler.send(status, body if status == 200 else b"")

    def test_a_get_goes_again_on_a_new_connection(self):
        self.client.images.get(base.IMAGE_ID)  # the connection, kept alive
        self.assertEqual(OTHER_ID, self.client.images.get(OTHER_ID)["id"])
        self.assertEqual(2, self.calls)

    def test_once_only(self):
        self.calls = -1  # closed twice
        e = self.assertRaises(exc.CommunicationError, self.client.images.get, OTHER_ID)
        self.assertIn("broke before an answer came", str(e))
        self.assertEqual(1, self.calls)

    def test_a_post_is_not_sent_again(self):
        self.assertRaises(exc.CommunicationError, self.client.images.deactivate, OTHER_ID)
        self.assertEqual(1, self.calls)
