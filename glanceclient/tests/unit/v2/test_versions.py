"""The version gate (:mod:`glanceclient.v2.versions`), through the cache
controller against a mocked Glance: a failure that may mean "no cache API
here" or "server too old" is explained from the version list, read then,
once per client; ``is_supported`` and the version list's parsing."""

from __future__ import annotations

import threading
import time

import requests

from glanceclient import exc
from glanceclient.tests.unit import base

VERSIONS = ("GET", "/versions")
NODES = ("GET", "/v2/cache/nodes/" + base.IMAGE_ID.lower())
NOT_HERE = "Caching via API is not supported at this site."
NO_ROUTE = "The resource could not be found."


class VersionExplanationTest(base.TestCase):
    """Failures that may mean "no cache API here" or "server too old" are
    explained from the version list, read then, once per client."""

    def answer(self, method, path, status, message):
        return self.requests.register_uri(
            method,
            base.ENDPOINT + path,
            status_code=status,
            text=base.error_body("%d Whatever" % status, message),
            headers={"Content-Type": "application/json"},
        )

    def test_caching_disabled(self):
        # A node without a cache answers every cache route 404.
        self.mock_versions(base.WITHOUT_CACHE)
        self.answer("GET", NODES[1], 404, NOT_HERE)
        self.answer("POST", "/v2/cache/clean", 404, NOT_HERE)
        client = self.make_client()
        e = self.assertRaises(exc.CachingNotEnabled, client.cache.list_nodes, base.IMAGE_ID)
        self.assertEqual(
            "Image caching is not enabled on the Glance API at %s: it does not offer the "
            "cache API (version 2.14)." % base.ENDPOINT,
            str(e),
        )
        self.assertIsInstance(e.__cause__, exc.HTTPNotFound)
        self.assertEqual([NODES, VERSIONS], base.requests_sent(self.requests))
        # Known now: the next calls are refused without a request.
        for call in (
            lambda: client.cache.list_nodes(base.IMAGE_ID),
            client.cache.list,
            lambda: client.cache.queue(base.IMAGE_ID),
            client.cache.clean,
        ):
            self.assertRaises(exc.CachingNotEnabled, call)
        self.assertEqual([NODES, VERSIONS], base.requests_sent(self.requests))

    def test_caching_disabled_on_each_route(self):
        self.mock_versions(base.WITHOUT_CACHE)
        cases = [
            ("PUT", "/v2/cache/" + base.IMAGE_ID, lambda c: c.cache.queue(base.IMAGE_ID)),
            ("DELETE", "/v2/cache/" + base.IMAGE_ID, lambda c: c.cache.delete(base.IMAGE_ID)),
            ("GET", "/v2/cache", lambda c: c.cache.list()),
            ("DELETE", "/v2/cache", lambda c: c.cache.clear()),
            ("POST", "/v2/cache/prune", lambda c: c.cache.prune()),
        ]
        for method, path, call in cases:
            before = len(self.requests.request_history)
            self.answer(method, path, 404, NOT_HERE)
            self.assertRaises(exc.CachingNotEnabled, call, self.make_client())
            self.assertEqual(
                [(method, path.lower()), VERSIONS], base.requests_sent(self.requests, before)
            )

    def test_nodes_route_on_a_server_too_old(self):
        # Before 2.18 no route matches GET /v2/cache/nodes/<id>.
        self.mock_versions(base.OLD_WITH_CACHE)
        self.answer("GET", NODES[1], 404, NO_ROUTE)
        client = self.make_client()
        e = self.assertRaises(exc.VersionNotSupported, client.cache.list_nodes, base.IMAGE_ID)
        self.assertNotIsInstance(e, exc.CachingNotEnabled)
        self.assertEqual(
            "The Glance API at %s is too old for listing the nodes an image is cached on: "
            "that needs Image API version 2.18, and the server offers up to 2.16." % base.ENDPOINT,
            str(e),
        )
        self.assertEqual(((2, 18), (2, 16), "list_nodes"), (e.required, e.available, e.operation))
        self.assertEqual([NODES, VERSIONS], base.requests_sent(self.requests))
        # clean and prune are refused without a request; 2.14 calls go on.
        for call in (client.cache.clean, client.cache.prune):
            self.assertRaises(exc.VersionNotSupported, call)
        self.requests.get(base.CACHE_URL, json={"cached_images": [], "queued_images": []})
        self.assertEqual({"cached_images": [], "queued_images": []}, client.cache.list())
        self.assertEqual([NODES, VERSIONS, ("GET", "/v2/cache")], base.requests_sent(self.requests))

    def test_clean_and_prune_on_a_server_too_old(self):
        # From 2.14 to 2.17, POST /v2/cache/clean reaches /v2/cache/{image_id},
        # which refuses POST.
        self.mock_versions(base.OLD_WITH_CACHE)
        for path, call in (("/v2/cache/clean", "clean"), ("/v2/cache/prune", "prune")):
            before = len(self.requests.request_history)
            self.answer("POST", path, 405, "The method is not allowed for this resource.")
            e = self.assertRaises(exc.VersionNotSupported, getattr(self.make_client().cache, call))
            self.assertIn("too old for %sing the image cache" % call.rstrip("e"), str(e))
            self.assertEqual([("POST", path), VERSIONS], base.requests_sent(self.requests, before))

    def test_not_implemented_by_a_proxy(self):
        self.mock_versions(base.versions_document("2.9", "2.1", "2.0"))
        self.requests.get(base.NODES_URL, status_code=501, text="Not Implemented")
        e = self.assertRaises(
            exc.VersionNotSupported, self.make_client().cache.list_nodes, base.IMAGE_ID
        )
        self.assertIsInstance(e, exc.CachingNotEnabled)

    def test_version_errors_are_http_not_implemented(self):
        # python-glanceclient 4.x raised HTTPNotImplemented; callers catch it.
        self.mock_versions(base.OLD_WITH_CACHE)
        self.requests.get(base.NODES_URL, status_code=404, text=NO_ROUTE)
        e = self.assertRaises(
            exc.HTTPNotImplemented, self.make_client().cache.list_nodes, base.IMAGE_ID
        )
        self.assertIsInstance(e, exc.VersionNotSupported)
        self.assertEqual(base.ENDPOINT, e.url)

    def test_a_404_the_versions_do_not_explain_stands(self):
        self.mock_versions()
        message = "Image %s not found." % base.IMAGE_ID
        self.answer("GET", NODES[1], 404, message)
        client = self.make_client()
        e = self.assertRaises(exc.HTTPNotFound, client.cache.list_nodes, base.IMAGE_ID)
        self.assertNotIsInstance(e, exc.VersionNotSupported)
        self.assertEqual(message, e.details)
        self.assertEqual([NODES, VERSIONS], base.requests_sent(self.requests))
        # The list is read once per client.
        self.assertRaises(exc.HTTPNotFound, client.cache.list_nodes, base.IMAGE_ID)
        self.assertEqual([NODES, VERSIONS, NODES], base.requests_sent(self.requests))

    def test_other_failures_never_read_the_versions(self):
        self.mock_versions(base.WITHOUT_CACHE)
        for status, cls in (
            (400, exc.HTTPBadRequest),
            (401, exc.HTTPUnauthorized),
            (403, exc.HTTPForbidden),
            (409, exc.HTTPConflict),
            (500, exc.HTTPInternalServerError),
            (503, exc.HTTPServiceUnavailable),
        ):
            before = len(self.requests.request_history)
            self.answer("GET", NODES[1], status, "no")
            self.assertRaises(cls, self.make_client().cache.list_nodes, base.IMAGE_ID)
            self.assertEqual([NODES], base.requests_sent(self.requests, before))
        self.requests.get(base.NODES_URL, exc=base.refused())
        self.assertRaises(exc.ConnectionRefused, self.make_client().cache.list_nodes, base.IMAGE_ID)

    def test_an_unreadable_version_list_leaves_the_error_alone(self):
        self.answer("GET", NODES[1], 404, NOT_HERE)
        for versions in (
            {"status_code": 404, "text": NO_ROUTE},
            {"json": {"nothing": 1}},
            {"text": "not json"},
            {"exc": requests.exceptions.ConnectionError("refused")},
        ):
            self.requests.get(base.ENDPOINT + "/versions", **versions)
            e = self.assertRaises(
                exc.HTTPNotFound, self.make_client().cache.list_nodes, base.IMAGE_ID
            )
            self.assertEqual(NOT_HERE, e.details)
            self.assertEqual(base.NODES_URL, e.url)

    def test_concurrent_callers_share_one_read(self):
        def slow_versions(request, context):
            time.sleep(0.05)
            return base.WITH_CACHE

        versions = self.requests.get(base.ENDPOINT + "/versions", json=slow_versions)
        self.requests.get(base.NODES_URL, status_code=404, text="Image not found.")
        client = self.make_client()
        errors = []

        def call():
            try:
                client.cache.list_nodes(base.IMAGE_ID)
            except exc.HTTPNotFound as e:
                errors.append(e)

        threads = [threading.Thread(target=call) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(8, len(errors))
        self.assertEqual(1, versions.call_count)


class VersionListTest(base.TestCase):
    """Reading the version list, as a check before sending does."""

    def require(self, operation="list_nodes"):
        self.make_client().versions.require(operation)

    def test_versions_compared_as_numbers(self):
        # 2.9 sorts after 2.18 as a string; as numbers 2.18 is newest.
        self.mock_versions(base.versions_document("2.9", "2.18", "2.14", current="2.18"))
        self.require()

    def test_only_major_two_counts(self):
        self.mock_versions(base.versions_document("3.20", "2.9", "2.14"))
        e = self.assertRaises(exc.VersionNotSupported, self.require)
        self.assertEqual((2, 14), e.available)

    def test_malformed_versions(self):
        for body in ({"nothing": 1}, [1], {"versions": "v2.18"}):
            self.requests.get(base.ENDPOINT + "/versions", json=body)
            e = self.assertRaises(exc.InvalidResponse, self.require)
            self.assertIn("did not answer a list of API versions", str(e))

    def test_versions_answer_300_is_read(self):
        self.requests.get(base.ENDPOINT + "/versions", json=base.WITH_CACHE, status_code=300)
        self.require()

    def test_versions_error_is_reported(self):
        self.requests.get(base.ENDPOINT + "/versions", status_code=404, text=NO_ROUTE)
        e = self.assertRaises(exc.HTTPNotFound, self.require)
        self.assertEqual(base.ENDPOINT + "/versions", e.url)


class IsSupportedTest(base.TestCase):
    """``cache.is_supported(version)``, as python-glanceclient 4.x has it."""

    def test_supported(self):
        versions = self.mock_versions()
        client = self.make_client()
        for version in ("2.14", "v2.18", (2, 16)):
            self.assertTrue(client.cache.is_supported(version))
        self.assertEqual(1, versions.call_count)

    def test_too_old(self):
        self.mock_versions(base.OLD_WITH_CACHE)
        e = self.assertRaises(
            exc.HTTPNotImplemented, self.make_client().cache.is_supported, "v2.18"
        )
        self.assertIsInstance(e, exc.VersionNotSupported)
        self.assertIn("too old for version 2.18 of the image-cache API", str(e))

    def test_no_cache(self):
        self.mock_versions(base.WITHOUT_CACHE)
        self.assertRaises(exc.CachingNotEnabled, self.make_client().cache.is_supported, "2.14")

    def test_not_a_version(self):
        for bad in ("two", "", "2.x", None):
            self.assertRaises(exc.InvalidArgument, self.make_client().cache.is_supported, bad)
        self.assertEqual([], self.requests.request_history)
