"""The ``glance image-tag-*`` commands: the real main() with argv, the server answered through
requests-mock."""

from __future__ import annotations

from glanceclient.tests import tables
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2.commands import base as cbase


class TagsTest(cbase.CommandTest):
    def test_update_then_show_tags(self):
        put = self.requests.put(cbase.IMAGE_URL + "/tags/tag%20one", status_code=204)
        self.requests.get(cbase.IMAGE_URL, json=cbase.image(tags=["tag one", "b"]))
        status, out, err = self.run_glance("image-tag-update", base.IMAGE_ID, "tag one")
        self.assertEqual(0, status, err)
        self.assertTrue(put.called)
        self.assertEqual([["ID", "Tags"], [base.IMAGE_ID, '["tag one", "b"]']], tables.table(out))

    def test_delete(self):
        delete = self.requests.delete(cbase.IMAGE_URL + "/tags/a", status_code=204)
        self.assertEqual((0, "", ""), self.run_glance("image-tag-delete", base.IMAGE_ID, "a"))
        self.assertTrue(delete.called)
