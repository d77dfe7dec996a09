"""The cache controller against a mocked Glance, through the real
keystoneauth1 Session."""

from __future__ import annotations

import json

import requests
from testtools import matchers

from glanceclient import exc
from glanceclient.tests.unit import base

NODE_A = "http://127.0.0.1:60999"
NODE_B = "http://node_2:60999"


class ListNodesTest(base.TestCase):
    def setUp(self):
        super().setUp()
        self.versions = self.mock_versions()
        self.client = self.make_client()

    def test_bare_list(self):
        route = self.requests.get(base.NODES_URL, json=[NODE_B, NODE_A])
        self.assertEqual([NODE_B, NODE_A], self.client.cache.list_nodes(base.IMAGE_ID))
        self.assertEqual(1, route.call_count)
        sent = route.last_request
        self.assertEqual(base.TOKEN, sent.headers["X-Auth-Token"])
        self.assertEqual("application/json", sent.headers["Accept"])
        self.assertIsNone(sent.body)

    def test_empty_list(self):
        self.requests.get(base.NODES_URL, json=[])
        self.assertEqual([], self.client.cache.list_nodes(base.IMAGE_ID))

    def test_design_spec_shape(self):
        self.requests.get(base.NODES_URL, json={"cached_nodes": [NODE_A]})
        self.assertEqual([NODE_A], self.client.cache.list_nodes(base.IMAGE_ID))

    def test_old_alias(self):
        self.requests.get(base.NODES_URL, json=[NODE_A])
        self.assertEqual([NODE_A], self.client.cache.list_cached_nodes(base.IMAGE_ID))

    def test_one_request_per_call(self):
        route = self.requests.get(base.NODES_URL, json=[NODE_A])
        for _ in range(5):
            self.client.cache.list_nodes(base.IMAGE_ID)
        self.assertEqual(0, self.versions.call_count)
        self.assertEqual(5, route.call_count)
        self.assertEqual(5, len(self.requests.request_history))

    def test_request_id_readable(self):
        self.requests.get(
            base.NODES_URL, json=[], headers={"x-openstack-request-id": base.REQUEST_ID}
        )
        self.client.cache.list_nodes(base.IMAGE_ID)
        self.assertEqual(base.REQUEST_ID, self.client.cache.last_request_id)

    def test_wrong_shapes_are_rejected(self):
        for body in ({"nodes": [NODE_A]}, {"cached_nodes": "x"}, "text", [1, 2], None, 7, [None]):
            self.requests.get(base.NODES_URL, text=json.dumps(body))
            e = self.assertRaises(exc.InvalidResponse, self.client.cache.list_nodes, base.IMAGE_ID)
            self.assertIn("malformed node list", str(e))
            self.assertIn(base.NODES_URL, str(e))

    def test_huge_wrong_answer_is_quoted_truncated(self):
        self.requests.get(base.NODES_URL, json={"junk": "x" * 5000})
        e = self.assertRaises(exc.InvalidResponse, self.client.cache.list_nodes, base.IMAGE_ID)
        self.assertThat(len(str(e)), matchers.LessThan(400))
        self.assertIn("...", str(e))

    def test_not_json(self):
        self.requests.get(
            base.NODES_URL, text="<html>hello</html>", headers={"Content-Type": "text/html"}
        )
        e = self.assertRaises(exc.InvalidResponse, self.client.cache.list_nodes, base.IMAGE_ID)
        self.assertIn("not JSON", str(e))
        self.assertIn("<html>hello</html>", str(e))

    def test_empty_id_sends_nothing(self):
        for bad in ("", "   "):
            self.assertRaises(exc.InvalidArgument, self.client.cache.list_nodes, bad)
        self.assertEqual([], self.requests.request_history)


class ListNodesErrorTest(base.TestCase):
    """Each error of the nodes route, in the words the server uses."""

    def setUp(self):
        super().setUp()
        self.mock_versions()
        self.client = self.make_client()

    def answer(self, status, message, title):
        self.requests.get(
            base.NODES_URL,
            status_code=status,
            text=base.error_body("%d %s" % (status, title), message),
            headers={"Content-Type": "application/json", "x-openstack-request-id": base.REQUEST_ID},
        )

    def check(self, cls, status, message, title):
        self.answer(status, message, title)
        e = self.assertRaises(cls, self.client.cache.list_nodes, base.IMAGE_ID)
        self.assertEqual(status, e.status_code)
        self.assertEqual(message.replace("<br />", "").strip(), e.details)
        self.assertEqual("GET", e.method)
        self.assertEqual(base.NODES_URL, e.url)
        self.assertEqual(base.REQUEST_ID, e.request_id)
        line = str(e)
        self.assertNotIn("\n", line)
        self.assertNotIn("<br", line)
        self.assertTrue(line.startswith("HTTP %d %s: " % (status, title)), line)
        self.assertIn(base.REQUEST_ID, line)
        self.assertNotIn(base.TOKEN, line)
        return e

    def test_forbidden(self):
        self.check(
            exc.HTTPForbidden,
            403,
            "You are not authorized to complete list_cached_nodes action.",
            "Forbidden",
        )

    def test_image_not_found(self):
        e = self.check(exc.HTTPNotFound, 404, "Image %s not found." % base.IMAGE_ID, "Not Found")
        self.assertIsInstance(e, exc.NotFound)

    def test_centralized_caching_off(self):
        self.check(exc.HTTPConflict, 409, "Centralized caching is not enabled", "Conflict")

    def test_method_not_allowed(self):
        self.check(
            exc.HTTPMethodNotAllowed, 405, "The method is not allowed.", "Method Not Allowed"
        )

    def test_unauthorized(self):
        self.check(
            exc.HTTPUnauthorized,
            401,
            "The request you have made requires authentication.",
            "Unauthorized",
        )

    def test_server_errors(self):
        self.check(
            exc.HTTPInternalServerError, 500, "Boom<br /><br />\n\n", "Internal Server Error"
        )
        self.check(exc.HTTPServiceUnavailable, 503, "Try later.", "Service Unavailable")

    def test_unknown_status_keeps_family(self):
        self.requests.get(base.NODES_URL, status_code=418, text="teapot")
        e = self.assertRaises(exc.HTTPClientError, self.client.cache.list_nodes, base.IMAGE_ID)
        self.assertEqual(418, e.status_code)
        self.requests.get(base.NODES_URL, status_code=599, text="")
        e = self.assertRaises(exc.HTTPServerError, self.client.cache.list_nodes, base.IMAGE_ID)
        self.assertEqual(599, e.status_code)

    def test_html_error_body(self):
        page = (
            "<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n"
            "  <h1>404 Not Found</h1>\n"
            "  Caching via API is not supported at this site.<br /><br />\n"
            "\n\n\n </body>\n</html>"
        )
        self.requests.get(
            base.NODES_URL, status_code=404, text=page, headers={"Content-Type": "text/html"}
        )
        e = self.assertRaises(exc.HTTPNotFound, self.client.cache.list_nodes, base.IMAGE_ID)
        self.assertEqual("Caching via API is not supported at this site.", e.details)

    def test_connection_refused(self):
        self.requests.get(base.NODES_URL, exc=base.refused())
        e = self.assertRaises(exc.ConnectionRefused, self.client.cache.list_nodes, base.IMAGE_ID)
        self.assertIsInstance(e, exc.CommunicationError)
        self.assertEqual("Unable to connect to %s: Connection refused." % base.NODES_URL, str(e))

    def test_timeout(self):
        for error in (requests.exceptions.ConnectTimeout, requests.exceptions.ReadTimeout):
            self.requests.get(base.NODES_URL, exc=error("slow"))
            e = self.assertRaises(exc.Timeout, self.client.cache.list_nodes, base.IMAGE_ID)
            self.assertEqual("%s did not answer within 600 seconds." % base.NODES_URL, str(e))

    def test_tls_failure(self):
        self.requests.get(base.NODES_URL, exc=requests.exceptions.SSLError("bad cert"))
        e = self.assertRaises(exc.SSLError, self.client.cache.list_nodes, base.IMAGE_ID)
        self.assertIn("bad cert", str(e))


class OneRequestPerCallTest(base.TestCase):
    """On a new client, each call sends the request that does its work, and
    nothing else: the version list is not read on the happy path."""

    def setUp(self):
        super().setUp()
        self.versions = self.mock_versions()
        self.client = self.make_client()

    def check(self, call, method, path, **answer):
        self.requests.register_uri(method, base.ENDPOINT + path, **answer)
        call()
        self.assertEqual([(method, path.lower())], base.requests_sent(self.requests))

    def test_list_nodes(self):
        self.check(
            lambda: self.client.cache.list_nodes(base.IMAGE_ID),
            "GET",
            "/v2/cache/nodes/" + base.IMAGE_ID,
            json=[NODE_A],
        )

    def test_list(self):
        self.check(self.client.cache.list, "GET", "/v2/cache", json={"cached_images": []})

    def test_queue(self):
        self.check(
            lambda: self.client.cache.queue(base.IMAGE_ID),
            "PUT",
            "/v2/cache/" + base.IMAGE_ID,
            status_code=202,
        )

    def test_delete(self):
        self.check(
            lambda: self.client.cache.delete(base.IMAGE_ID),
            "DELETE",
            "/v2/cache/" + base.IMAGE_ID,
            status_code=204,
        )

    def test_clear(self):
        self.check(lambda: self.client.cache.clear("queue"), "DELETE", "/v2/cache", status_code=204)

    def test_clean(self):
        self.check(self.client.cache.clean, "POST", "/v2/cache/clean", text="")

    def test_prune(self):
        self.check(
            self.client.cache.prune,
            "POST",
            "/v2/cache/prune",
            json={"total_files_pruned": 0, "total_bytes_pruned": 0},
        )


class OtherOperationsTest(base.TestCase):
    def setUp(self):
        super().setUp()
        self.versions = self.mock_versions()
        self.client = self.make_client()

    def test_list(self):
        body = {
            "cached_images": [
                {
                    "image_id": base.IMAGE_ID,
                    "last_accessed": 1764070000.25,
                    "last_modified": 1764069000.5,
                    "size": 1048576,
                    "hits": 3,
                    "extra": "kept",
                }
            ],
            "queued_images": ["c0ffee00-0000-4000-8000-000000000001"],
        }
        route = self.requests.get(base.CACHE_URL, json=body)
        self.assertEqual(body, self.client.cache.list())
        self.assertEqual("GET", route.last_request.method)

    def test_list_malformed(self):
        for body in (
            [],
            {"cached_images": "x"},
            {"cached_images": [{"size": 1}]},
            {"queued_images": 3},
        ):
            self.requests.get(base.CACHE_URL, json=body)
            self.assertRaises(exc.InvalidResponse, self.client.cache.list)

    def test_queue_accepts_200_and_202(self):
        for status in (200, 202):
            route = self.requests.put(base.CACHE_URL + "/" + base.IMAGE_ID, status_code=status)
            self.assertIsNone(self.client.cache.queue(base.IMAGE_ID))
            self.assertEqual(1, route.call_count)

    def test_queue_errors(self):
        url = base.CACHE_URL + "/" + base.IMAGE_ID
        self.requests.put(
            url,
            status_code=404,
            json={"message": "Image not found"},
            headers={"Content-Type": "application/json"},
        )
        self.assertRaises(exc.HTTPNotFound, self.client.cache.queue, base.IMAGE_ID)
        self.requests.put(
            url,
            status_code=400,
            json={"message": "Image is not active"},
            headers={"Content-Type": "application/json"},
        )
        e = self.assertRaises(exc.HTTPBadRequest, self.client.cache.queue, base.IMAGE_ID)
        self.assertEqual("PUT", e.method)

    def test_delete(self):
        route = self.requests.delete(base.CACHE_URL + "/" + base.IMAGE_ID, status_code=204)
        self.assertIsNone(self.client.cache.delete(base.IMAGE_ID))
        self.assertEqual(1, route.call_count)

    def test_clear_targets(self):
        route = self.requests.delete(base.CACHE_URL, status_code=204)
        self.client.cache.clear()
        self.assertNotIn("x-image-cache-clear-target", route.last_request.headers)
        self.client.cache.clear("both")
        self.assertNotIn("x-image-cache-clear-target", route.last_request.headers)
        for target in ("cache", "queue"):
            self.client.cache.clear(target)
            self.assertEqual(target, route.last_request.headers["x-image-cache-clear-target"])
        self.assertEqual(4, route.call_count)

    def test_clear_bad_target_sends_nothing(self):
        route = self.requests.delete(base.CACHE_URL, status_code=204)
        for bad in ("all", "", "Cache", None):
            e = self.assertRaises(exc.InvalidArgument, self.client.cache.clear, bad)
            self.assertIn("both, cache, queue", str(e))
        self.assertEqual(0, route.call_count)
        self.assertEqual(0, self.versions.call_count)

    def test_clean(self):
        route = self.requests.post(base.CACHE_URL + "/clean", status_code=200, text="")
        self.assertIsNone(self.client.cache.clean())
        self.assertEqual(1, route.call_count)
        self.assertIn(route.last_request.body, (None, b"", ""))

    def test_prune(self):
        result = {"total_files_pruned": 2, "total_bytes_pruned": 2097152}
        self.requests.post(base.CACHE_URL + "/prune", json=result)
        self.assertEqual(result, self.client.cache.prune())

    def test_prune_malformed(self):
        for body in ({}, {"total_files_pruned": "2", "total_bytes_pruned": 1}, []):
            self.requests.post(base.CACHE_URL + "/prune", json=body)
            e = self.assertRaises(exc.InvalidResponse, self.client.cache.prune)
            self.assertIn("malformed prune result", str(e))

    def test_no_discovery_across_operations(self):
        self.requests.get(base.CACHE_URL, json={"cached_images": [], "queued_images": []})
        self.requests.get(base.NODES_URL, json=[])
        self.requests.post(base.CACHE_URL + "/clean")
        self.requests.delete(base.CACHE_URL, status_code=204)
        self.client.cache.list()
        self.client.cache.list_nodes(base.IMAGE_ID)
        self.client.cache.clean()
        self.client.cache.clear("cache")
        self.assertEqual(0, self.versions.call_count)
        self.assertEqual(4, len(self.requests.request_history))


class ImageIdQuotingTest(base.TestCase):
    """Ids are sent as exactly one path segment, whatever they contain.

    "." and ".." cannot be: requests resolves them as dot-segments (so
    ``/v2/cache/nodes/..`` would leave as ``/v2/cache/``), whatever quoting
    is used. They are refused before anything is sent.
    """

    def setUp(self):
        super().setUp()
        self.mock_versions()
        self.client = self.make_client()

    def test_awkward_ids(self):
        cases = {
            "...": "...",
            "50%": "50%25",
            "what?x=1": "what%3Fx%3D1",
            "with space": "with%20space",
            "ünïcødé": "%C3%BCn%C3%AFc%C3%B8d%C3%A9",
            "frag#x": "frag%23x",
        }
        for image_id, segment in cases.items():
            route = self.requests.get(base.ENDPOINT + "/v2/cache/nodes/" + segment, json=[])
            self.client.cache.list_nodes(image_id)
            self.assertEqual(1, route.call_count, image_id)
            url = route.last_request.url
            self.assertEqual(base.ENDPOINT + "/v2/cache/nodes/" + segment, url)
            route = self.requests.delete(base.ENDPOINT + "/v2/cache/" + segment, status_code=204)
            self.client.cache.delete(image_id)
            self.assertEqual(base.ENDPOINT + "/v2/cache/" + segment, route.last_request.url)

    def test_dot_segments_are_refused_before_sending(self):
        # Glance decodes %2F before routing: "nodes/<id>" given to delete
        # reached the nodes route.
        for image_id in (".", "..", "a/b", "nodes/" + base.IMAGE_ID, "../v2/images", "\udcff"):
            for call in (
                self.client.cache.list_nodes,
                self.client.cache.queue,
                self.client.cache.delete,
            ):
                e = self.assertRaises(exc.InvalidArgument, call, image_id)
                self.assertTrue(str(e).startswith("%r is not an image ID" % image_id), e)
        self.assertEqual([], self.requests.request_history)
