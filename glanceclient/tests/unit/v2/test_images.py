"""The images controller: resolving a name or ID, get, list, create, update
and the other actions, through the real keystoneauth1 Session and
requests-mock."""

from __future__ import annotations

import inspect

from glanceclient import exc
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2 import base as v2base


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
            v2base.IMAGES_URL, json={"images": [{"id": base.IMAGE_ID, "name": "cirros"}]}
        )
        self.assertEqual(base.IMAGE_ID, self.client.images.find_id("cirros"))
        self.assertEqual({"name": ["eq:cirros"], "limit": ["21"]}, route.last_request.qs)

    def test_name_is_quoted(self):
        route = self.requests.get(v2base.IMAGES_URL, json={"images": [{"id": base.IMAGE_ID}]})
        self.client.images.find_id("a&b=c d")
        self.assertIn("name=eq%3Aa%26b%3Dc+d", route.last_request.url)

    def test_operators_in_a_name_are_text(self):
        # Glance reads "in:" and "eq:" before a name as operators: the name
        # is sent behind "eq:", whose value Glance takes whole.
        route = self.requests.get(
            v2base.IMAGES_URL, json={"images": [{"id": base.IMAGE_ID, "name": "in:weird"}]}
        )
        self.assertEqual(base.IMAGE_ID, self.client.images.find_id("in:weird"))
        self.assertIn("name=eq%3Ain%3Aweird&", route.last_request.url)

    def test_an_image_of_another_name_is_never_picked(self):
        self.requests.get(
            v2base.IMAGES_URL, json={"images": [{"id": base.IMAGE_ID, "name": "target"}]}
        )
        e = self.assertRaises(exc.NoImageMatch, self.client.images.find_id, "in:target")
        self.assertEqual("No image with a name or ID of 'in:target' exists.", str(e))

    def test_unknown_name(self):
        self.requests.get(v2base.IMAGES_URL, json={"images": []})
        e = self.assertRaises(exc.NoImageMatch, self.client.images.find_id, "nope")
        self.assertEqual("No image with a name or ID of 'nope' exists.", str(e))

    def test_ambiguous_name_lists_candidates(self):
        ids = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"]
        self.requests.get(
            v2base.IMAGES_URL, json={"images": [{"id": i, "name": "dup"} for i in ids]}
        )
        e = self.assertRaises(exc.NoUniqueMatch, self.client.images.find_id, "dup")
        self.assertEqual(ids, e.candidates)
        self.assertIn(ids[0], str(e))
        self.assertIn(ids[1], str(e))

    def test_many_candidates_are_cut(self):
        images = [{"id": "id-%02d" % i} for i in range(21)]
        self.requests.get(v2base.IMAGES_URL, json={"images": images})
        e = self.assertRaises(exc.NoUniqueMatch, self.client.images.find_id, "dup")
        self.assertEqual(20, len(e.candidates))
        self.assertTrue(str(e).endswith(", ....") or ", ..." in str(e))

    def test_empty(self):
        self.assertRaises(exc.InvalidArgument, self.client.images.find_id, "")
        self.assertEqual([], self.requests.request_history)

    def test_malformed(self):
        self.requests.get(v2base.IMAGES_URL, json={"images": [{"name": "no id"}]})
        self.assertRaises(exc.InvalidResponse, self.client.images.find_id, "x")


class GetTest(v2base.ImagesTestCase):
    def test_get(self):
        self.requests.get(
            v2base.IMAGE_URL, json=v2base.image(), headers={"x-openstack-request-id": "req-g"}
        )
        img = self.images.get(v2base.ID)
        self.assertEqual("cirros", img.name)
        self.assertEqual("cirros", img["name"])
        self.assertNotIn("self", img)
        self.assertEqual(["req-g"], img.request_ids)
        self.assertIs(img, img.wrapped)
        self.assertIsInstance(img, dict)
        self.assertFalse(getattr(img, "deleted", False))
        self.assertEqual(0, self.schema.call_count)
        self.assertEqual(v2base.IMAGE_SCHEMA, img.schema)  # nova: image.schema
        self.assertEqual(v2base.IMAGE_SCHEMA, img.schema)
        self.assertEqual(1, self.schema.call_count)

    def test_not_found(self):
        self.requests.get(v2base.IMAGE_URL, status_code=404, text="No image found")
        self.assertRaises(exc.HTTPNotFound, self.images.get, v2base.ID)


class ListTest(v2base.ImagesTestCase):
    def page(self, ids, next_link=None, request_id="req-p"):
        body = {"images": [v2base.image(id=i) for i in ids]}
        if next_link:
            body["next"] = next_link
        return {"json": body, "headers": {"x-openstack-request-id": request_id}}

    def test_follows_next_and_limit(self):
        route = self.requests.get(
            v2base.IMAGES_URL,
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
        route = self.requests.get(v2base.IMAGES_URL, [self.page(["a"])])
        self.assertEqual(["a"], [i.id for i in self.images.list()])
        self.assertEqual({"limit": ["200"]}, route.last_request.qs)

    def test_sort_marker_and_lists(self):
        route = self.requests.get(v2base.IMAGES_URL, [self.page([])])
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
        self.requests.get(v2base.IMAGES_URL, json={"images": {}})
        self.assertRaises(exc.InvalidResponse, list, self.images.list())


class CreateTest(v2base.ImagesTestCase):
    def test_create_validates_then_posts(self):
        route = self.requests.post(v2base.IMAGES_URL, json=v2base.image(name="n1"), status_code=201)
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
        route = self.requests.post(v2base.IMAGES_URL, json=v2base.image())
        e = self.assertRaises(TypeError, self.images.create, min_ram="x")
        self.assertIn("Unable to set 'min_ram' to 'x'", str(e))
        self.assertRaises(exc.SchemaValidationError, self.images.create, foo=1)
        self.assertEqual(0, route.call_count)
        self.assertEqual(1, self.schema.call_count)

    def test_backend_header(self):
        route = self.requests.post(v2base.IMAGES_URL, json=v2base.image())
        self.images.create(name="x", backend="f1")
        self.assertEqual("f1", route.last_request.headers["x-image-meta-store"])
        self.assertEqual({"name": "x"}, route.last_request.json())


class UpdateTest(v2base.ImagesTestCase):
    def test_set_only_is_one_patch(self):
        route = self.requests.patch(
            v2base.IMAGE_URL,
            json=v2base.image(name="renamed"),
            headers={"x-openstack-request-id": "req-u"},
        )
        img = self.images.update(image_id=v2base.ID, name="renamed", min_ram=5)
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
        get = self.requests.get(v2base.IMAGE_URL, json=v2base.image(custom_prop="v"))
        route = self.requests.patch(v2base.IMAGE_URL, json=v2base.image())
        self.images.update(v2base.ID, ["custom_prop", "notthere", "name"], name="n")
        self.assertEqual(1, get.call_count)
        self.assertEqual(
            [
                {"op": "remove", "path": "/custom_prop"},
                {"op": "add", "path": "/name", "value": "n"},
            ],
            route.last_request.json(),
        )

    def test_nothing_to_change(self):
        get = self.requests.get(v2base.IMAGE_URL, json=v2base.image())
        patch = self.requests.patch(v2base.IMAGE_URL, json=v2base.image())
        self.images.update(v2base.ID, remove_props=["absent"])
        self.assertEqual((2, 0), (get.call_count, patch.call_count))

    def test_invalid_value_sends_nothing(self):
        patch = self.requests.patch(v2base.IMAGE_URL, json=v2base.image())
        self.assertRaises(TypeError, self.images.update, v2base.ID, min_ram="x")
        self.assertEqual(0, patch.call_count)


class ActionsTest(v2base.ImagesTestCase):
    def test_delete_deactivate_reactivate(self):
        delete = self.requests.delete(
            v2base.IMAGE_URL, status_code=204, headers={"x-openstack-request-id": "req-d"}
        )
        deact = self.requests.post(v2base.IMAGE_URL + "/actions/deactivate", status_code=204)
        react = self.requests.post(v2base.IMAGE_URL + "/actions/reactivate", status_code=204)
        result = self.images.delete(v2base.ID)
        self.assertEqual(["req-d"], result.request_ids)
        self.images.deactivate(v2base.ID)
        self.images.reactivate(v2base.ID)
        self.assertEqual((1, 1, 1), (delete.call_count, deact.call_count, react.call_count))

    def test_delete_conflict(self):
        self.requests.delete(v2base.IMAGE_URL, status_code=409, text="in use")
        self.assertRaises(exc.HTTPConflict, self.images.delete, v2base.ID)

    def test_tasks_need_2_12(self):
        """Sent first; a 404 is explained by the version list."""
        versions = self.mock_versions(base.versions_document("2.11", "2.0"))
        tasks = self.requests.get(v2base.IMAGE_URL + "/tasks", status_code=404, text="Not Found")
        e = self.assertRaises(
            exc.HTTPNotImplemented, self.images.get_associated_image_tasks, v2base.ID
        )
        self.assertIsInstance(e, exc.VersionNotSupported)
        self.assertIn("2.12", str(e))
        # Known now: the next call is refused before anything is sent.
        self.assertRaises(
            exc.VersionNotSupported, self.images.get_associated_image_tasks, v2base.ID
        )
        self.assertEqual((1, 1), (tasks.call_count, versions.call_count))

    def test_tasks_unknown_image_on_a_new_server(self):
        self.mock_versions(base.WITHOUT_CACHE)
        self.requests.get(v2base.IMAGE_URL + "/tasks", status_code=404, text="No image found")
        e = self.assertRaises(exc.HTTPNotFound, self.images.get_associated_image_tasks, v2base.ID)
        self.assertNotIsInstance(e, exc.VersionNotSupported)

    def test_tasks_one_request(self):
        versions = self.mock_versions(base.WITHOUT_CACHE)
        self.requests.get(v2base.IMAGE_URL + "/tasks", json={"tasks": [{"id": "t"}]})
        self.assertEqual(
            {"tasks": [{"id": "t"}]}, self.images.get_associated_image_tasks(v2base.ID)
        )
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
        route = self.requests.delete(
            base.ENDPOINT + "/v2/stores/f%201/" + v2base.ID, status_code=204
        )
        self.assertIsNone(self.images.delete_from_store("f 1", v2base.ID).wrapped)
        self.assertEqual(1, route.call_count)
