"""Downloading an image from the node that caches it, on real Glance 33.0.0
nodes: ``glance image-download --from-cache`` and ``images.data(from_cache=
True)``, their fallback to the regular endpoint, and a node killed
mid-download."""

from __future__ import annotations

import hashlib
import os
import pathlib
import signal

import fixtures

from glanceclient.tests.functional import base

SMALL = b"cached on node b only\n" * 4096
#: Large enough that a node killed after the first chunk has not sent it all.
LARGE = os.urandom(1 << 20) * 32


class CacheDownloadTest(base.FunctionalTest):
    """Two centralized_db nodes of the test's own (node b is killed); every
    request is sent to node a."""

    cluster_shape = {"nodes": 2, "sqlite_node": False, "nocache_node": False}
    cluster_shared = False

    def setUp(self) -> None:
        super().setUp()
        self.a, self.b = self.cluster.nodes
        self.tmp = pathlib.Path(self.useFixture(fixtures.TempDir()).path)

    def hits(self, node: object, image_id: str) -> int | None:
        """The ``hits`` of an image in a node's GET /v2/cache (None: not cached)."""
        listing = self.cluster.request("GET", "/v2/cache", node).json()
        found = [i["hits"] for i in listing["cached_images"] if i["image_id"] == image_id]
        return found[0] if found else None

    def assert_hits(self, node: object, image_id: str, expected: int) -> None:
        """Wait until a node's ``hits`` of an image reach ``expected``: Glance
        counts a hit once it has sent the last byte, which may be after the
        client has read it (on a loaded machine, well after)."""
        self.cluster.wait_for(
            lambda: self.hits(node, image_id) == expected,
            timeout=30,
            message="hits of %s on %s != %d" % (image_id, node, expected),
        )

    def cached_on_b(self, data: bytes) -> str:
        image_id = self.cluster.create_image(data, self.a, properties={"visibility": "public"})
        self.addCleanup(self.cluster.delete_image, image_id, self.a)
        self.cluster.download_image(image_id, self.b, wait_cached=True)
        self.assertEqual([self.b.url], self.cluster.cached_nodes(image_id, self.a))
        return image_id

    def download(self, image_id: str, *options: str, role: str = "admin") -> base.Result:
        target = self.tmp / image_id
        result = self.glance(
            "image-download", "--from-cache", *options, "--file", str(target), image_id, role=role
        )
        self.assertEqual(0, result.status, result)
        self.assertEqual("", result.out)
        return result

    def assert_file(self, image_id: str, data: bytes) -> None:
        self.assertEqual(
            hashlib.sha256(data).hexdigest(),
            hashlib.sha256((self.tmp / image_id).read_bytes()).hexdigest(),
        )

    def test_served_by_the_caching_node_then_falling_back(self) -> None:
        small, large = self.cached_on_b(SMALL), self.cached_on_b(LARGE)

        # From node b's cache: b's hits rise, node a never caches it.
        before = self.hits(self.b, small)
        result = self.download(small)
        self.assertEqual(
            "glance: Image data came from the cache of node %s.\n" % self.b.url, result.err
        )
        self.assert_file(small, SMALL)
        self.assert_hits(self.b, small, before + 1)
        self.assertIsNone(self.hits(self.a, small))
        body = self.sdk(self.a).images.data(small, from_cache=True)
        self.assertEqual(SMALL, b"".join(body))
        self.assertEqual(self.b.url, body.served_by)
        self.assert_hits(self.b, small, before + 2)

        # A member may not list the nodes: the regular endpoint, saying why.
        result = self.download(small, role="member")
        self.assertEqual(
            "glance: Image data came from the regular endpoint %s: listing the nodes "
            "that cache an image needs an administrator.\n" % self.a.url,
            result.err,
        )
        self.assert_file(small, SMALL)
        self.assertEqual(before + 2, self.hits(self.b, small))

        # Node b killed after the first chunk: node a sends the rest (a range
        # request), and the whole image is checked against its hash.
        body = self.sdk(self.a).images.data(large, from_cache=True)
        chunks = iter(body)
        received = [next(chunks)]
        self.assertEqual(self.b.url, body.served_by)
        for pid in self.b.pids():
            os.kill(pid, signal.SIGKILL)
        self.b.stop(grace=1)
        received += list(chunks)
        self.assertEqual(
            hashlib.sha256(LARGE).digest(), hashlib.sha256(b"".join(received)).digest()
        )
        self.assertEqual(
            [(self.b.url, self.b.url, 0), (self.a.url, None)],
            [(s.url, s.node, s.offset) if s.error else (s.url, s.node) for s in body.sources],
        )
        resumed_at = body.sources[1].offset
        self.assertTrue(0 < resumed_at < len(LARGE), resumed_at)
        self.assertIsNone(self.hits(self.a, large))  # a ranged read is not cached

        # Node b stopped before the call: node a serves, and says why.
        result = self.download(large)
        self.assertEqual(
            "glance: Image data came from the regular endpoint %s: no node caching the image "
            "answers its health check (%s: unreachable).\n" % (self.a.url, self.b.url),
            result.err,
        )
        self.assert_file(large, LARGE)
