"""What the SDK sends to real Glance nodes: one request per call, and the
version list only to explain a failure."""

from __future__ import annotations

import typing as ty
from urllib import parse

from glanceclient import exc
from glanceclient.tests.functional import base


class RoundTripsTest(base.FunctionalTest):
    def watched(self, node: ty.Any = None) -> tuple[ty.Any, list[tuple[str, str]]]:
        """The SDK client on ``node``, and the (method, path) of each
        answer it receives, as requests saw them."""
        client = self.sdk(node)
        sent: list[tuple[str, str]] = []

        def record(response: ty.Any, *args: ty.Any, **kwargs: ty.Any) -> None:
            sent.append((response.request.method, parse.urlsplit(response.url).path))

        client.http_client.adapter.session.session.hooks["response"].append(record)
        return client, sent

    def test_each_call_sends_one_request(self) -> None:
        image_id = self.new_image()
        node = self.cluster.cache_nodes[0]
        client, sent = self.watched(node)
        self.assertEqual([], client.cache.list_nodes(image_id))
        self.assertIsNone(client.cache.queue(image_id))
        self.cluster.wait_for(lambda: node.url in self.sdk(node).cache.list_nodes(image_id))
        client.cache.list()
        client.cache.delete(image_id)
        client.cache.clean()
        client.cache.prune()
        self.assertEqual(
            [
                ("GET", "/v2/cache/nodes/" + image_id),
                ("PUT", "/v2/cache/" + image_id),
                ("GET", "/v2/cache"),
                ("DELETE", "/v2/cache/" + image_id),
                ("POST", "/v2/cache/clean"),
                ("POST", "/v2/cache/prune"),
            ],
            sent,
        )

    def test_a_404_reads_the_versions_once(self) -> None:
        client, sent = self.watched()
        missing = base.random_id()
        for _ in range(2):
            self.assertRaises(exc.HTTPNotFound, client.cache.list_nodes, missing)
        nodes = ("GET", "/v2/cache/nodes/" + missing)
        self.assertEqual([nodes, ("GET", "/versions"), nodes], sent)

    def test_node_without_cache_is_explained_then_known(self) -> None:
        image_id = self.new_image()
        client, sent = self.watched(self.cluster.nocache_node)
        self.assertRaises(exc.CachingNotEnabled, client.cache.queue, image_id)
        self.assertRaises(exc.CachingNotEnabled, client.cache.list)
        self.assertRaises(exc.CachingNotEnabled, client.cache.list_nodes, image_id)
        self.assertEqual([("PUT", "/v2/cache/" + image_id), ("GET", "/versions")], sent)
