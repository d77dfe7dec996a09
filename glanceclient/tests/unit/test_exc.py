"""Turning error answers into one readable line."""

from __future__ import annotations

import json

import requests
import testtools

from glanceclient import exc


def response(
    status: int, text: str, content_type: str = "application/json", **headers
) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r._content = text.encode()
    r.headers["Content-Type"] = content_type
    r.headers.update(headers)
    return r


class FromResponseTest(testtools.TestCase):
    def test_status_map(self):
        for status, cls in (
            (400, exc.HTTPBadRequest),
            (401, exc.HTTPUnauthorized),
            (403, exc.HTTPForbidden),
            (404, exc.HTTPNotFound),
            (405, exc.HTTPMethodNotAllowed),
            (409, exc.HTTPConflict),
            (413, exc.HTTPOverLimit),
            (500, exc.HTTPInternalServerError),
            (502, exc.HTTPBadGateway),
            (503, exc.HTTPServiceUnavailable),
            (504, exc.HTTPGatewayTimeout),
        ):
            e = exc.from_response(response(status, "{}"), "GET", "http://h/x")
            self.assertIs(cls, type(e))
            self.assertEqual(status, e.status_code)
            self.assertIsInstance(e, exc.ClientException)

    def test_json_message_cleaned(self):
        body = json.dumps(
            {
                "message": "Caching via API is not supported at this site.<br /><br />\n\n\n",
                "code": "404 Not Found",
            }
        )
        e = exc.from_response(
            response(404, body, **{"x-openstack-request-id": "req-1"}), "GET", "http://h/v2/cache"
        )
        self.assertEqual("Caching via API is not supported at this site.", e.details)
        self.assertEqual(
            "HTTP 404 Not Found: Caching via API is not supported at this site. "
            "(GET http://h/v2/cache, request id req-1)",
            str(e),
        )

    def test_nested_json_message(self):
        body = json.dumps({"error": {"message": "Nope", "code": 403}})
        self.assertEqual("Nope", exc.from_response(response(403, body), "GET", "u").details)

    def test_html_message_without_title_repeat(self):
        page = (
            "<html><head><title>403 Forbidden</title></head>"
            "<body><h1>403 Forbidden</h1>Go &amp; away.<br /></body></html>"
        )
        e = exc.from_response(response(403, page, "text/html"), "GET", "u")
        self.assertEqual("Go & away.", e.details)

    def test_empty_body(self):
        e = exc.from_response(response(503, "", "text/plain"), "GET", "u")
        self.assertEqual("HTTP 503 Service Unavailable: (no message) (GET u)", str(e))

    def test_long_message_truncated(self):
        e = exc.from_response(response(500, "x" * 5000, "text/plain"), "GET", "u")
        self.assertEqual(exc.MAX_QUOTED, len(e.details))
        self.assertTrue(e.details.endswith("..."))

    def test_bad_json_falls_back_to_text(self):
        e = exc.from_response(response(400, "{not json", "application/json"), "PUT", "u")
        self.assertEqual("{not json", e.details)


class HierarchyTest(testtools.TestCase):
    def test_familiar_names_catchable_together(self):
        for cls in (
            exc.HTTPForbidden,
            exc.HTTPNotFound,
            exc.HTTPConflict,
            exc.CommunicationError,
            exc.Timeout,
            exc.ConnectionRefused,
            exc.InvalidResponse,
            exc.VersionNotSupported,
            exc.CachingNotEnabled,
            exc.NoUniqueMatch,
            exc.NoImageMatch,
        ):
            self.assertTrue(issubclass(cls, exc.ClientException), cls)

    def test_not_found_family(self):
        self.assertTrue(issubclass(exc.HTTPNotFound, exc.NotFound))
        self.assertTrue(issubclass(exc.NoImageMatch, exc.NotFound))

    def test_invalid_argument_is_value_error(self):
        self.assertRaises(ValueError, self._raise_invalid)

    @staticmethod
    def _raise_invalid():
        raise exc.InvalidArgument("bad")


class UpstreamNamesTest(testtools.TestCase):
    """Callers of upstream python-glanceclient catch these names."""

    def test_deprecated_aliases_catch_the_raised_classes(self):
        for status, alias in (
            (400, exc.BadRequest),
            (401, exc.Unauthorized),
            (403, exc.Forbidden),
            (404, exc.NotFound),
            (409, exc.Conflict),
            (413, exc.OverLimit),
            (503, exc.ServiceUnavailable),
        ):
            e = exc.from_response(response(status, "{}"), "GET", "http://h/x")
            self.assertIsInstance(e, alias)
            self.assertIsInstance(e, exc.HTTPException)
            # heat: type(ex) in exc.__dict__.values(); osc-lib: the name.
            self.assertIn(type(e), exc.__dict__.values())
            self.assertTrue(type(e).__name__.startswith("HTTP"))
            self.assertEqual(status, e.code)

    def test_own_classes_for_statuses_upstream_leaves_unmapped(self):
        for status, cls in (
            (300, exc.HTTPMultipleChoices),
            (410, exc.HTTPGone),
            (415, exc.HTTPUnsupportedMediaType),
            (416, exc.HTTPRequestedRangeNotSatisfiable),
            (429, exc.HTTPTooManyRequests),
        ):
            e = exc.from_response(response(status, "{}"), "GET", "http://h/x")
            self.assertIs(cls, type(e))
            self.assertEqual(status, e.code)

    def test_details_and_request_id_kept(self):
        body = json.dumps({"error": {"message": "boom"}})
        e = exc.from_response(
            response(409, body, **{"x-openstack-request-id": "req-1"}), "PUT", "http://h/x"
        )
        self.assertEqual("boom", e.details)
        self.assertEqual("req-1", e.request_id)
        self.assertEqual(("PUT", "http://h/x"), (e.method, e.url))

    def test_transport_errors_are_not_http_errors(self):
        for cls in (exc.CommunicationError, exc.InvalidEndpoint, exc.SSLCertificateError):
            self.assertFalse(issubclass(cls, exc.HTTPException), cls)
            self.assertTrue(issubclass(cls, exc.ClientException), cls)

    def test_version_errors_are_not_implemented(self):
        e = exc.CachingNotEnabled(
            "no cache", operation="list", required=(2, 14), available=None, url="u"
        )
        self.assertIsInstance(e, exc.HTTPNotImplemented)
        self.assertEqual("no cache", str(e))
        self.assertEqual(501, e.code)

    def test_corrupt_download_is_a_broken_pipe(self):
        e = exc.CorruptDownload("Corrupt image download. Hash was a expected b")
        self.assertIsInstance(e, BrokenPipeError)
        self.assertIsInstance(e, exc.ClientException)
        self.assertEqual(32, e.errno)
        self.assertEqual("[Errno 32] Corrupt image download. Hash was a expected b", str(e))

    def test_schema_error_is_also_type_error(self):
        self.assertTrue(issubclass(exc.SchemaValidationError, TypeError))
        self.assertTrue(issubclass(exc.SchemaValidationError, exc.InvalidArgument))


class UpstreamConstructionTest(testtools.TestCase):
    """Exceptions build as upstream's do, keeping this package's text."""

    def test_details_keyword(self):
        # heat's tests: HTTPOverLimit(details='over'); nova's: details=...
        e = exc.HTTPOverLimit(details="over")
        self.assertEqual("over", e.details)
        self.assertEqual(413, e.code)
        self.assertEqual("HTTP 413 Request Entity Too Large: over", str(e))
        self.assertEqual("busy", exc.HTTPConflict(details="busy").details)

    def test_positional_message_wins_over_details(self):
        self.assertEqual("a", exc.HTTPNotFound("a", details="b").details)

    def test_any_message_object(self):
        # cinder's tests: Forbidden(image_id) with a non-string id.
        e = exc.Forbidden(1)
        self.assertEqual("1", e.details)
        self.assertEqual("HTTP 403 Forbidden: 1", str(e))
        self.assertEqual("HTTP 404 Not Found: 123", str(exc.HTTPNotFound(details=123)))
        self.assertEqual("['x']", str(exc.CommandError(["x"])))

    def test_no_message(self):
        self.assertEqual("", exc.HTTPNotFound().details)
        self.assertEqual("HTTP 404 Not Found", str(exc.HTTPNotFound()))
        self.assertEqual("HTTP 503 Service Unavailable", str(exc.ServiceUnavailable("")))
