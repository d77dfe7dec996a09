"""Image members, tags, schemas, usage and the version list."""

from __future__ import annotations

import inspect

from glanceclient import exc
from glanceclient.tests.unit import base
from glanceclient.v2 import schemas

ID = base.IMAGE_ID
MEMBERS_URL = base.ENDPOINT + "/v2/images/" + ID + "/members"
MEMBER = {"image_id": ID, "member_id": "p2", "status": "pending", "schema": "/v2/schemas/member"}


class MembersTest(base.TestCase):
    def setUp(self):
        super().setUp()
        self.members = self.make_client().image_members

    def test_list_keyword_image_id(self):
        route = self.requests.get(
            MEMBERS_URL, json={"members": [MEMBER], "schema": "/v2/schemas/members"}
        )
        listed = self.members.list(image_id=ID)
        self.assertTrue(inspect.isgenerator(listed))
        found = list(listed)
        self.assertEqual(["p2"], [m.member_id for m in found])
        self.assertEqual("pending", found[0]["status"])
        self.assertEqual({}, route.last_request.qs)

    def test_create_get_update_delete(self):
        create = self.requests.post(MEMBERS_URL, json=MEMBER)
        self.requests.get(MEMBERS_URL + "/p2", json=MEMBER)
        update = self.requests.put(MEMBERS_URL + "/p2", json=dict(MEMBER, status="accepted"))
        delete = self.requests.delete(MEMBERS_URL + "/p2", status_code=204)
        self.assertEqual("p2", self.members.create(ID, "p2").member_id)
        self.assertEqual({"member": "p2"}, create.last_request.json())
        self.assertEqual("pending", self.members.get(ID, "p2").status)
        self.assertEqual("accepted", self.members.update(ID, "p2", "accepted").status)
        self.assertEqual({"status": "accepted"}, update.last_request.json())
        self.members.delete(ID, "p2")
        self.assertEqual(1, delete.call_count)

    def test_private_image(self):
        self.requests.get(MEMBERS_URL, status_code=403, text="Only shared images have members.")
        self.assertRaises(exc.HTTPForbidden, list, self.members.list(ID))


class TagsTest(base.TestCase):
    def test_update_and_delete_quoted(self):
        tags = self.make_client().image_tags
        url = base.ENDPOINT + "/v2/images/" + ID + "/tags/tag%20one"
        put = self.requests.put(url, status_code=204)
        delete = self.requests.delete(url, status_code=204)
        tags.update(ID, "tag one")
        tags.delete(ID, "tag one")
        self.assertEqual((1, 1), (put.call_count, delete.call_count))


class SchemasTest(base.TestCase):
    RAW = {
        "name": "image",
        "properties": {
            "name": {"type": "string", "description": "Its name"},
            "os_distro": {"type": "string", "is_base": False},
            "disk_format": {"enum": [None, "raw", "qcow2"]},
        },
    }

    def test_fetched_once_per_client(self):
        route = self.requests.get(base.ENDPOINT + "/v2/schemas/image", json=self.RAW)
        client = self.make_client()
        schema = client.schemas.get("image")
        self.assertIs(schema, client.schemas.get(schema_name="image"))
        self.assertEqual(1, route.call_count)
        self.assertEqual("image", schema.name)
        self.assertEqual(["raw", "qcow2"], schema.raw()["properties"]["disk_format"]["enum"][1:])
        schema.raw()["properties"].clear()
        self.assertEqual(3, len(schema.raw()["properties"]))  # raw() is a copy

    def test_nova_builds_schema_from_raw(self):
        schema = schemas.Schema(self.RAW)
        self.assertTrue(schema.is_core_property("os_distro"))
        self.assertFalse(schema.is_base_property("os_distro"))
        self.assertTrue(schema.is_base_property("name"))
        self.assertFalse(schema.is_core_property("custom"))
        self.assertFalse(schema.is_base_property("custom"))
        self.assertEqual("Its name", schema.properties[0].description)

    def test_nested_schema_name(self):
        route = self.requests.get(
            base.ENDPOINT + "/v2/schemas/metadefs/namespace", json={"name": "namespace"}
        )
        self.assertEqual("namespace", self.make_client().schemas.get("metadefs/namespace").name)
        self.assertEqual(1, route.call_count)


class InfoAndVersionsTest(base.TestCase):
    def test_usage(self):
        usage = {"image_size_total": {"limit": 1000, "usage": 10}}
        self.requests.get(
            base.ENDPOINT + "/v2/info/usage",
            json={"usage": usage},
            headers={"x-openstack-request-id": "req-u"},
        )
        result = self.make_client().info.get_usage()
        self.assertEqual(usage, result)
        self.assertEqual(["req-u"], result.request_ids)

    def test_usage_malformed(self):
        self.requests.get(base.ENDPOINT + "/v2/info/usage", json={"nope": 1})
        self.assertRaises(exc.InvalidResponse, self.make_client().info.get_usage)

    def test_versions_list_shared_with_the_gate(self):
        route = self.mock_versions()
        self.requests.get(base.ENDPOINT + "/v2/images/" + ID + "/tasks", json={"tasks": []})
        client = self.make_client()
        listed = client.versions.list()
        self.assertEqual(base.WITH_CACHE["versions"], listed)
        client.images.get_associated_image_tasks(ID)
        self.assertEqual(1, route.call_count)
