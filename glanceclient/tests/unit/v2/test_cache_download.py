"""Tests of downloads from a node's cache: ``images.data(from_cache=...)``
(glanceclient.v2.cache_download) and ``glance image-download --from-cache``."""

from __future__ import annotations

import hashlib
import io
import logging
import os
from unittest import mock

import fixtures

from glanceclient import exc
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2.commands import base as cbase
from glanceclient.v2 import cache_download
from glanceclient.v2 import fleet

ID = base.IMAGE_ID
FILE = "/v2/images/%s/file" % ID
NODES_URL = base.ENDPOINT + "/v2/cache/nodes/" + ID
NODE_A = "http://node_a:60999"
NODE_B = "http://node_b:60999"
#: NODE_C's reference URL maps to this one.
MAPPED_C = "http://10.0.0.3:60999"
NODE_C = "http://node_c:60999"
MiB = 1 << 20
DATA = bytes(range(256)) * (3 * MiB // 256)
SHA512 = hashlib.sha512(DATA).hexdigest()


class Broken(io.RawIOBase):
    """A body whose connection breaks after ``cut`` bytes."""

    def __init__(self, data: bytes, cut: int) -> None:
        self.data, self.cut, self.sent = data, cut, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.sent >= self.cut:
            raise ConnectionResetError(104, "Connection reset by peer")
        n = min(len(buffer), self.cut - self.sent)
        buffer[:n] = self.data[self.sent : self.sent + n]
        self.sent += n
        return n


def image_body(**fields) -> dict:
    return cbase.image(
        size=len(DATA), os_hash_algo="sha512", os_hash_value=SHA512, checksum=None, **fields
    )


class CacheDownloadTestCase(base.TestCase):
    def setUp(self):
        super().setUp()
        self.log = self.useFixture(
            fixtures.FakeLogger(name=cache_download.__name__, level=logging.INFO)
        )
        self.requests.get(base.ENDPOINT + "/v2/images/" + ID, json=image_body())
        self.client = self.make_client(node_url_map=[NODE_C + "=" + MAPPED_C])

    def nodes(self, *urls: str, **kwargs):
        if kwargs:
            return self.requests.get(NODES_URL, **kwargs)
        return self.requests.get(NODES_URL, json=list(urls))

    def healthy(self, *roots: str) -> None:
        for root in roots:
            self.requests.get(root + "/healthcheck", text="OK")

    def serve(self, root: str, data: bytes = DATA, **kwargs):
        kwargs.setdefault("headers", {"x-openstack-request-id": "req-" + root[-5:]})
        if not {"body", "text"} & set(kwargs):
            kwargs["content"] = data
        return self.requests.get(root + FILE, **kwargs)

    def ranged(self, root: str, offset: int, data: bytes = DATA):
        return self.requests.get(
            root + FILE,
            content=data[offset:],
            status_code=206,
            headers={"Content-Range": "bytes %d-%d/%d" % (offset, len(data) - 1, len(data))},
        )

    def paths(self) -> list[str]:
        return ["%s%s" % (r.netloc, r.path) for r in self.requests.request_history]


class FromCacheTest(CacheDownloadTestCase):
    def test_served_by_the_live_caching_node_through_the_url_map(self):
        self.nodes(NODE_A, NODE_C)
        self.requests.get(NODE_A + "/healthcheck", exc=base.refused())
        self.healthy(MAPPED_C)
        served = self.serve(MAPPED_C)
        regular = self.serve(base.ENDPOINT)
        body = self.client.images.data(ID, from_cache=True)
        self.assertEqual(MAPPED_C, body.served_by)
        self.assertEqual(DATA, b"".join(body))
        self.assertEqual(["req-60999"], body.request_ids)
        self.assertEqual(len(DATA), len(body))
        self.assertEqual([(MAPPED_C, NODE_C, 0, None)], [tuple(s) for s in body.sources])
        self.assertIsNone(body.fallback_reason)
        self.assertEqual(base.TOKEN, served.last_request.headers["X-Auth-Token"])
        self.assertNotIn("Range", served.last_request.headers)
        self.assertEqual(0, regular.call_count)
        # The image, one nodes list, one probe per node, the data.
        paths = self.paths()
        self.assertEqual(
            [
                "glance.example.test:9292/v2/images/" + ID,
                "glance.example.test:9292/v2/cache/nodes/" + ID,
            ],
            paths[:2],
        )
        self.assertEqual(
            ["10.0.0.3:60999/healthcheck", "node_a:60999/healthcheck"], sorted(paths[2:4])
        )
        self.assertEqual(["10.0.0.3:60999" + FILE], paths[4:])
        self.assertIn(
            "Downloading image %s from the cache of node %s" % (ID, NODE_C), self.log.output
        )

    def test_the_named_node_first(self):
        self.nodes(NODE_A, NODE_B)
        self.healthy(NODE_A, NODE_B)
        self.serve(NODE_A)
        chosen = self.serve(NODE_B)
        body = self.client.images.data(ID, from_cache=NODE_B + "/")
        self.assertEqual(DATA, b"".join(body))
        self.assertEqual(NODE_B, body.served_by)
        self.assertEqual(1, chosen.call_count)
        body = self.client.images.data(ID, prefer_nodes=[NODE_A])  # implies from_cache
        self.assertEqual(NODE_A, body.served_by)

    def test_no_checksum_still_reads_the_size(self):
        self.nodes(NODE_A)
        self.healthy(NODE_A)
        self.serve(NODE_A, DATA[:-1])
        self.ranged(base.ENDPOINT, len(DATA) - 1)
        body = self.client.images.data(ID, do_checksum=False, from_cache=True)
        self.assertEqual(DATA, b"".join(body))
        self.assertEqual([NODE_A, base.ENDPOINT], [s.url for s in body.sources])

    def test_bad_from_cache(self):
        for value in ("ftp://node_a", NODE_A + "/v2", 3, None):
            self.assertRaises(exc.InvalidArgument, self.client.images.data, ID, from_cache=value)
        self.assertRaises(
            exc.InvalidArgument, self.client.images.data, ID, from_cache=True, prefer_nodes=["x"]
        )
        self.assertEqual([], self.requests.request_history)

    def test_an_image_without_data(self):
        self.nodes(NODE_A)
        self.healthy(NODE_A)
        self.requests.get(NODE_A + FILE, status_code=204)
        body = self.client.images.data(ID, from_cache=True)
        self.assertIsNone(body.wrapped)


class FallbackTest(CacheDownloadTestCase):
    def assert_regular(self, reason: str) -> None:
        regular = self.serve(base.ENDPOINT)
        body = self.client.images.data(ID, from_cache=True)
        self.assertEqual(DATA, b"".join(body))
        self.assertEqual(base.ENDPOINT, body.served_by)
        self.assertEqual(reason, body.fallback_reason)
        self.assertEqual([(base.ENDPOINT, None, 0, None)], [tuple(s) for s in body.sources])
        self.assertEqual(1, regular.call_count)
        self.assertEqual(
            "Downloading image %s from the regular endpoint %s: %s\n" % (ID, base.ENDPOINT, reason),
            self.log.output,
        )

    def test_not_an_administrator(self):
        self.nodes(status_code=403, text=base.error_body("403 Forbidden", "no"))
        self.assert_regular("listing the nodes that cache an image needs an administrator")

    def test_centralized_caching_off(self):
        self.nodes(status_code=409, text=base.error_body("409 Conflict", "off"))
        self.assert_regular("centralized caching is not enabled there")

    def test_no_cache_api(self):
        self.nodes(status_code=404, text="Caching via API is not supported at this site.")
        self.mock_versions(base.WITHOUT_CACHE)
        self.assert_regular("image caching is not enabled there")

    def test_server_without_a_nodes_list(self):
        self.nodes(status_code=404, text="The resource could not be found.")
        self.mock_versions(base.OLD_WITH_CACHE)
        self.assert_regular("the server has no nodes list (it is older than Image API 2.18)")

    def test_cached_nowhere(self):
        self.nodes()
        self.assert_regular("no node has the image in its cache")

    def test_no_live_node(self):
        self.nodes(NODE_A, NODE_B)
        self.requests.get(NODE_A + "/healthcheck", exc=base.refused())
        self.requests.get(NODE_B + "/healthcheck", status_code=503, text="DISABLED BY FILE")
        self.assert_regular(
            "no node caching the image answers its health check "
            "(%s: unreachable, %s: disabled)" % (NODE_A, NODE_B)
        )

    def test_the_nodes_list_failing_otherwise(self):
        self.nodes(status_code=500, text=base.error_body("500 Internal Server Error", "boom"))
        self.assert_regular(
            "the nodes list failed: HTTP 500 Internal Server Error: boom (GET %s)" % NODES_URL
        )


class FailoverTest(CacheDownloadTestCase):
    def setUp(self):
        super().setUp()
        self.nodes(NODE_A, NODE_B)
        self.healthy(NODE_A, NODE_B)

    def data(self):
        """Node A first, then node B, then the regular endpoint."""
        return self.client.images.data(ID, from_cache=NODE_A, prefer_nodes=[NODE_B])

    def test_mid_stream_break_goes_on_from_the_next_node_with_a_range(self):
        self.serve(NODE_A, body=Broken(DATA, 3 * MiB // 2))
        body = self.data()
        rest = self.ranged(NODE_B, MiB)
        regular = self.serve(base.ENDPOINT)
        self.assertEqual(DATA, b"".join(body))
        self.assertEqual("bytes=%d-" % MiB, rest.last_request.headers["Range"])
        self.assertEqual(0, regular.call_count)
        self.assertEqual(
            [(NODE_A, NODE_A, 0, True), (NODE_B, NODE_B, MiB, False)],
            [(s.url, s.node, s.offset, s.error is not None) for s in body.sources],
        )
        self.assertIn("Connection reset by peer", body.sources[0].error)
        self.assertEqual(NODE_B, body.served_by)
        self.assertIn(
            "Going on from %s at byte %d (a range request)." % (NODE_B, MiB), self.log.output
        )

    def test_short_body_then_a_server_that_ignores_the_range(self):
        self.serve(NODE_A, DATA[:1000])
        self.serve(NODE_B, DATA[:2000])
        self.serve(base.ENDPOINT)  # 200: the whole image again
        body = self.data()
        self.assertEqual(DATA, b"".join(body))
        self.assertEqual(
            [(NODE_A, 0), (NODE_B, 1000), (base.ENDPOINT, 2000)],
            [(s.url, s.offset) for s in body.sources],
        )
        self.assertEqual(
            "The download from %s ended after 1000 of %d bytes." % (NODE_A, len(DATA)),
            body.sources[0].error,
        )

    def test_failing_nodes_and_a_wrong_range_are_skipped(self):
        self.serve(NODE_A, status_code=500, text="boom")
        self.serve(NODE_B, DATA[:10])
        self.requests.get(
            base.ENDPOINT + FILE,
            content=DATA[20:],
            status_code=206,
            headers={"Content-Range": "bytes 20-%d/%d" % (len(DATA) - 1, len(DATA))},
        )
        body = self.data()
        self.assertEqual(NODE_B, body.served_by)  # node A failed before any data
        self.assertRaises(exc.InvalidResponse, b"".join, body)

    def test_the_last_source_short_is_an_error(self):
        self.serve(NODE_A, DATA[:10])
        self.serve(NODE_B, DATA[:20])
        self.requests.get(
            base.ENDPOINT + FILE,
            content=DATA[20:-1],
            status_code=206,
            headers={"Content-Range": "bytes 20-%d/%d" % (len(DATA) - 1, len(DATA))},
        )
        body = self.data()
        e = self.assertRaises(exc.CommunicationError, b"".join, body)
        self.assertEqual(
            "The download from %s ended after %d of %d bytes."
            % (base.ENDPOINT, len(DATA) - 1, len(DATA)),
            str(e),
        )

    def test_corrupt_data_is_an_error(self):
        self.serve(NODE_A, DATA[:-1] + b"\0")
        self.assertRaises(exc.CorruptDownload, b"".join, self.data())


class ChooseTest(base.TestCase):
    def choose(self, states, prefer=()):
        client = self.make_client()
        with mock.patch.object(fleet.Fleet, "check", autospec=True, return_value=states):
            return cache_download.choose(client.fleet, ID, prefer)

    def test_ok_nodes_by_preference_then_latency(self):
        states = [
            fleet.NodeStatus(NODE_A, NODE_A, fleet.OK, 30.0),
            fleet.NodeStatus(NODE_B, NODE_B, fleet.OK, 10.0),
            fleet.NodeStatus(NODE_C, MAPPED_C, fleet.OK, 20.0),
            fleet.NodeStatus("http://dead:1", "http://dead:1", fleet.UNREACHABLE, None),
            fleet.NodeStatus("http://off:1", "http://off:1", fleet.DISABLED, 1.0),
        ]
        self.assertEqual([NODE_B, NODE_C, NODE_A], [s.url for s in self.choose(states).nodes])
        self.assertEqual(
            [NODE_A, NODE_C, NODE_B],
            [s.url for s in self.choose(states, [NODE_A, MAPPED_C, "http://dead:1"]).nodes],
        )
        self.assertIsNone(self.choose(states).reason)


class CommandTest(cbase.CommandTest):
    def setUp(self):
        super().setUp()
        self.requests.get(cbase.IMAGE_URL, json=image_body())
        self.target = os.path.join(self.tmp, "out.raw")

    def download(self, *argv: str) -> tuple[int, str, str]:
        return self.run_glance("image-download", *argv)

    def test_from_the_cache_of_a_node(self):
        self.requests.get(NODES_URL, json=[NODE_A, NODE_B])
        for root in (NODE_A, NODE_B):
            self.requests.get(root + "/healthcheck", text="OK")
            self.requests.get(root + FILE, content=DATA)
        for argv in (
            ("--from-cache", "--file", self.target, ID),
            ("--file", self.target, "--from-cache", ID),
            ("--from-cache", NODE_B, "--file", self.target, ID),
            ("--prefer-node", NODE_B, "--file", self.target, ID),
        ):
            status, out, err = self.download(*argv)
            self.assertEqual((0, ""), (status, out), err)
            node = NODE_B if NODE_B in argv else None
            if node:
                self.assertEqual("glance: Image data came from the cache of node %s.\n" % node, err)
            else:
                self.assertRegex(
                    err,
                    r"^glance: Image data came from the cache of node http://node_[ab]:60999\.\n$",
                )
            with open(self.target, "rb") as f:
                self.assertEqual(DATA, f.read())

    def test_probe_timeout(self):
        self.requests.get(NODES_URL, json=[NODE_A])
        probe = self.requests.get(NODE_A + "/healthcheck", text="OK")
        self.requests.get(NODE_A + FILE, content=DATA)
        status, _, err = self.download(
            "--from-cache", "--probe-timeout", "0.7", "--file", self.target, ID
        )
        self.assertEqual(0, status, err)
        self.assertEqual(0.7, probe.last_request.timeout)
        status, _, err = self.download("--from-cache", "--file", self.target, ID)
        self.assertEqual(3, probe.last_request.timeout)  # the default
        status, out, err = self.download("--from-cache", "--probe-timeout", "0", ID)
        self.assertEqual((2, ""), (status, out))
        self.assertIn("--probe-timeout", err)

    def test_fallback_says_why(self):
        self.requests.get(NODES_URL, status_code=403, text=base.error_body("403 Forbidden", "no"))
        self.requests.get(cbase.IMAGE_URL + "/file", content=DATA)
        status, out, err = self.download("--from-cache", "--file", self.target, ID)
        self.assertEqual((0, ""), (status, out), err)
        self.assertEqual(
            "glance: Image data came from the regular endpoint %s: listing the nodes that "
            "cache an image needs an administrator.\n" % base.ENDPOINT,
            err,
        )

    def test_failover_is_told(self):
        self.requests.get(NODES_URL, json=[NODE_C])
        self.requests.get(NODE_C + "/healthcheck", text="OK")
        self.requests.get(NODE_C + FILE, content=DATA[:100])
        self.requests.get(
            cbase.IMAGE_URL + "/file",
            content=DATA[100:],
            status_code=206,
            headers={"Content-Range": "bytes 100-%d/%d" % (len(DATA) - 1, len(DATA))},
        )
        status, out, err = self.download("--from-cache", "--file", self.target, ID)
        self.assertEqual((0, ""), (status, out), err)
        self.assertEqual(
            "glance: Image data came from the cache of node %s, then from the regular endpoint "
            "%s from byte 100 on, after %s failed (The download from %s ended after 100 of %d "
            "bytes.).\n" % (NODE_C, base.ENDPOINT, NODE_C, NODE_C, len(DATA)),
            err,
        )

    def test_a_short_download_leaves_no_file(self):
        self.requests.get(NODES_URL, json=[])
        self.requests.get(cbase.IMAGE_URL + "/file", content=DATA[:100])
        status, out, err = self.download("--from-cache", "--file", self.target, ID)
        self.assert_failed(
            (status, out, err),
            "The download from %s ended after 100 of %d bytes." % (base.ENDPOINT, len(DATA)),
        )
        self.assertEqual([], [n for n in os.listdir(self.tmp) if "out.raw" in n])

    def test_usage(self):
        for argv, message in (
            (("--from-cache",), "the following arguments are required: <IMAGE_ID>"),
            (
                ("--from-cache", "ftp://x", "--file", self.target, ID),
                "argument --from-cache: 'ftp://x' is not a node URL: give one like http://node_1:9292.",
            ),
            (
                ("--prefer-node", "x", ID),
                "argument --prefer-node: 'x' is not a node URL: give one like http://node_1:9292.",
            ),
        ):
            status, out, err = self.download(*argv)
            self.assertEqual((2, ""), (status, out), err)
            self.assert_command_usage_error(err, "image-download", message)
        self.assertEqual([], self.requests.request_history)
