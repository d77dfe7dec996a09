"""The images controller's data: download (checked against the record's
hash), upload, staging and import, and locations. Hostile headers and
record fields from a server on 127.0.0.1: a bad Content-Length, size or
hash value raises only client errors (or is passed over), and a legal
duplicate ``Content-Length: N, N`` is accepted, through the SDK and
``glance``."""

from __future__ import annotations

import errno
import hashlib
import io
import os

import fixtures

import glanceclient
from glanceclient import exc
from glanceclient.tests.fakeglance import routes as fakeglance
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2 import base as v2base


class DataTest(v2base.ImagesTestCase):
    def mock_file(self, data=b"abcdef", status=200, **headers):
        headers.setdefault("Content-Type", "application/octet-stream")
        headers.setdefault("x-openstack-request-id", "req-f")
        return self.requests.get(
            v2base.IMAGE_URL + "/file", content=data, status_code=status, headers=headers
        )

    def test_checked_download(self):
        self.requests.get(
            v2base.IMAGE_URL,
            json=v2base.image(
                os_hash_algo="sha512", os_hash_value=hashlib.sha512(b"abcdef").hexdigest()
            ),
        )
        route = self.mock_file(**{"Content-Length": "6"})
        body = self.images.data(v2base.ID)
        self.assertEqual(6, len(body))
        self.assertEqual(["req-f"], body.request_ids)
        self.assertIs(body, body.wrapped)  # nova and ironic test .wrapped
        self.assertEqual(b"abcdef", b"".join(body))
        self.assertIsNone(route.last_request.qs.get("prefer"))

    def test_size_without_content_length(self):
        self.requests.get(v2base.IMAGE_URL, json=v2base.image(size=6))
        self.mock_file()
        self.assertEqual(6, len(self.images.data(v2base.ID)))
        self.assertEqual(0, len(self.images.data(v2base.ID, do_checksum=False)))

    def test_corrupt_download_raises_at_the_end(self):
        self.requests.get(v2base.IMAGE_URL, json=v2base.image(checksum="0" * 32))
        self.mock_file()
        chunks = iter(self.images.data(v2base.ID))
        self.assertEqual(b"abcdef", next(chunks))
        e = self.assertRaises(IOError, next, chunks)
        self.assertEqual(errno.EPIPE, e.errno)

    def test_without_checksum_no_metadata_request(self):
        get = self.requests.get(v2base.IMAGE_URL, json=v2base.image(checksum="0" * 32))
        route = self.mock_file()
        self.assertEqual(
            b"abcdef", b"".join(self.images.data(v2base.ID, do_checksum=False, prefer=["s1", "s2"]))
        )
        self.assertEqual(0, get.call_count)
        self.assertIn("prefer=s1%2Cs2", route.last_request.url)

    def test_unknown_algorithm(self):
        self.requests.get(
            v2base.IMAGE_URL,
            json=v2base.image(
                os_hash_algo="nosuch",
                os_hash_value="x",
                checksum=hashlib.md5(b"abcdef").hexdigest(),  # noqa: S324
            ),
        )
        self.mock_file()
        self.assertRaises(ValueError, self.images.data, v2base.ID)
        self.assertEqual(b"abcdef", b"".join(self.images.data(v2base.ID, allow_md5_fallback=True)))

    def test_no_data(self):
        self.requests.get(v2base.IMAGE_URL, json=v2base.image(status="queued"))
        self.mock_file(b"", status=204)
        body = self.images.data(v2base.ID)
        self.assertIsNone(body.wrapped)  # nova and ironic test this
        self.assertEqual([], list(body))
        self.assertEqual(["req-f"], body.request_ids)


class UploadTest(v2base.ImagesTestCase):
    def test_file_object_chunked_with_size_and_store(self):
        route = self.requests.put(v2base.IMAGE_URL + "/file", status_code=204)
        result = self.images.upload(v2base.ID, io.BytesIO(b"abc"), image_size=3, backend="f1")
        sent = route.last_request
        self.assertEqual("3", sent.headers["x-openstack-image-size"])
        self.assertEqual("f1", sent.headers["x-image-meta-store"])
        self.assertEqual("application/octet-stream", sent.headers["Content-Type"])
        self.assertEqual(b"abc", b"".join(sent.body))
        self.assertIsNone(result[1])

    def test_empty_string_content_length_zero(self):
        route = self.requests.put(v2base.IMAGE_URL + "/file", status_code=204)
        self.images.upload(v2base.ID, "")
        self.assertEqual("0", route.last_request.headers["Content-Length"])

    def test_bytes_and_iterables(self):
        route = self.requests.put(v2base.IMAGE_URL + "/file", status_code=204)
        self.images.upload(v2base.ID, b"abc")
        self.assertEqual(b"abc", b"".join(route.last_request.body))
        self.images.upload(v2base.ID, iter([b"a", b"b"]))
        self.assertEqual(b"ab", b"".join(route.last_request.body))

    def test_bad_size_sends_nothing(self):
        route = self.requests.put(v2base.IMAGE_URL + "/file", status_code=204)
        self.assertRaises(exc.InvalidArgument, self.images.upload, v2base.ID, b"x", image_size="1")
        self.assertEqual(0, route.call_count)

    def test_stage(self):
        route = self.requests.put(v2base.IMAGE_URL + "/stage", status_code=204)
        result = self.images.stage(v2base.ID, io.BytesIO(b"abc"), image_size=3)
        self.assertIsNone(result.wrapped)
        self.assertEqual("3", route.last_request.headers["x-openstack-image-size"])


class ImportTest(v2base.ImagesTestCase):
    def call(self, **kwargs):
        route = self.requests.post(v2base.IMAGE_URL + "/import", status_code=202)
        self.images.image_import(v2base.ID, **kwargs)
        return route.last_request

    def test_bodies(self):
        self.assertEqual({"method": {"name": "glance-direct"}}, self.call().json())
        sent = self.call(method="web-download", uri="http://u", backend="f1")
        self.assertEqual({"method": {"name": "web-download", "uri": "http://u"}}, sent.json())
        self.assertEqual("f1", sent.headers["x-image-meta-store"])
        self.assertEqual(
            {
                "method": {"name": "copy-image"},
                "stores": ["f1", "f2"],
                "all_stores_must_succeed": False,
            },
            self.call(method="copy-image", stores=["f1", "f2"]).json(),
        )
        self.assertEqual(
            {"method": {"name": "copy-image"}, "all_stores": True},
            self.call(method="copy-image", all_stores=True, allow_failure=False).json(),
        )
        self.assertEqual(
            {
                "method": {
                    "name": "glance-download",
                    "glance_region": "R2",
                    "glance_image_id": "abc",
                    "glance_service_interface": "internal",
                }
            },
            self.call(
                method="glance-download",
                remote_region="R2",
                remote_image_id="abc",
                remote_service_interface="internal",
            ).json(),
        )

    def test_answer_with_a_body(self):
        self.requests.post(
            v2base.IMAGE_URL + "/import",
            status_code=202,
            json={"task": "t1"},
            headers={"x-openstack-request-id": "req-i"},
        )
        result = self.images.image_import(v2base.ID)
        self.assertEqual({"task": "t1"}, result)
        self.assertEqual(["req-i"], result.request_ids)

    def test_uri_needs_web_download(self):
        self.assertRaises(exc.InvalidArgument, self.images.image_import, v2base.ID, uri="http://u")
        self.assertEqual([], self.requests.request_history)


class LocationsTest(v2base.ImagesTestCase):
    LOCS = [{"url": "file:///a", "metadata": {}}, {"url": "file:///b", "metadata": {"k": "v"}}]

    def test_add_location(self):
        route = self.requests.patch(v2base.IMAGE_URL, json=v2base.image(locations=self.LOCS))
        img = self.images.add_location(
            v2base.ID, "file:///b", {"k": "v"}, validation_data={"os_hash_algo": "sha512"}
        )
        self.assertEqual(self.LOCS, img.locations)
        self.assertEqual(
            [
                {
                    "op": "add",
                    "path": "/locations/-",
                    "value": {
                        "url": "file:///b",
                        "metadata": {"k": "v"},
                        "validation_data": {"os_hash_algo": "sha512"},
                    },
                }
            ],
            route.last_request.json(),
        )

    def test_delete_locations(self):
        self.requests.get(v2base.IMAGE_URL, json=v2base.image(locations=self.LOCS))
        route = self.requests.patch(v2base.IMAGE_URL, json=v2base.image(locations=[]))
        self.images.delete_locations(v2base.ID, {"file:///a", "file:///b"})
        self.assertEqual(
            [{"op": "remove", "path": "/locations/1"}, {"op": "remove", "path": "/locations/0"}],
            route.last_request.json(),
        )

    def test_delete_unknown_location(self):
        self.requests.get(v2base.IMAGE_URL, json=v2base.image(locations=self.LOCS))
        route = self.requests.patch(v2base.IMAGE_URL, json=v2base.image())
        e = self.assertRaises(
            exc.HTTPNotFound, self.images.delete_locations, v2base.ID, {"file:///z"}
        )
        self.assertIn("file:///z", str(e))
        self.assertEqual(0, route.call_count)

    def test_locations_hidden(self):
        self.requests.get(v2base.IMAGE_URL, json=v2base.image())
        self.assertRaises(
            exc.HTTPBadRequest, self.images.delete_locations, v2base.ID, {"file:///a"}
        )

    def test_update_location(self):
        self.requests.get(v2base.IMAGE_URL, json=v2base.image(locations=self.LOCS))
        route = self.requests.patch(v2base.IMAGE_URL, json=v2base.image(locations=self.LOCS))
        self.images.update_location(v2base.ID, "file:///b", {"k": "v"})
        self.assertEqual(0, route.call_count)  # unchanged: nothing sent
        self.images.update_location(v2base.ID, "file:///a", {"store": "x"})
        self.assertEqual(
            [
                {
                    "op": "replace",
                    "path": "/locations",
                    "value": [
                        {"url": "file:///a", "metadata": {"store": "x"}},
                        {"url": "file:///b", "metadata": {"k": "v"}},
                    ],
                }
            ],
            route.last_request.json(),
        )

    def test_update_unknown_location(self):
        self.requests.get(v2base.IMAGE_URL, json=v2base.image(locations=self.LOCS))
        route = self.requests.patch(v2base.IMAGE_URL, json=v2base.image())
        self.assertRaises(exc.HTTPNotFound, self.images.update_location, v2base.ID, "file:///z", {})
        self.assertEqual(0, route.call_count)

    def test_new_location_api(self):
        versions = self.mock_versions(base.WITHOUT_CACHE)
        post = self.requests.post(v2base.IMAGE_URL + "/locations", status_code=202)
        self.requests.get(v2base.IMAGE_URL, json=v2base.image(locations=self.LOCS))
        self.requests.get(v2base.IMAGE_URL + "/locations", json=self.LOCS)
        img = self.images.add_image_location(
            v2base.ID, "file:///c", {"os_hash_algo": "sha512", "os_hash_value": "x"}
        )
        self.assertEqual(
            {
                "url": "file:///c",
                "validation_data": {"os_hash_algo": "sha512", "os_hash_value": "x"},
            },
            post.last_request.json(),
        )
        self.assertEqual(v2base.ID, img.id)
        self.assertEqual(self.LOCS, self.images.get_image_locations(v2base.ID))
        self.assertEqual(0, versions.call_count)

    def test_new_location_api_too_old_server(self):
        """nova falls back to add_location on HTTPNotImplemented."""
        self.mock_versions(base.versions_document("2.16", "2.0"))
        post = self.requests.post(
            v2base.IMAGE_URL + "/locations", status_code=404, text="Not Found"
        )
        self.assertRaises(
            exc.HTTPNotImplemented, self.images.add_image_location, v2base.ID, "file:///c", {}
        )
        # The version list is known now: refused before sending.
        self.assertRaises(exc.HTTPNotImplemented, self.images.get_image_locations, v2base.ID)
        self.assertEqual(1, post.call_count)


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
