"""Checking downloaded data against the image's hashes."""

from __future__ import annotations

import hashlib

import requests
import testtools

from glanceclient import exc
from glanceclient.common import integrity
from glanceclient.common import utils

DATA = [b"abc", b"def"]
SHA512 = hashlib.sha512(b"abcdef").hexdigest()
MD5 = hashlib.md5(b"abcdef").hexdigest()  # noqa: S324


def answer(**headers) -> requests.Response:
    r = requests.Response()
    r.headers.update(headers)
    return r


class CheckTest(testtools.TestCase):
    def read(self, image, allow_md5_fallback=False, **headers):
        chunks = integrity.check(iter(DATA), image, answer(**headers), allow_md5_fallback)
        return list(chunks)

    def test_multihash(self):
        self.assertEqual(DATA, self.read({"os_hash_algo": "sha512", "os_hash_value": SHA512}))

    def test_multihash_mismatch_after_last_chunk(self):
        image = {"os_hash_algo": "sha512", "os_hash_value": "f" * 128, "checksum": MD5}
        chunks = integrity.check(iter(DATA), image, answer(), False)
        self.assertEqual(b"abc", next(chunks))
        self.assertEqual(b"def", next(chunks))
        e = self.assertRaises(exc.CorruptDownload, next, chunks)
        self.assertIsInstance(e, OSError)
        self.assertEqual(
            "[Errno 32] Corrupt image download. Hash was %s expected %s" % (SHA512, "f" * 128),
            str(e),
        )

    def test_checksum_when_no_multihash(self):
        self.assertEqual(DATA, self.read({"checksum": MD5}))
        e = self.assertRaises(exc.CorruptDownload, self.read, {"checksum": "0" * 32})
        self.assertIn("Checksum was %s expected %s" % (MD5, "0" * 32), str(e))

    def test_content_md5_last(self):
        self.assertEqual(DATA, self.read({}, **{"Content-MD5": MD5}))
        self.assertRaises(exc.CorruptDownload, self.read, {}, **{"Content-MD5": "0" * 32})

    def test_unknown_algorithm(self):
        image = {"os_hash_algo": "nosuchalgo", "os_hash_value": "x", "checksum": "0" * 32}
        self.assertRaises(ValueError, integrity.check, iter(DATA), image, answer(), False)
        # With the fallback, MD5 decides (and here finds a mismatch).
        self.assertRaises(exc.CorruptDownload, self.read, image, True)

    def test_nothing_to_check_against(self):
        self.assertEqual(DATA, self.read({}))


class IterableWithLengthTest(testtools.TestCase):
    def test_nova_construction(self):
        closed = []

        def chunks():
            try:
                yield b"ab"
                yield b"c"
            finally:
                closed.append(True)

        it = utils.IterableWithLength(chunks(), 3)
        self.assertEqual(3, len(it))
        self.assertEqual([b"ab", b"c"], list(it))
        self.assertEqual([True], closed)

    def test_next(self):
        it = utils.IterableWithLength([b"a", b"b"], 2)
        self.assertEqual(b"a", next(it))
        self.assertEqual(b"b", it.next())
