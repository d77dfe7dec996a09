"""What a metadefs namespace holds (properties, objects, tags), through the
real keystoneauth1 Session and requests-mock."""

from __future__ import annotations

import inspect

from glanceclient import exc
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2 import base as v2base


class PropertyTest(v2base.ControllerTestCase):
    PROPS = v2base.CPU_URL + "/properties"

    def test_list_names_each_property(self):
        self.answer(
            "GET",
            self.PROPS,
            {
                "properties": {
                    "cpu_policy": {"title": "CPU", "type": "string"},
                    "b": {"title": "B", "type": "integer"},
                }
            },
        )
        listing = self.gc.metadefs_property.list(v2base.CPU)
        self.assertTrue(inspect.isgenerator(listing))
        found = list(listing)
        self.assertEqual([("cpu_policy", "CPU"), ("b", "B")], [(p.name, p.title) for p in found])
        self.assertEqual([base.REQUEST_ID], listing.request_ids)

    def test_list_malformed(self):
        self.answer("GET", self.PROPS, {"properties": ["a"]})
        e = self.assertRaises(exc.InvalidResponse, list, self.gc.metadefs_property.list(v2base.CPU))
        self.assertIn("malformed property list", str(e))

    def test_get_names_it(self):
        self.answer("GET", self.PROPS + "/cpu_policy", {"title": "CPU", "type": "string"})
        found = self.gc.metadefs_property.get(v2base.CPU, "cpu_policy")
        self.assertEqual("cpu_policy", found.name)
        self.assertEqual([base.REQUEST_ID], found.request_ids)

    def test_create(self):
        self.mock_schema("metadefs/property")
        post = self.answer("POST", self.PROPS, {"name": "p", "title": "P", "type": "string"}, 201)
        made = self.gc.metadefs_property.create(
            v2base.CPU, name="p", title="P", type="string", enum=["a"]
        )
        self.assertEqual(
            {"name": "p", "title": "P", "type": "string", "enum": ["a"]}, post.last_request.json()
        )
        self.assertEqual("p", made.name)

    def test_create_invalid_type(self):
        self.mock_schema("metadefs/property")
        self.assertRaises(
            TypeError,
            self.gc.metadefs_property.create,
            v2base.CPU,
            name="p",
            title="P",
            type="colour",
        )
        self.assertNotIn("POST", [r.method for r in self.requests.request_history])

    def test_update_renames(self):
        self.mock_schema("metadefs/property")
        self.answer("GET", self.PROPS + "/p", {"name": "p", "title": "P", "type": "string"})
        put = self.answer("PUT", self.PROPS + "/p", {"name": "q"}, request_id=base.OTHER_REQUEST_ID)
        reread = self.answer(
            "GET", self.PROPS + "/q", {"name": "q", "title": "Q", "type": "string"}
        )
        updated = self.gc.metadefs_property.update(v2base.CPU, "p", name="q", title="Q")
        self.assertEqual({"name": "q", "title": "Q", "type": "string"}, put.last_request.json())
        self.assertEqual(
            base.OTHER_REQUEST_ID, reread.last_request.headers["x-openstack-request-id"]
        )
        self.assertEqual("Q", updated.title)

    def test_deletes(self):
        one = self.answer("DELETE", self.PROPS + "/p", status=204)
        every = self.answer("DELETE", self.PROPS, status=204)
        self.assertEqual(204, self.gc.metadefs_property.delete(v2base.CPU, "p")[0].status_code)
        self.assertEqual(
            [base.REQUEST_ID], self.gc.metadefs_property.delete_all(v2base.CPU).request_ids
        )
        self.assertTrue(one.called_once and every.called_once)


class ObjectTest(v2base.ControllerTestCase):
    OBJS = v2base.CPU_URL + "/objects"

    def test_list(self):
        self.answer(
            "GET", self.OBJS, {"objects": [{"name": "MySQL", "self": "/x"}, {"name": "DB2"}]}
        )
        listing = self.gc.metadefs_object.list(v2base.CPU)
        self.assertEqual(["MySQL", "DB2"], [o.name for o in listing])
        self.assertEqual([base.REQUEST_ID], listing.request_ids)

    def test_get(self):
        self.answer(
            "GET", self.OBJS + "/My%20SQL", {"name": "My SQL", "self": "/x", "properties": {}}
        )
        found = self.gc.metadefs_object.get(v2base.CPU, "My SQL")
        self.assertEqual("My SQL", found.name)
        self.assertNotIn("self", found)

    def test_create(self):
        self.mock_schema("metadefs/object")
        post = self.answer("POST", self.OBJS, {"name": "o", "required": []}, 201)
        made = self.gc.metadefs_object.create(
            v2base.CPU, name="o", properties={"x": {"title": "X", "type": "integer"}}
        )
        self.assertEqual(
            {"name": "o", "properties": {"x": {"title": "X", "type": "integer"}}},
            post.last_request.json(),
        )
        self.assertEqual([], made.required)

    def test_update_leaves_read_only_fields_out(self):
        self.mock_schema("metadefs/object")
        self.answer(
            "GET",
            self.OBJS + "/o",
            {
                "name": "o",
                "required": [],
                "created_at": "t",
                "updated_at": "t",
                "schema": "/s",
                "self": "/o",
            },
        )
        put = self.answer("PUT", self.OBJS + "/o", {"name": "o2"}, request_id=base.OTHER_REQUEST_ID)
        self.answer("GET", self.OBJS + "/o2", {"name": "o2", "description": "D"})
        updated = self.gc.metadefs_object.update(v2base.CPU, "o", name="o2", description="D")
        self.assertEqual(
            {"name": "o2", "required": [], "description": "D"}, put.last_request.json()
        )
        self.assertEqual("D", updated.description)

    def test_deletes(self):
        one = self.answer("DELETE", self.OBJS + "/o", status=204)
        every = self.answer("DELETE", self.OBJS, status=204)
        self.gc.metadefs_object.delete(v2base.CPU, "o")
        self.gc.metadefs_object.delete_all(v2base.CPU)
        self.assertTrue(one.called_once and every.called_once)


class TagTest(v2base.ControllerTestCase):
    TAGS = v2base.CPU_URL + "/tags"

    def test_create_posts_to_the_tag(self):
        self.mock_schema("metadefs/tag")
        post = self.answer("POST", self.TAGS + "/fast%20disk", {"name": "fast disk"}, 201)
        made = self.gc.metadefs_tag.create(v2base.CPU, "fast disk")
        self.assertIsNone(post.last_request.body)
        self.assertEqual("fast disk", made.name)
        self.assertEqual([base.REQUEST_ID], made.request_ids)

    def test_create_multiple_is_sent_at_once(self):
        self.mock_schema("metadefs/tag")
        post = self.answer("POST", self.TAGS, {"tags": [{"name": "a"}, {"name": "b"}]}, 201)
        made = self.gc.metadefs_tag.create_multiple(v2base.CPU, tags=["a", "b"])
        self.assertTrue(post.called_once)  # before anything is read
        self.assertEqual({"tags": [{"name": "a"}, {"name": "b"}]}, post.last_request.json())
        self.assertNotIn("X-Openstack-Append", post.last_request.headers)
        self.assertTrue(inspect.isgenerator(made))
        self.assertEqual(["a", "b"], [t.name for t in made])
        self.assertEqual([base.REQUEST_ID], made.request_ids)

    def test_create_multiple_append(self):
        self.mock_schema("metadefs/tag")
        post = self.answer("POST", self.TAGS, {"tags": [{"name": "c"}]}, 201)
        list(self.gc.metadefs_tag.create_multiple(v2base.CPU, tags=["c"], append=True))
        self.assertEqual("True", post.last_request.headers["X-Openstack-Append"])

    def test_create_multiple_needs_names(self):
        for tags in (None, [], "ab"):
            self.assertRaises(
                exc.InvalidArgument, self.gc.metadefs_tag.create_multiple, v2base.CPU, tags=tags
            )
        self.assertEqual([], self.requests.request_history)

    def test_update_renames(self):
        self.mock_schema("metadefs/tag")
        self.answer("GET", self.TAGS + "/a", {"name": "a", "created_at": "t", "updated_at": "t"})
        put = self.answer("PUT", self.TAGS + "/a", {"name": "b"}, request_id=base.OTHER_REQUEST_ID)
        reread = self.answer("GET", self.TAGS + "/b", {"name": "b", "created_at": "t"})
        updated = self.gc.metadefs_tag.update(v2base.CPU, "a", name="b")
        self.assertEqual({"name": "b"}, put.last_request.json())
        self.assertEqual(
            base.OTHER_REQUEST_ID, reread.last_request.headers["x-openstack-request-id"]
        )
        self.assertEqual("b", updated.name)

    def test_get_list_deletes(self):
        self.answer("GET", self.TAGS + "/a", {"name": "a"})
        self.answer("GET", self.TAGS, {"tags": [{"name": "a"}, {"name": "b"}]})
        one = self.answer("DELETE", self.TAGS + "/a", status=204)
        every = self.answer("DELETE", self.TAGS, status=204)
        self.assertEqual("a", self.gc.metadefs_tag.get(v2base.CPU, "a").name)
        self.assertEqual(["a", "b"], [t.name for t in self.gc.metadefs_tag.list(v2base.CPU)])
        self.gc.metadefs_tag.delete(v2base.CPU, "a")
        self.gc.metadefs_tag.delete_all(v2base.CPU)
        self.assertTrue(one.called_once and every.called_once)
