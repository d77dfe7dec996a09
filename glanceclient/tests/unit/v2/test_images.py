"""Resolving an image name or ID."""

from __future__ import annotations

import errno
import hashlib
import inspect
import io

from glanceclient import exc
from glanceclient.tests.unit import base

IMAGES_URL = base.ENDPOINT + "/v2/images"


class FindIdTest(base.TestCase):
    def setUp(self):
        super().setUp()
        self.client = self.make_client()

    def test_id_costs_no_request(self):
        for value in (base.IMAGE_ID, base.IMAGE_ID.upper(), base.IMAGE_ID.replace("-", "")):
            self.assertEqual(value, self.client.images.find_id(value))
        self.assertEqual([], self.requests.request_history)

    def test_unique_name(self):
        route = self.requests.get(
            IMAGES_URL, json={"images": [{"id": base.IMAGE_ID, "name": "cirros"}]}
        )
        self.assertEqual(base.IMAGE_ID, self.client.images.find_id("cirros"))
        self.assertEqual({"name": ["eq:cirros"], "limit": ["21"]}, route.last_request.qs)

    def test_name_is_quoted(self):
        route = self.requests.get(IMAGES_URL, json={"images": [{"id": base.IMAGE_ID}]})
        self.client.images.find_id("a&b=c d")
        self.assertIn("name=eq%3Aa%26b%3Dc+d", route.last_request.url)

    def test_operators_in_a_name_are_text(self):
        # Glance reads "in:" and "eq:" before a name as operators: the name
        # is sent behind "eq:", whose value Glance takes whole.
        route = self.requests.get(
            IMAGES_URL, json={"images": [{"id": base.IMAGE_ID, "name": "in:weird"}]}
        )
        self.assertEqual(base.IMAGE_ID, self.client.images.find_id("in:weird"))
        self.assertIn("name=eq%3Ain%3Aweird&", route.last_request.url)

    def test_an_image_of_another_name_is_never_picked(self):
        self.requests.get(IMAGES_URL, json={"images": [{"id": base.IMAGE_ID, "name": "target"}]})
        e = self.assertRaises(exc.NoImageMatch, self.client.images.find_id, "in:target")
        self.assertEqual("No image with a name or ID of 'in:target' exists.", str(e))

    def test_unknown_name(self):
        self.requests.get(IMAGES_URL, json={"images": []})
        e = self.assertRaises(exc.NoImageMatch, self.client.images.find_id, "nope")
        self.assertEqual("No image with a name or ID of 'nope' exists.", str(e))

    def test_ambiguous_name_lists_candidates(self):
        ids = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"]
        self.requests.get(IMAGES_URL, json={"images": [{"id": i, "name": "dup"} for i in ids]})
        e = self.assertRaises(exc.NoUniqueMatch, self.client.images.find_id, "dup")
        self.assertEqual(ids, e.candidates)
        self.assertIn(ids[0], str(e))
        self.assertIn(ids[1], str(e))

    def test_many_candidates_are_cut(self):
        images = [{"id": "id-%02d" % i} for i in range(21)]
        self.requests.get(IMAGES_URL, json={"images": images})
        e = self.assertRaises(exc.NoUniqueMatch, self.client.images.find_id, "dup")
        self.assertEqual(20, len(e.candidates))
        self.assertTrue(str(e).endswith(", ....") or ", ..." in str(e))

    def test_empty(self):
        self.assertRaises(exc.InvalidArgument, self.client.images.find_id, "")
        self.assertEqual([], self.requests.request_history)

    def test_malformed(self):
        self.requests.get(IMAGES_URL, json={"images": [{"name": "no id"}]})
        self.assertRaises(exc.InvalidResponse, self.client.images.find_id, "x")


ID = base.IMAGE_ID
IMAGE_URL = IMAGES_URL + "/" + ID
IMAGE_SCHEMA = {
    "name": "image",
    "properties": {
        "id": {"type": "string"},
        "name": {"type": ["null", "string"], "maxLength": 255},
        "min_ram": {"type": "integer"},
        "disk_format": {"type": ["null", "string"], "enum": [None, "raw", "qcow2"]},
        "container_format": {"type": ["null", "string"], "enum": [None, "bare"]},
        "tags": {"type": "array", "items": {"type": "string"}},
        "os_distro": {"type": "string", "is_base": False},
    },
    "additionalProperties": {"type": "string"},
}


def image(**props):
    body = {"id": ID, "name": "cirros", "status": "active", "self": "/v2/images/" + ID}
    body.update(props)
    return body


class ImagesTestCase(base.TestCase):
    def setUp(self):
        super().setUp()
        self.client = self.make_client()
        self.images = self.client.images
        self.schema = self.requests.get(base.ENDPOINT + "/v2/schemas/image", json=IMAGE_SCHEMA)


class GetTest(ImagesTestCase):
    def test_get(self):
        self.requests.get(IMAGE_URL, json=image(), headers={"x-openstack-request-id": "req-g"})
        img = self.images.get(ID)
        self.assertEqual("cirros", img.name)
        self.assertEqual("cirros", img["name"])
        self.assertNotIn("self", img)
        self.assertEqual(["req-g"], img.request_ids)
        self.assertIs(img, img.wrapped)
        self.assertIsInstance(img, dict)
        self.assertFalse(getattr(img, "deleted", False))
        self.assertEqual(0, self.schema.call_count)
        self.assertEqual(IMAGE_SCHEMA, img.schema)  # nova: image.schema
        self.assertEqual(IMAGE_SCHEMA, img.schema)
        self.assertEqual(1, self.schema.call_count)

    def test_not_found(self):
        self.requests.get(IMAGE_URL, status_code=404, text="No image found")
        self.assertRaises(exc.HTTPNotFound, self.images.get, ID)


class ListTest(ImagesTestCase):
    def page(self, ids, next_link=None, request_id="req-p"):
        body = {"images": [image(id=i) for i in ids]}
        if next_link:
            body["next"] = next_link
        return {"json": body, "headers": {"x-openstack-request-id": request_id}}

    def test_follows_next_and_limit(self):
        route = self.requests.get(
            IMAGES_URL,
            [
                self.page(["a", "b"], "/v2/images?limit=2&marker=b", "req-1"),
                self.page(["c"], "/v2/images?limit=2&marker=c", "req-2"),
            ],
        )
        filters = {"name": "x", "tag": ["t1", "t2"], "visibility": "public"}
        listed = self.images.list(
            page_size=2, limit=3, filters=filters, sort_key="name", sort_dir="asc"
        )
        self.assertTrue(inspect.isgenerator(listed))
        self.assertEqual([], route.request_history)
        self.assertEqual(["a", "b", "c"], [i.id for i in listed])
        first, second = route.request_history
        self.assertEqual(
            "name=x&visibility=public&tag=t1&tag=t2&sort_key=name&sort_dir=asc&limit=2",
            first.url.split("?", 1)[1],
        )
        self.assertEqual({"limit": ["1"], "marker": ["b"]}, second.qs)
        self.assertEqual(["req-1", "req-2"], listed.request_ids)
        self.assertEqual({"name": "x", "tag": ["t1", "t2"], "visibility": "public"}, filters)
        self.assertEqual(0, self.schema.call_count)

    def test_stops_without_next(self):
        route = self.requests.get(IMAGES_URL, [self.page(["a"])])
        self.assertEqual(["a"], [i.id for i in self.images.list()])
        self.assertEqual({"limit": ["200"]}, route.last_request.qs)

    def test_sort_marker_and_lists(self):
        route = self.requests.get(IMAGES_URL, [self.page([])])
        list(self.images.list(sort="name:asc,status", marker="m0"))
        self.assertEqual(
            {"sort": ["name:asc,status"], "marker": ["m0"], "limit": ["200"]}, route.last_request.qs
        )
        list(
            self.images.list(sort_key=["name", "id"], sort_dir="desc", filters={"os_hidden": True})
        )
        self.assertEqual(
            "os_hidden=True&sort_key=name&sort_key=id&sort_dir=desc&limit=200",
            route.last_request.url.split("?", 1)[1],
        )

    def test_bad_sort_options_send_nothing(self):
        for kwargs in (
            {"sort": "name", "sort_key": "id"},
            {"sort_dir": "up"},
            {"sort_key": ["a", "b", "c"], "sort_dir": ["asc", "desc"]},
            {"filters": {"tag": [1]}},
        ):
            self.assertRaises(exc.InvalidArgument, self.images.list, **kwargs)
        self.assertRaises(TypeError, self.images.list, sortkey="name")
        self.assertEqual([], self.requests.request_history)

    def test_malformed_page(self):
        self.requests.get(IMAGES_URL, json={"images": {}})
        self.assertRaises(exc.InvalidResponse, list, self.images.list())


class CreateTest(ImagesTestCase):
    def test_create_validates_then_posts(self):
        route = self.requests.post(IMAGES_URL, json=image(name="n1"), status_code=201)
        img = self.images.create(
            name="n1", disk_format="raw", container_format="bare", foo="bar", tags=["t1"]
        )
        self.assertEqual("n1", img.name)
        self.assertEqual(
            {
                "name": "n1",
                "disk_format": "raw",
                "container_format": "bare",
                "foo": "bar",
                "tags": ["t1"],
            },
            route.last_request.json(),
        )
        self.assertEqual("application/json", route.last_request.headers["Content-Type"])
        self.assertNotIn("x-image-meta-store", route.last_request.headers)

    def test_invalid_values_send_nothing(self):
        route = self.requests.post(IMAGES_URL, json=image())
        e = self.assertRaises(TypeError, self.images.create, min_ram="x")
        self.assertIn("Unable to set 'min_ram' to 'x'", str(e))
        self.assertRaises(exc.SchemaValidationError, self.images.create, foo=1)
        self.assertEqual(0, route.call_count)
        self.assertEqual(1, self.schema.call_count)

    def test_backend_header(self):
        route = self.requests.post(IMAGES_URL, json=image())
        self.images.create(name="x", backend="f1")
        self.assertEqual("f1", route.last_request.headers["x-image-meta-store"])
        self.assertEqual({"name": "x"}, route.last_request.json())


class UpdateTest(ImagesTestCase):
    def test_set_only_is_one_patch(self):
        route = self.requests.patch(
            IMAGE_URL, json=image(name="renamed"), headers={"x-openstack-request-id": "req-u"}
        )
        img = self.images.update(image_id=ID, name="renamed", min_ram=5)
        self.assertEqual("renamed", img.name)
        self.assertEqual(["req-u"], img.request_ids)
        self.assertEqual(
            "application/openstack-images-v2.1-json-patch",
            route.last_request.headers["Content-Type"],
        )
        self.assertEqual(
            [
                {"op": "add", "path": "/name", "value": "renamed"},
                {"op": "add", "path": "/min_ram", "value": 5},
            ],
            route.last_request.json(),
        )
        self.assertEqual(
            1,
            len(
                [
                    r
                    for r in self.requests.request_history
                    if r.method != "GET" or "schemas" not in r.path
                ]
            ),
        )

    def test_remove_props_positional_looks_first(self):
        get = self.requests.get(IMAGE_URL, json=image(custom_prop="v"))
        route = self.requests.patch(IMAGE_URL, json=image())
        self.images.update(ID, ["custom_prop", "notthere", "name"], name="n")
        self.assertEqual(1, get.call_count)
        self.assertEqual(
            [
                {"op": "remove", "path": "/custom_prop"},
                {"op": "add", "path": "/name", "value": "n"},
            ],
            route.last_request.json(),
        )

    def test_nothing_to_change(self):
        get = self.requests.get(IMAGE_URL, json=image())
        patch = self.requests.patch(IMAGE_URL, json=image())
        self.images.update(ID, remove_props=["absent"])
        self.assertEqual((2, 0), (get.call_count, patch.call_count))

    def test_invalid_value_sends_nothing(self):
        patch = self.requests.patch(IMAGE_URL, json=image())
        self.assertRaises(TypeError, self.images.update, ID, min_ram="x")
        self.assertEqual(0, patch.call_count)


class ActionsTest(ImagesTestCase):
    def test_delete_deactivate_reactivate(self):
        delete = self.requests.delete(
            IMAGE_URL, status_code=204, headers={"x-openstack-request-id": "req-d"}
        )
        deact = self.requests.post(IMAGE_URL + "/actions/deactivate", status_code=204)
        react = self.requests.post(IMAGE_URL + "/actions/reactivate", status_code=204)
        result = self.images.delete(ID)
        self.assertEqual(["req-d"], result.request_ids)
        self.images.deactivate(ID)
        self.images.reactivate(ID)
        self.assertEqual((1, 1, 1), (delete.call_count, deact.call_count, react.call_count))

    def test_delete_conflict(self):
        self.requests.delete(IMAGE_URL, status_code=409, text="in use")
        self.assertRaises(exc.HTTPConflict, self.images.delete, ID)

    def test_tasks_need_2_12(self):
        """Sent first; a 404 is explained by the version list."""
        versions = self.mock_versions(base.versions_document("2.11", "2.0"))
        tasks = self.requests.get(IMAGE_URL + "/tasks", status_code=404, text="Not Found")
        e = self.assertRaises(exc.HTTPNotImplemented, self.images.get_associated_image_tasks, ID)
        self.assertIsInstance(e, exc.VersionNotSupported)
        self.assertIn("2.12", str(e))
        # Known now: the next call is refused before anything is sent.
        self.assertRaises(exc.VersionNotSupported, self.images.get_associated_image_tasks, ID)
        self.assertEqual((1, 1), (tasks.call_count, versions.call_count))

    def test_tasks_unknown_image_on_a_new_server(self):
        self.mock_versions(base.WITHOUT_CACHE)
        self.requests.get(IMAGE_URL + "/tasks", status_code=404, text="No image found")
        e = self.assertRaises(exc.HTTPNotFound, self.images.get_associated_image_tasks, ID)
        self.assertNotIsInstance(e, exc.VersionNotSupported)

    def test_tasks_one_request(self):
        versions = self.mock_versions(base.WITHOUT_CACHE)
        self.requests.get(IMAGE_URL + "/tasks", json={"tasks": [{"id": "t"}]})
        self.assertEqual({"tasks": [{"id": "t"}]}, self.images.get_associated_image_tasks(ID))
        self.assertEqual(0, versions.call_count)

    def test_info_and_stores(self):
        for path, body, call in (
            (
                "/v2/info/import",
                {"import-methods": {"value": ["glance-direct"]}},
                self.images.get_import_info,
            ),
            (
                "/v2/info/stores",
                {"stores": [{"id": "f1", "default": True}]},
                self.images.get_stores_info,
            ),
            (
                "/v2/info/stores/detail",
                {"stores": [{"id": "f1"}]},
                self.images.get_stores_info_detail,
            ),
        ):
            self.requests.get(
                base.ENDPOINT + path, json=body, headers={"x-openstack-request-id": "req-i"}
            )
            result = call()
            self.assertEqual(body, result)
            self.assertEqual(["req-i"], result.request_ids)

    def test_stores_not_enabled(self):
        self.requests.get(base.ENDPOINT + "/v2/info/stores", status_code=404, text="nf")
        self.assertRaises(exc.HTTPNotFound, self.images.get_stores_info)

    def test_delete_from_store(self):
        route = self.requests.delete(base.ENDPOINT + "/v2/stores/f%201/" + ID, status_code=204)
        self.assertIsNone(self.images.delete_from_store("f 1", ID).wrapped)
        self.assertEqual(1, route.call_count)


class DataTest(ImagesTestCase):
    def mock_file(self, data=b"abcdef", status=200, **headers):
        headers.setdefault("Content-Type", "application/octet-stream")
        headers.setdefault("x-openstack-request-id", "req-f")
        return self.requests.get(
            IMAGE_URL + "/file", content=data, status_code=status, headers=headers
        )

    def test_checked_download(self):
        self.requests.get(
            IMAGE_URL,
            json=image(os_hash_algo="sha512", os_hash_value=hashlib.sha512(b"abcdef").hexdigest()),
        )
        route = self.mock_file(**{"Content-Length": "6"})
        body = self.images.data(ID)
        self.assertEqual(6, len(body))
        self.assertEqual(["req-f"], body.request_ids)
        self.assertIs(body, body.wrapped)  # nova and ironic test .wrapped
        self.assertEqual(b"abcdef", b"".join(body))
        self.assertIsNone(route.last_request.qs.get("prefer"))

    def test_size_without_content_length(self):
        self.requests.get(IMAGE_URL, json=image(size=6))
        self.mock_file()
        self.assertEqual(6, len(self.images.data(ID)))
        self.assertEqual(0, len(self.images.data(ID, do_checksum=False)))

    def test_corrupt_download_raises_at_the_end(self):
        self.requests.get(IMAGE_URL, json=image(checksum="0" * 32))
        self.mock_file()
        chunks = iter(self.images.data(ID))
        self.assertEqual(b"abcdef", next(chunks))
        e = self.assertRaises(IOError, next, chunks)
        self.assertEqual(errno.EPIPE, e.errno)

    def test_without_checksum_no_metadata_request(self):
        get = self.requests.get(IMAGE_URL, json=image(checksum="0" * 32))
        route = self.mock_file()
        self.assertEqual(
            b"abcdef", b"".join(self.images.data(ID, do_checksum=False, prefer=["s1", "s2"]))
        )
        self.assertEqual(0, get.call_count)
        self.assertIn("prefer=s1%2Cs2", route.last_request.url)

    def test_unknown_algorithm(self):
        self.requests.get(
            IMAGE_URL,
            json=image(
                os_hash_algo="nosuch",
                os_hash_value="x",
                checksum=hashlib.md5(b"abcdef").hexdigest(),  # noqa: S324
            ),
        )
        self.mock_file()
        self.assertRaises(ValueError, self.images.data, ID)
        self.assertEqual(b"abcdef", b"".join(self.images.data(ID, allow_md5_fallback=True)))

    def test_no_data(self):
        self.requests.get(IMAGE_URL, json=image(status="queued"))
        self.mock_file(b"", status=204)
        body = self.images.data(ID)
        self.assertIsNone(body.wrapped)  # nova and ironic test this
        self.assertEqual([], list(body))
        self.assertEqual(["req-f"], body.request_ids)


class UploadTest(ImagesTestCase):
    def test_file_object_chunked_with_size_and_store(self):
        route = self.requests.put(IMAGE_URL + "/file", status_code=204)
        result = self.images.upload(ID, io.BytesIO(b"abc"), image_size=3, backend="f1")
        sent = route.last_request
        self.assertEqual("3", sent.headers["x-openstack-image-size"])
        self.assertEqual("f1", sent.headers["x-image-meta-store"])
        self.assertEqual("application/octet-stream", sent.headers["Content-Type"])
        self.assertEqual(b"abc", b"".join(sent.body))
        self.assertIsNone(result[1])

    def test_empty_string_content_length_zero(self):
        route = self.requests.put(IMAGE_URL + "/file", status_code=204)
        self.images.upload(ID, "")
        self.assertEqual("0", route.last_request.headers["Content-Length"])

    def test_bytes_and_iterables(self):
        route = self.requests.put(IMAGE_URL + "/file", status_code=204)
        self.images.upload(ID, b"abc")
        self.assertEqual(b"abc", b"".join(route.last_request.body))
        self.images.upload(ID, iter([b"a", b"b"]))
        self.assertEqual(b"ab", b"".join(route.last_request.body))

    def test_bad_size_sends_nothing(self):
        route = self.requests.put(IMAGE_URL + "/file", status_code=204)
        self.assertRaises(exc.InvalidArgument, self.images.upload, ID, b"x", image_size="1")
        self.assertEqual(0, route.call_count)

    def test_stage(self):
        route = self.requests.put(IMAGE_URL + "/stage", status_code=204)
        result = self.images.stage(ID, io.BytesIO(b"abc"), image_size=3)
        self.assertIsNone(result.wrapped)
        self.assertEqual("3", route.last_request.headers["x-openstack-image-size"])


class ImportTest(ImagesTestCase):
    def call(self, **kwargs):
        route = self.requests.post(IMAGE_URL + "/import", status_code=202)
        self.images.image_import(ID, **kwargs)
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
            IMAGE_URL + "/import",
            status_code=202,
            json={"task": "t1"},
            headers={"x-openstack-request-id": "req-i"},
        )
        result = self.images.image_import(ID)
        self.assertEqual({"task": "t1"}, result)
        self.assertEqual(["req-i"], result.request_ids)

    def test_uri_needs_web_download(self):
        self.assertRaises(exc.InvalidArgument, self.images.image_import, ID, uri="http://u")
        self.assertEqual([], self.requests.request_history)


class LocationsTest(ImagesTestCase):
    LOCS = [{"url": "file:///a", "metadata": {}}, {"url": "file:///b", "metadata": {"k": "v"}}]

    def test_add_location(self):
        route = self.requests.patch(IMAGE_URL, json=image(locations=self.LOCS))
        img = self.images.add_location(
            ID, "file:///b", {"k": "v"}, validation_data={"os_hash_algo": "sha512"}
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
        self.requests.get(IMAGE_URL, json=image(locations=self.LOCS))
        route = self.requests.patch(IMAGE_URL, json=image(locations=[]))
        self.images.delete_locations(ID, {"file:///a", "file:///b"})
        self.assertEqual(
            [{"op": "remove", "path": "/locations/1"}, {"op": "remove", "path": "/locations/0"}],
            route.last_request.json(),
        )

    def test_delete_unknown_location(self):
        self.requests.get(IMAGE_URL, json=image(locations=self.LOCS))
        route = self.requests.patch(IMAGE_URL, json=image())
        e = self.assertRaises(exc.HTTPNotFound, self.images.delete_locations, ID, {"file:///z"})
        self.assertIn("file:///z", str(e))
        self.assertEqual(0, route.call_count)

    def test_locations_hidden(self):
        self.requests.get(IMAGE_URL, json=image())
        self.assertRaises(exc.HTTPBadRequest, self.images.delete_locations, ID, {"file:///a"})

    def test_update_location(self):
        self.requests.get(IMAGE_URL, json=image(locations=self.LOCS))
        route = self.requests.patch(IMAGE_URL, json=image(locations=self.LOCS))
        self.images.update_location(ID, "file:///b", {"k": "v"})
        self.assertEqual(0, route.call_count)  # unchanged: nothing sent
        self.images.update_location(ID, "file:///a", {"store": "x"})
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
        self.requests.get(IMAGE_URL, json=image(locations=self.LOCS))
        route = self.requests.patch(IMAGE_URL, json=image())
        self.assertRaises(exc.HTTPNotFound, self.images.update_location, ID, "file:///z", {})
        self.assertEqual(0, route.call_count)

    def test_new_location_api(self):
        versions = self.mock_versions(base.WITHOUT_CACHE)
        post = self.requests.post(IMAGE_URL + "/locations", status_code=202)
        self.requests.get(IMAGE_URL, json=image(locations=self.LOCS))
        self.requests.get(IMAGE_URL + "/locations", json=self.LOCS)
        img = self.images.add_image_location(
            ID, "file:///c", {"os_hash_algo": "sha512", "os_hash_value": "x"}
        )
        self.assertEqual(
            {
                "url": "file:///c",
                "validation_data": {"os_hash_algo": "sha512", "os_hash_value": "x"},
            },
            post.last_request.json(),
        )
        self.assertEqual(ID, img.id)
        self.assertEqual(self.LOCS, self.images.get_image_locations(ID))
        self.assertEqual(0, versions.call_count)

    def test_new_location_api_too_old_server(self):
        """nova falls back to add_location on HTTPNotImplemented."""
        self.mock_versions(base.versions_document("2.16", "2.0"))
        post = self.requests.post(IMAGE_URL + "/locations", status_code=404, text="Not Found")
        self.assertRaises(
            exc.HTTPNotImplemented, self.images.add_image_location, ID, "file:///c", {}
        )
        # The version list is known now: refused before sending.
        self.assertRaises(exc.HTTPNotImplemented, self.images.get_image_locations, ID)
        self.assertEqual(1, post.call_count)
