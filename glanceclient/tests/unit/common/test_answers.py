"""Reading answers (:mod:`glanceclient.common.answers`): streamed bodies,
and the cap on JSON answers."""

from __future__ import annotations

import gzip
import json

from glanceclient import exc
from glanceclient.common import answers
from glanceclient.tests.unit import base


class IterBodyTest(base.TestCase):
    def test_streamed_body(self):
        client = self.make_client()
        data = bytes(range(256)) * 1000
        self.requests.get(base.ENDPOINT + "/v2/images/x/file", content=data)
        response = client.http_client.request("GET", "/v2/images/x/file", stream=True)
        chunks = list(answers.iter_body(response, 1000))
        self.assertEqual(256, len(chunks))
        self.assertEqual(data, b"".join(chunks))

    def test_image_data_that_cannot_be_decompressed(self):
        # A broken stream like any other: also an OSError, as nova expects.
        client = self.make_client()
        self.requests.get(
            base.ENDPOINT + "/v2/images/x/file",
            content=b"\x1f\x8bnot really gzip",
            headers={"Content-Encoding": "gzip"},
        )
        response = client.http_client.request("GET", "/v2/images/x/file", stream=True)
        e = self.assertRaises(exc.StreamError, list, answers.iter_body(response, 1000))
        self.assertIsInstance(e, OSError)
        self.assertIn("cannot be decompressed", str(e))


class SizeCapTest(base.TestCase):
    def setUp(self):
        super().setUp()
        self.mock_versions()

    def answer(self, content, **headers):
        self.requests.get(base.NODES_URL, content=content, headers=headers)

    def test_large_answer_is_refused(self):
        client = self.make_client(max_json_size=4096)
        self.answer(json.dumps(["http://n%d" % i for i in range(500)]).encode())
        e = self.assertRaises(exc.ResponseTooLarge, client.cache.list_nodes, base.IMAGE_ID)
        self.assertIsInstance(e, exc.InvalidResponse)
        self.assertIn("larger than 4096 bytes", str(e))
        self.answer(json.dumps(["x" * 4092]).encode())  # 4096 bytes exactly
        self.assertEqual(["x" * 4092], client.cache.list_nodes(base.IMAGE_ID))

    def test_gzip_bomb_is_refused_unread(self):
        # 16 MiB of JSON in 16 KiB: the cap applies to what it inflates to.
        bomb = gzip.compress(b'["' + b"a" * (16 << 20) + b'"]', compresslevel=9)
        self.answer(bomb, **{"Content-Encoding": "gzip"})
        client = self.make_client(max_json_size=1 << 20)
        e = self.assertRaises(exc.ResponseTooLarge, client.cache.list_nodes, base.IMAGE_ID)
        self.assertIn("larger than 1048576 bytes", str(e))
        self.answer(gzip.compress(b'["http://n1"]'), **{"Content-Encoding": "gzip"})
        self.assertEqual(["http://n1"], client.cache.list_nodes(base.IMAGE_ID))

    def test_default_cap(self):
        self.assertEqual(64 << 20, self.make_client().http_client.max_json_size)

    def test_broken_gzip(self):
        self.answer(b"\x1f\x8bnot really gzip", **{"Content-Encoding": "gzip"})
        e = self.assertRaises(
            exc.InvalidResponse, self.make_client().cache.list_nodes, base.IMAGE_ID
        )
        self.assertIn("cannot be decompressed", str(e))

    def test_deep_json(self):
        for body in (b"[" * 100000, b'{"a":' * 100000):
            self.answer(body)
            e = self.assertRaises(
                exc.InvalidResponse, self.make_client().cache.list_nodes, base.IMAGE_ID
            )
            self.assertIn("not JSON", str(e))
            self.requests.get(base.NODES_URL, status_code=500, content=b'{"a":' * 100000)
            e = self.assertRaises(
                exc.HTTPInternalServerError, self.make_client().cache.list_nodes, base.IMAGE_ID
            )
