"""Upload bodies and the size header."""

from __future__ import annotations

import io
import tempfile

import testtools

from glanceclient import exc
from glanceclient.common import uploads


class BodyTest(testtools.TestCase):
    def test_file_object_read_in_chunks(self):
        data = b"x" * (uploads.CHUNK_SIZE + 5)
        chunks = list(uploads.body(io.BytesIO(data)))
        self.assertEqual([uploads.CHUNK_SIZE, 5], [len(c) for c in chunks])
        self.assertEqual(data, b"".join(chunks))

    def test_regular_file_of_the_given_size_is_sized(self):
        data = b"x" * (uploads.CHUNK_SIZE + 5)
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
