"""The controller base: paths, the one malformed-answer error, no-body results."""

from __future__ import annotations

from glanceclient import exc
from glanceclient import vocabulary
from glanceclient.common import base as controller_base
from glanceclient.common import results
from glanceclient.tests.unit import base
from glanceclient.v2 import cache
from glanceclient.v2 import image_members
from glanceclient.v2 import images
from glanceclient.v2 import metadefs
from glanceclient.v2 import tasks

ID = base.IMAGE_ID
REFUSED = (".", "..", "a/b", "/", "../v2/images", "", "  ", "\udcff")


class PathTest(base.TestCase):
    def test_every_segment_is_quoted(self):
        path = controller_base.build_path(
            "/v2/images/{image}/tags/{tag}", image="a b", tag="x?y#z%€"
        )
        self.assertEqual("/v2/images/a%20b/tags/x%3Fy%23z%25%E2%82%AC", path)

    def test_a_sequence_fills_several_segments(self):
        path = controller_base.build_path("/v2/schemas/{schema}", schema=("metadefs", "namespace"))
        self.assertEqual("/v2/schemas/metadefs/namespace", path)

    def test_what_cannot_be_one_segment_is_refused(self):
        for kind in controller_base.SEGMENTS:
            for bad in REFUSED + (None, 7):
                self.assertRaises(exc.InvalidArgument, controller_base.segment, bad, kind)

    def test_errors_name_the_kind_of_segment(self):
        e = self.assertRaises(exc.InvalidArgument, controller_base.segment, "..", "tag")
        self.assertEqual("'..' cannot be a tag in a URL.", str(e))
        e = self.assertRaises(exc.InvalidArgument, controller_base.segment, "", "member")
        self.assertEqual("A member ID is required.", str(e))
        e = self.assertRaises(exc.InvalidArgument, controller_base.segment, "a/b", "image")
        self.assertEqual("'a/b' is not an image ID.", str(e))

    def test_tags_and_members_refuse_before_sending(self):
        client = self.make_client()
        calls = (
            lambda v: client.image_tags.update(ID, v),
            lambda v: client.image_tags.delete(ID, v),
            lambda v: client.image_members.get(ID, v),
            lambda v: client.image_members.update(ID, v, "accepted"),
            lambda v: client.image_members.delete(ID, v),
            lambda v: client.image_members.list(v),
            lambda v: client.image_tags.update(v, "tag"),
        )
        for bad in REFUSED:
            for call in calls:
                self.assertRaises(exc.InvalidArgument, call, bad)
        self.assertEqual([], self.requests.request_history)


class MalformedTest(base.TestCase):
    def test_one_message_for_every_wrong_shape(self):
        url = base.ENDPOINT + "/v2/images/" + ID + "/members"
        self.requests.get(url, json={"members": {"not": "a list"}})
        e = self.assertRaises(exc.InvalidResponse, list, self.make_client().image_members.list(ID))
        self.assertEqual(
            "The server at %s answered a malformed list: {'not': 'a list'}" % url, str(e)
        )
        self.assertEqual(url, e.url)

    def test_whole_body_is_quoted_cut_short(self):
        e = results.malformed(None, "thing", {"x": "y" * 1000})
        self.assertTrue(str(e).startswith("The server answered a malformed thing: {'x': 'yyy"))
        self.assertLess(len(str(e)), 300)


class NoBodyTest(base.TestCase):
    def test_each_call_returns_what_the_table_says(self):
        client = self.make_client()
        tag = base.ENDPOINT + "/v2/images/" + ID + "/tags/t"
        member = base.ENDPOINT + "/v2/images/" + ID + "/members/p"
        headers = {"x-openstack-request-id": base.REQUEST_ID}
        self.requests.put(tag, status_code=204, headers=headers)
        self.requests.delete(member, status_code=204, headers=headers)
        self.requests.put(base.ENDPOINT + "/v2/cache/" + ID, status_code=200)
        self.mock_versions()
        pairs = {
            "image_tags.update": client.image_tags.update(ID, "t"),
            "image_members.delete": client.image_members.delete(ID, "p"),
        }
        for call, result in pairs.items():
            self.assertEqual("pair", controller_base.NO_BODY[call])
            self.assertIsInstance(result, results.ResponseResult)
            self.assertIsNone(result[1])
            self.assertEqual([base.REQUEST_ID], result.request_ids)
        self.assertEqual("none", controller_base.NO_BODY["cache.queue"])
        self.assertIsNone(client.cache.queue(ID))


class VocabularyTest(base.TestCase):
    def test_upstream_names_are_kept(self):
        self.assertEqual(("asc", "desc"), images.SORT_DIR_VALUES)
        self.assertEqual(vocabulary.IMAGE_SORT_KEY_VALUES, images.SORT_KEY_VALUES)
        self.assertEqual(("accepted", "rejected", "pending"), image_members.MEMBER_STATUS_VALUES)
        self.assertEqual(("id", "type", "status"), tasks.SORT_KEY_VALUES)
        self.assertEqual(("created_at", "namespace"), metadefs.SORT_KEY_VALUES)
        self.assertEqual(("both", "cache", "queue"), cache.TARGET_VALUES)

    def test_vocabulary_imports_nothing(self):
        import ast
        import inspect

        tree = ast.parse(inspect.getsource(vocabulary))
        imports = [
            node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
        ]
        self.assertEqual(["__future__"], [node.module for node in imports])
