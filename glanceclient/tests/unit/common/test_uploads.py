"""Upload bodies and the size header."""

from __future__ import annotations

import io
import logging
import os
import tempfile
import time

import fixtures
import testtools

import glanceclient
from glanceclient import exc
from glanceclient.common import answers
from glanceclient.common import uploads
from glanceclient.tests.fakeglance import routes
from glanceclient.tests.unit import base


class BodyTest(testtools.TestCase):
    def test_file_object_read_in_chunks(self):
        data = b"x" * (answers.CHUNK_SIZE + 5)
        chunks = list(uploads.body(io.BytesIO(data)))
        self.assertEqual([answers.CHUNK_SIZE, 5], [len(c) for c in chunks])
        self.assertEqual(data, b"".join(chunks))

    def test_regular_file_of_the_given_size_is_sized(self):
        data = b"x" * (answers.CHUNK_SIZE + 5)
        with tempfile.TemporaryFile() as f:
            f.write(data)
            f.seek(3)
            sized = uploads.body(f, len(data) - 3)
            self.assertIsInstance(sized, uploads.SizedChunks)
            self.assertEqual(len(data) - 3, len(sized))
            self.assertEqual(data[3:], b"".join(sized))
            f.seek(0)
            # Another size, or none: chunked, as a pipe would be.
            self.assertNotIsInstance(uploads.body(f, 7), uploads.SizedChunks)
            self.assertNotIsInstance(uploads.body(f), uploads.SizedChunks)
        self.assertNotIsInstance(uploads.body(io.BytesIO(b"abc"), 3), uploads.SizedChunks)

    def test_text_file(self):
        self.assertEqual([b"\xc3\xa9"], list(uploads.body(io.StringIO("é"))))

    def test_bytes_and_str(self):
        self.assertEqual([b"abc"], list(uploads.body(b"abc")))
        self.assertEqual([b"abc"], list(uploads.body("abc")))
        self.assertEqual(b"", uploads.body(""))
        self.assertEqual(b"", uploads.body(b""))

    def test_iterables(self):
        self.assertEqual([b"a", b"b"], list(uploads.body(iter([b"a", "b"]))))
        self.assertEqual([b"a", b"b"], list(uploads.body([b"a", bytearray(b"b")])))

    def test_bad_data(self):
        self.assertRaises(exc.InvalidArgument, uploads.body, 42)
        self.assertRaises(exc.InvalidArgument, list, uploads.body([1]))

    def test_size_header(self):
        self.assertEqual({}, uploads.size_header(None))
        self.assertEqual({"x-openstack-image-size": "3"}, uploads.size_header(3))
        for bad in ("3", -1, 1.5, True):
            self.assertRaises(exc.InvalidArgument, uploads.size_header, bad)


class ChangingFile(io.FileIO):
    """A regular file that grows (``extra``) or shrinks to ``keep`` bytes
    on its first read, after the client took its size."""

    def __init__(self, path: str, extra: bytes = b"", keep: int | None = None) -> None:
        super().__init__(path, "rb")
        self.path, self.extra, self.keep = path, extra, keep

    def read(self, size: int = -1) -> bytes:
        if self.extra or self.keep is not None:
            with open(self.path, "ab") as f:
                f.write(self.extra)
                if self.keep is not None:
                    f.truncate(self.keep)
            self.extra, self.keep = b"", None
        return super().read(size)


class ChangingFileTest(testtools.TestCase):
    """Uploads of a regular file that changes while it is read, to a server
    on a loopback socket, then the next call on the same client."""

    #: What a grown file's extra bytes look like to the server: a request
    #: it answers a little later, on the same kept-alive connection.
    SMUGGLED = b"GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.FakeLogger(level=logging.INFO))
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.path = os.path.join(self.tmp, "image.raw")
        with open(self.path, "wb") as f:
            f.write(b"x" * (answers.CHUNK_SIZE + 5))
        self.size = os.path.getsize(self.path)
        self.server = self.useFixture(
            routes.FakeGlance(
                {
                    ("PUT", "/v2/images/%s/file" % base.IMAGE_ID): (204, None),
                    ("GET", "/v2/info/stores"): (200, {"stores": [{"id": "real"}]}),
                    ("GET", "/smuggled"): (200, self.late_answer),
                }
            )
        )
        self.client = glanceclient.Client("2", endpoint=self.server.url, token="t", timeout=5)

    @staticmethod
    def late_answer(handler) -> None:
        time.sleep(0.5)
        body = b'{"stores": [{"id": "smuggled"}]}'
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))

    def upload(self, stream: io.FileIO) -> None:
        with stream:
            self.client.images.upload(base.IMAGE_ID, stream, image_size=self.size)

    def assert_next_call_answered(self) -> None:
        self.assertEqual({"stores": [{"id": "real"}]}, self.client.images.get_stores_info())
        self.assertNotIn("/smuggled", [r.path for r in self.server.recorded])

    def test_grown_file_sends_the_size_announced(self):
        self.upload(ChangingFile(self.path, extra=self.SMUGGLED))
        self.assert_next_call_answered()

    def test_shrunk_file_fails_at_once(self):
        started = time.monotonic()
        e = self.assertRaises(
            exc.ImageDataEndedEarly, self.upload, ChangingFile(self.path, keep=10)
        )
        self.assertLess(time.monotonic() - started, 4)
        self.assertEqual(
            "The image data ended after 10 of the %d bytes announced "
            "(the file shrank while it was read)." % self.size,
            str(e),
        )
        self.assert_next_call_answered()

    def test_stream_of_unknown_size_is_chunked(self):
        with open(self.path, "rb") as f:
            self.client.images.upload(base.IMAGE_ID, io.BufferedReader(io.BytesIO(f.read())))
        (put,) = self.server.recorded
        self.assertEqual("chunked", put.headers.get("transfer-encoding"))
        self.assertNotIn("content-length", put.headers)
