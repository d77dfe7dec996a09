"""Resolving an image name or ID."""

from __future__ import annotations

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
        self.assertEqual({"name": ["cirros"], "limit": ["21"]}, route.last_request.qs)

    def test_name_is_quoted(self):
        route = self.requests.get(IMAGES_URL, json={"images": [{"id": base.IMAGE_ID}]})
        self.client.images.find_id("a&b=c d")
        self.assertIn("name=a%26b%3Dc+d", route.last_request.url)

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
