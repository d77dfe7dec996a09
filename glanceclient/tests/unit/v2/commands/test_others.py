"""The location, store, member, tag, info and schema commands through the
real main()."""

from __future__ import annotations

import json

from glanceclient.cli import schema_options
from glanceclient.tests import tables
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2.commands import base as cbase

IMAGE_URL = cbase.IMAGE_URL
MEMBERS_URL = IMAGE_URL + "/members"
LOCATION = {"url": "file:///a", "metadata": {"store": "fast"}}


class LocationTest(cbase.CommandTest):
    def setUp(self):
        super().setUp()
        self.requests.get(IMAGE_URL, json=cbase.image(locations=[LOCATION]))
        self.patch = self.requests.patch(IMAGE_URL, json=cbase.image(locations=[LOCATION]))

    def test_location_add(self):
        status, out, err = self.run_glance(
            "location-add",
            "--url",
            "file:///b",
            "--metadata",
            '{"k": "v"}',
            "--hash-algo",
            "sha256",
            "--hash-value",
            "ab",
            base.IMAGE_ID,
        )
        self.assertEqual(0, status, err)
        self.assertEqual(
            [
                {
                    "op": "add",
                    "path": "/locations/-",
                    "value": {
                        "url": "file:///b",
                        "metadata": {"k": "v"},
                        "validation_data": {"os_hash_algo": "sha256", "os_hash_value": "ab"},
                    },
                }
            ],
            self.patch.last_request.json(),
        )
        self.assertEqual(json.dumps([LOCATION]), tables.properties(out)["locations"])

    def test_bad_json(self):
        for value, message in (
            ("{nope", "--metadata is not valid JSON: Expecting property name enclosed"),
            ("[1]", "--metadata must be a JSON object."),
        ):
            status, out, err = self.run_glance(
                "location-add", "--url", "file:///b", "--metadata", value, base.IMAGE_ID
            )
            self.assertEqual(1, status)
            self.assertTrue(err.startswith("glance: error: " + message), err)
            self.assertEqual(1, len(err.splitlines()))
        self.assertFalse(self.patch.called)

    def test_location_delete(self):
        self.assertEqual(
            (0, "", ""),
            self.run_glance("location-delete", "--url", "file:///a", base.IMAGE_ID),
        )
        self.assertEqual([{"op": "remove", "path": "/locations/0"}], self.patch.last_request.json())

    def test_location_delete_unknown_url(self):
        status, _, err = self.run_glance("location-delete", "--url", "file:///z", base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assertIn("file:///z", err)
        self.assertEqual(1, len(err.splitlines()))
        self.assertFalse(self.patch.called)

    def test_location_update_warns_on_empty_metadata(self):
        status, out, err = self.run_glance("location-update", "--url", "file:///a", base.IMAGE_ID)
        self.assertEqual(0, status, err)
        self.assertEqual("glance: warning: the location's metadata is set to {} (empty).\n", err)
        self.assertEqual(
            [
                {
                    "op": "replace",
                    "path": "/locations",
                    "value": [{"url": "file:///a", "metadata": {}}],
                }
            ],
            self.patch.last_request.json(),
        )

    def test_add_location(self):
        self.mock_versions()
        post = self.requests.post(IMAGE_URL + "/locations", status_code=202)
        status, out, err = self.run_glance(
            "add-location",
            "--url",
            "file:///c",
            "--validation-data",
            '{"os_hash_algo": "sha512", "os_hash_value": "ab"}',
            base.IMAGE_ID,
        )
        self.assertEqual(0, status, err)
        self.assertEqual(
            {
                "url": "file:///c",
                "validation_data": {"os_hash_algo": "sha512", "os_hash_value": "ab"},
            },
            post.last_request.json(),
        )

    def test_add_location_refusals(self):
        for data, message in (
            (
                '{"checksum": "x"}',
                "--validation-data takes only os_hash_algo and os_hash_value, not checksum.",
            ),
            (
                '{"os_hash_algo": "crc"}',
                "os_hash_algo must be one of sha512, sha256, sha1, md5, not 'crc'.",
            ),
        ):
            self.assert_failed(
                self.run_glance(
                    "add-location", "--url", "file:///c", "--validation-data", data, base.IMAGE_ID
                ),
                message,
            )
        self.assertEqual([], self.requests.request_history)


class StoresTest(cbase.CommandTest):
    def test_stores_info(self):
        body = {"stores": [{"id": "fast", "default": "true"}]}
        self.requests.get(base.ENDPOINT + "/v2/info/stores", json=body)
        status, out, _ = self.run_glance("stores-info")
        self.assertEqual(0, status)
        self.assertEqual({"stores": json.dumps(body["stores"])}, tables.properties(out))

    def test_stores_info_detail(self):
        self.requests.get(base.ENDPOINT + "/v2/info/stores/detail", json={"stores": []})
        self.assertEqual(0, self.run_glance("stores-info", "--detail")[0])

    def test_not_multi_store(self):
        self.json_error("GET", base.ENDPOINT + "/v2/info/stores", 404, "Not Found", "x")
        self.assert_failed(self.run_glance("stores-info"), "Multi Backend support is not enabled.")

    def test_stores_delete(self):
        delete = self.requests.delete(
            base.ENDPOINT + "/v2/stores/fast/" + base.IMAGE_ID, status_code=204
        )
        self.assertEqual(
            (0, "", ""), self.run_glance("stores-delete", "--store", "fast", base.IMAGE_ID)
        )
        self.assertTrue(delete.called)

    def test_stores_delete_unknown_store(self):
        self.json_error(
            "DELETE",
            base.ENDPOINT + "/v2/stores/nope/" + base.IMAGE_ID,
            400,
            "Bad Request",
            "Unknown store nope.",
        )
        status, _, err = self.run_glance("stores-delete", "--store", "nope", base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assertIn("HTTP 400 Bad Request: Unknown store nope.", err)


class MembersTest(cbase.CommandTest):
    MEMBER = {
        "image_id": base.IMAGE_ID,
        "member_id": "p2",
        "status": "pending",
        "created_at": "2026-11-25T10:00:00Z",
        "updated_at": "2026-11-25T10:00:00Z",
        "schema": "/v2/schemas/member",
    }
    ROW = [[base.IMAGE_ID, "p2", "pending"]]
    HEADER = [["Image ID", "Member ID", "Status"]]

    def test_member_list(self):
        self.requests.get(MEMBERS_URL, json={"members": [self.MEMBER]})
        status, out, err = self.run_glance("member-list", "--image-id", base.IMAGE_ID)
        self.assertEqual(0, status, err)
        self.assertEqual(self.HEADER + self.ROW, tables.table(out))

    def test_member_list_needs_the_image(self):
        status, _, err = self.run_glance("member-list")
        self.assertEqual(2, status)
        self.assertIn("--image-id", err)

    def test_member_create(self):
        post = self.requests.post(MEMBERS_URL, json=self.MEMBER)
        status, out, _ = self.run_glance("member-create", base.IMAGE_ID, "p2")
        self.assertEqual(0, status)
        self.assertEqual({"member": "p2"}, post.last_request.json())
        self.assertEqual(self.HEADER + self.ROW, tables.table(out))

    def test_member_get(self):
        self.requests.get(MEMBERS_URL + "/p2", json=self.MEMBER)
        status, out, _ = self.run_glance("member-get", base.IMAGE_ID, "p2")
        self.assertEqual(0, status)
        shown = tables.properties(out)
        self.assertEqual("pending", shown["status"])
        self.assertNotIn("schema", shown)

    def test_member_update(self):
        put = self.requests.put(MEMBERS_URL + "/p2", json=dict(self.MEMBER, status="accepted"))
        status, out, _ = self.run_glance("member-update", base.IMAGE_ID, "p2", "accepted")
        self.assertEqual(0, status)
        self.assertEqual({"status": "accepted"}, put.last_request.json())
        self.assertEqual("accepted", tables.table(out)[1][2])

    def test_member_update_bad_status(self):
        self.assertEqual(2, self.run_glance("member-update", base.IMAGE_ID, "p2", "maybe")[0])

    def test_member_delete_unknown(self):
        self.json_error("DELETE", MEMBERS_URL + "/p9", 404, "Not Found", "p9 not found")
        status, out, err = self.run_glance("member-delete", base.IMAGE_ID, "p9")
        self.assertEqual((1, ""), (status, out))
        self.assertIn("HTTP 404 Not Found: p9 not found", err)

    def test_private_image_has_no_members(self):
        self.json_error("GET", MEMBERS_URL, 403, "Forbidden", "Only shared images have members.")
        status, out, err = self.run_glance("member-list", "--image-id", base.IMAGE_ID)
        self.assertEqual((1, ""), (status, out))
        self.assertIn("Only shared images have members.", err)


class TagsTest(cbase.CommandTest):
    def test_update_then_show_tags(self):
        put = self.requests.put(IMAGE_URL + "/tags/tag%20one", status_code=204)
        self.requests.get(IMAGE_URL, json=cbase.image(tags=["tag one", "b"]))
        status, out, err = self.run_glance("image-tag-update", base.IMAGE_ID, "tag one")
        self.assertEqual(0, status, err)
        self.assertTrue(put.called)
        self.assertEqual([["ID", "Tags"], [base.IMAGE_ID, '["tag one", "b"]']], tables.table(out))

    def test_delete(self):
        delete = self.requests.delete(IMAGE_URL + "/tags/a", status_code=204)
        self.assertEqual((0, "", ""), self.run_glance("image-tag-delete", base.IMAGE_ID, "a"))
        self.assertTrue(delete.called)


class InfoTest(cbase.CommandTest):
    def test_import_info(self):
        body = {"import-methods": {"type": "array", "value": ["glance-direct"]}}
        self.requests.get(base.ENDPOINT + "/v2/info/import", json=body)
        status, out, _ = self.run_glance("import-info")
        self.assertEqual(0, status)
        self.assertEqual(
            {"import-methods": json.dumps(body["import-methods"])}, tables.properties(out)
        )

    def test_usage(self):
        usage = {
            "image_size_total": {"limit": 1000, "usage": 10},
            "image_count_total": {"limit": -1, "usage": 2},
        }
        self.requests.get(base.ENDPOINT + "/v2/info/usage", json={"usage": usage})
        status, out, _ = self.run_glance("usage")
        self.assertEqual(0, status)
        self.assertEqual(
            [
                ["Quota", "Limit", "Usage"],
                ["image_count_total", "-1", "2"],
                ["image_size_total", "1000", "10"],
            ],
            tables.table(out),
        )


class ExplainTest(cbase.CommandTest):
    def test_member(self):
        self.requests.get(
            base.ENDPOINT + "/v2/schemas/member",
            json={
                "name": "member",
                "properties": {
                    "status": {"type": "string", "description": "The status"},
                    "image_id": {"type": "string", "description": "The image"},
                },
            },
        )
        status, out, _ = self.run_glance("explain", "member")
        self.assertEqual(0, status)
        self.assertEqual(
            [["Attribute", "Description"], ["image_id", "The image"], ["status", "The status"]],
            tables.table(out),
        )

    def test_image_keeps_the_schema(self):
        served = dict(cbase.SCHEMA, properties={"zz_custom": {"type": "string"}})
        self.requests.get(cbase.SCHEMA_URL, json=served)
        self.assertEqual(0, self.run_glance("explain", "image")[0])
        self.assertIn("zz_custom", schema_options.load()["properties"])

    def test_unknown_model(self):
        self.json_error("GET", base.ENDPOINT + "/v2/schemas/nope", 404, "Not Found", "x")
        status, out, err = self.run_glance("explain", "nope")
        self.assertEqual((1, ""), (status, out))
        self.assertEqual(1, len(err.splitlines()))
