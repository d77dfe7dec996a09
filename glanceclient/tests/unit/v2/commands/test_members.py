"""The ``glance member-*`` commands: the real main() with argv, the server answered through
requests-mock."""

from __future__ import annotations

from glanceclient.tests import tables
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2.commands import base as cbase

MEMBERS_URL = cbase.IMAGE_URL + "/members"


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
