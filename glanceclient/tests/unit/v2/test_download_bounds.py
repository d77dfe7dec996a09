"""Image data read from the server is bounded by the image's size: a longer
body is cut and fails, a shorter one fails, hash or no hash; and every
error raised while it is read is both the client's and an ``OSError``
(callers such as nova catch ``IOError`` around an image stream)."""

from __future__ import annotations

import hashlib
import io
import os
import threading

import testtools

import glanceclient
from glanceclient import exc
from glanceclient.common import answers
from glanceclient.tests.fakeglance import routes
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2.commands import base as cbase

ID = base.IMAGE_ID
IMAGE_URL = base.ENDPOINT + "/v2/images/" + ID
FILE_URL = IMAGE_URL + "/file"
NODES_URL = base.ENDPOINT + "/v2/cache/nodes/" + ID
NODE_A = "http://node_a:60999"
NODE_B = "http://node_b:60999"
MiB = 1 << 20
DATA = bytes(range(256)) * (2 * MiB // 256)


class Counted(io.RawIOBase):
    """A body of ``data`` (a close-delimited answer: no Content-Length),
    counting what was read of it; ``broken_at`` breaks the connection
    there."""

    def __init__(self, data: bytes, broken_at: int | None = None) -> None:
        self.data, self.broken_at, self.sent = data, broken_at, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.broken_at is not None and self.sent >= self.broken_at:
            raise ConnectionResetError(104, "Connection reset by peer")
        end = len(self.data) if self.broken_at is None else self.broken_at
        n = min(len(buffer), end - self.sent)
        buffer[:n] = self.data[self.sent : self.sent + n]
        self.sent += n
        return n


class BoundsTestCase(base.TestCase):
    def image(self, hashed: bool = True, data: bytes = DATA) -> None:
        fields = {"os_hash_algo": None, "os_hash_value": None}
        if hashed:
            fields = {"os_hash_algo": "sha512", "os_hash_value": hashlib.sha512(data).hexdigest()}
        self.requests.get(IMAGE_URL, json=cbase.image(size=len(data), checksum=None, **fields))

    def read(self, **kwargs) -> bytes:
        return b"".join(self.make_client().images.data(ID, **kwargs))

    def assert_stream_error(self, error: BaseException) -> None:
        self.assertIsInstance(error, exc.CommunicationError)
        self.assertIsInstance(error, OSError)


class RegularEndpointTest(BoundsTestCase):
    def test_endless_body_is_cut_at_the_image_size(self):
        self.image()
        body = Counted(DATA * 50)
        self.requests.get(FILE_URL, body=body)
        e = self.assertRaises(exc.CommunicationError, self.read)
        self.assert_stream_error(e)
        self.assertEqual(
            "%s sent more than the image's %d bytes." % (base.ENDPOINT, len(DATA)), str(e)
        )
        self.assertLessEqual(body.sent, len(DATA) + answers.CHUNK_SIZE)

    def test_longer_body_fails_without_a_hash(self):
        self.image(hashed=False)
        self.requests.get(FILE_URL, body=Counted(DATA + b"more"))
        self.assert_stream_error(self.assertRaises(exc.CommunicationError, self.read))

    def test_short_close_delimited_body_fails_without_a_hash(self):
        self.image(hashed=False)
        self.requests.get(FILE_URL, body=Counted(DATA[:-1]))
        e = self.assertRaises(exc.CommunicationError, self.read)
        self.assert_stream_error(e)
        self.assertEqual(
            "The download from %s ended after %d of %d bytes."
            % (base.ENDPOINT, len(DATA) - 1, len(DATA)),
            str(e),
        )

    def test_the_exact_size_is_accepted(self):
        self.image(hashed=False)
        self.requests.get(FILE_URL, body=Counted(DATA))
        self.assertEqual(DATA, self.read())

    def test_broken_stream_is_an_oserror(self):
        self.image()
        self.requests.get(FILE_URL, body=Counted(DATA, broken_at=MiB + 10))
        try:
            self.read()
        except OSError as e:  # what nova and upstream's callers catch
            self.assert_stream_error(e)
            self.assertIn("Connection reset by peer", str(e))
        else:
            self.fail("a broken stream was read whole")

    def test_hash_mismatch_is_still_an_oserror(self):
        self.image()
        self.requests.get(FILE_URL, body=Counted(DATA[:-1] + b"\0"))
        e = self.assertRaises(exc.CorruptDownload, self.read)
        self.assertIsInstance(e, OSError)


class FromCacheTest(BoundsTestCase):
    def setUp(self):
        super().setUp()
        self.image()
        self.requests.get(NODES_URL, json=[NODE_A, NODE_B])
        for node in (NODE_A, NODE_B):
            self.requests.get(node + "/healthcheck", text="OK")

    def ranged(self, root: str, offset: int, data: bytes = DATA):
        return self.requests.get(
            root + "/v2/images/%s/file" % ID,
            content=data[offset:],
            status_code=206,
            headers={"Content-Range": "bytes %d-%d/%d" % (offset, len(data) - 1, len(data))},
        )

    def data(self):
        return self.make_client().images.data(ID, from_cache=NODE_A, prefer_nodes=[NODE_B])

    def test_excess_fails_the_node_and_the_next_goes_on_with_a_range_inside(self):
        # Node A's second chunk runs past the end of a smaller image: it is
        # dropped whole, and node B is asked for the rest from the end of
        # the first.
        image = DATA[:-1000]
        self.image(data=image)
        self.requests.get(NODE_A + "/v2/images/%s/file" % ID, body=Counted(DATA))
        rest = self.ranged(NODE_B, MiB, image)
        body = self.data()
        self.assertEqual(image, b"".join(body))
        self.assertEqual("bytes=%d-" % MiB, rest.last_request.headers["Range"])
        self.assertEqual(
            "%s sent more than the image's %d bytes." % (NODE_A, len(image)),
            body.sources[0].error,
        )

    def test_no_range_past_the_end_is_ever_asked(self):
        # Node A sends the whole image, then more: nothing is left that a
        # range could ask for, so the download fails.
        self.requests.get(
            NODE_A + "/v2/images/%s/file" % ID, body=Counted(DATA + b"x" * answers.CHUNK_SIZE)
        )
        rest = self.ranged(NODE_B, len(DATA))
        e = self.assertRaises(exc.CommunicationError, b"".join, self.data())
        self.assert_stream_error(e)
        self.assertEqual(0, rest.call_count)


class CommandTest(cbase.CommandTest):
    def test_too_long_leaves_no_file(self):
        self.requests.get(IMAGE_URL, json=cbase.image(size=len(DATA)))
        self.requests.get(FILE_URL, body=Counted(DATA * 3))
        target = os.path.join(self.tmp, "out.raw")
        status, out, err = self.run_glance("image-download", "--file", target, ID)
        self.assertEqual(1, status)
        self.assert_one_error_line(
            err, "%s sent more than the image's %d bytes." % (base.ENDPOINT, len(DATA))
        )
        self.assertEqual([], [n for n in os.listdir(self.tmp) if n != "cache"])


class StalledStreamTest(testtools.TestCase):
    """A body that stops coming, on a loopback socket."""

    def test_stall_is_a_timeout_and_an_oserror(self):
        done = threading.Event()
        self.addCleanup(done.set)

        def part_then_silence(handler) -> None:
            handler.wfile.write(
                b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(DATA) + DATA[:1000]
            )
            handler.wfile.flush()
            done.wait(10)

        path = "/v2/images/" + ID
        server = self.useFixture(
            routes.FakeGlance(
                {
                    ("GET", path): (200, cbase.image(size=len(DATA), checksum=None)),
                    ("GET", path + "/file"): (200, part_then_silence),
                }
            )
        )
        client = glanceclient.Client("2", endpoint=server.url, token="t", timeout=2)
        e = self.assertRaises(exc.Timeout, b"".join, client.images.data(ID))
        self.assertIsInstance(e, OSError)
        self.assertIsInstance(e, exc.StreamTimeout)
