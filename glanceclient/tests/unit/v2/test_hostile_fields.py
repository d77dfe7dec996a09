"""Hostile headers and record fields from a server on 127.0.0.1: a bad
Content-Length, size or hash value raises only client errors (or is
passed over), and a legal duplicate ``Content-Length: N, N`` is accepted,
through the SDK and ``glance``."""

from __future__ import annotations

import hashlib
import json
import os

import fixtures

import glanceclient
from glanceclient import exc
from glanceclient.tests.fakeglance import routes as fakeglance
from glanceclient.tests.unit import base

DATA = b"hello"
IMAGE_PATH = "/v2/images/" + base.IMAGE_ID
FILE_PATH = IMAGE_PATH + "/file"
SHA512 = hashlib.sha512(DATA).hexdigest()


def image(**fields) -> dict:
    body = {
        "id": base.IMAGE_ID,
        "name": "cirros",
        "status": "active",
        "size": len(DATA),
        "checksum": None,
        "os_hash_algo": "sha512",
        "os_hash_value": SHA512,
    }
    body.update(fields)
    return body


def data_answer(*lengths: bytes):
    """The image data, sent with these Content-Length header lines."""

    def answer(handler) -> None:
        handler.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
            + b"".join(b"Content-Length: %s\r\n" % n for n in lengths)
            + b"\r\n"
            + DATA
        )
        handler.wfile.flush()

    return answer


class HostileFieldsTest(base.ShellTestCase):
    def setUp(self):
        super().setUp()
        self.requests.stop()  # to the loopback server below
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.routes: fakeglance.Routes = {
            ("GET", IMAGE_PATH): (200, image()),
            ("GET", FILE_PATH): (200, data_answer(b"5")),
            ("GET", "/v2/cache"): (200, {"cached_images": [], "queued_images": []}),
        }
        self.server = self.useFixture(fakeglance.FakeGlance(self.routes))

    def client(self):
        return glanceclient.Client("2", endpoint=self.server.url, token=base.TOKEN, timeout=5)

    def glance(self, *argv: str) -> tuple[int, str, str]:
        return self.run_glance(
            "--os-image-url", self.server.url, "--os-auth-token", "t", *argv, token_args=False
        )

    def download(self, *options: str) -> tuple[int, str, str, bytes | None]:
        target = os.path.join(self.tmp, "image")
        status, out, err = self.glance("image-download", *options, "--file", target, base.IMAGE_ID)
        written = None
        if os.path.exists(target):
            with open(target, "rb") as f:
                written = f.read()
            os.unlink(target)
        return status, out, err, written

    def test_duplicate_identical_content_length_is_accepted(self):
        for lengths in ((b"5, 5",), (b"5", b"5"), (b"5,5",)):
            self.routes[("GET", FILE_PATH)] = (200, data_answer(*lengths))
            body = self.client().images.data(base.IMAGE_ID)
            self.assertEqual(5, len(body))
            self.assertEqual(DATA, b"".join(body))
            status, out, err, written = self.download("--progress")
            self.assertEqual((0, DATA), (status, written), err)

    def test_conflicting_content_length_is_an_invalid_response(self):
        self.routes[("GET", FILE_PATH)] = (200, data_answer(b"5, 6"))
        e = self.assertRaises(exc.InvalidResponse, self.client().images.data, base.IMAGE_ID)
        self.assertIn(
            "answered a malformed header: Content-Length contained multiple unmatching values",
            str(e),
        )
        self.assertNotIn("cannot be sent", str(e))
        status, out, err, written = self.download()
        self.assertEqual(1, status)
        self.assertIn("answered a malformed header", err)

    def test_content_length_that_is_no_count_falls_back_on_the_size(self):
        for length in (b"abc", b"-5", b"0x5", b"5.0", b"\xd9\xa5"):
            self.routes[("GET", FILE_PATH)] = (200, data_answer(length))
            body = self.client().images.data(base.IMAGE_ID)
            self.assertEqual(5, len(body), length)
            self.assertEqual(DATA, b"".join(body))
            status, out, err, written = self.download("--progress")
            self.assertEqual((0, DATA), (status, written), err)

    def test_sizes_that_are_no_count(self):
        self.routes[("GET", FILE_PATH)] = (200, data_answer(b"abc"))
        for size in ("5", -5, 5.5, True, [5], {"n": 5}, 2**70):
            self.routes[("GET", IMAGE_PATH)] = (200, image(size=size))
            body = self.client().images.data(base.IMAGE_ID)
            self.assertEqual(0, len(body))
            self.assertEqual(DATA, b"".join(body))
            status, out, err, written = self.download("--progress")
            self.assertEqual((0, DATA), (status, written), err)

    def test_hash_values_that_are_not_strings(self):
        for fields in (
            {"os_hash_value": 5},
            {"os_hash_value": [SHA512]},
            {"os_hash_value": None, "checksum": {"md5": 1}},
        ):
            self.routes[("GET", IMAGE_PATH)] = (200, image(**fields))
            e = self.assertRaises(exc.InvalidResponse, self.client().images.data, base.IMAGE_ID)
            self.assertIn("is not a string", str(e))
            status, out, err, written = self.download()
            self.assertEqual((1, None), (status, written))
            self.assert_one_error_line(err, str(e))

    def test_hash_algorithms_not_available(self):
        for algorithm in ("shake_128", "nosuch", "sha512\x00", 5, ["sha512"]):
            self.routes[("GET", IMAGE_PATH)] = (200, image(os_hash_algo=algorithm))
            e = self.assertRaises(
                exc.UnknownHashAlgorithm, self.client().images.data, base.IMAGE_ID
            )
            self.assertIsInstance(e, ValueError)  # as upstream raises
            self.assertIn("is not available here", str(e))
            status, out, err, written = self.download()
            self.assertEqual((1, None), (status, written), err)

    def test_cache_list_fields(self):
        self.routes[("GET", "/v2/cache")] = (
            200,
            b'{"cached_images": [{"image_id": "i1", "last_accessed": NaN, '
            b'"last_modified": 1e400, "size": NaN, "hits": Infinity}, '
            b'{"image_id": "i2", "last_accessed": 1e300, "last_modified": -1e300, '
            b'"size": 1' + b"0" * 400 + b', "hits": 1}], "queued_images": []}',
        )
        status, out, err = self.glance("cache-list")
        self.assertEqual(0, status, err)
        self.assertIn("| i1 | -    | cached | nan", out)  # no name (#22 added the column)
        self.assertIn("| i2 | -    | cached | 1e+300", out)
        # JSON stays JSON: what no JSON number can hold is text.
        status, out, err = self.glance("cache-list", "-f", "json")
        self.assertEqual(0, status, err)
        rows = json.loads(out, parse_constant=self.fail)
        self.assertEqual(
            ["nan", "inf", "nan", "inf"],
            [rows[0][k] for k in ("last_accessed_utc", "last_modified_utc", "size", "hits")],
        )
        self.assertEqual(10**400, rows[1]["size"])
