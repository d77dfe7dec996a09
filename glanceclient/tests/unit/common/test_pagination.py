"""Following ``next`` links, against a server on 127.0.0.1 whose link
points back to a page already read: the listing stops with an error, in
the SDK and in ``glance``, rather than looping for ever."""

from __future__ import annotations

import itertools

import glanceclient
from glanceclient import exc
from glanceclient.tests.fakeglance import routes as fakeglance
from glanceclient.tests.unit import base

#: The answer to every page: one image, and a link to the page of marker m1.
LOOPING_PAGE = {
    "images": [{"id": base.IMAGE_ID, "name": "cirros", "status": "active"}],
    "next": "/v2/images?marker=m1",
    "first": "/v2/images",
}
LOOP = (
    "The server's next link points to a page already read (/v2/images?marker=m1); "
    "the listing stopped there."
)


class RepeatedNextTest(base.ShellTestCase):
    def setUp(self):
        super().setUp()
        self.requests.stop()  # to the loopback server below
        self.server = self.useFixture(
            fakeglance.FakeGlance({("GET", "/v2/images"): (200, LOOPING_PAGE)})
        )

    def markers(self) -> list[list[str]]:
        return [r.query.get("marker", []) for r in self.server.recorded]

    def test_sdk(self):
        client = glanceclient.Client("2", endpoint=self.server.url, token=base.TOKEN)
        images = client.images.list()
        # Two pages (no marker, then m1); the third would be m1 again.
        first_two = list(itertools.islice(images, 2))
        self.assertEqual(2, len(first_two))
        e = self.assertRaises(exc.InvalidResponse, next, images)
        self.assertEqual(LOOP, str(e))
        self.assertEqual([[], ["m1"]], self.markers())

    def test_a_link_back_to_the_first_page(self):
        self.server.routes[("GET", "/v2/images")] = (200, dict(LOOPING_PAGE, next="/v2/images"))
        client = glanceclient.Client("2", endpoint=self.server.url, token=base.TOKEN)
        images = client.images.list(page_size=1)
        self.assertEqual(1, len(list(itertools.islice(images, 1))))
        e = self.assertRaises(exc.InvalidResponse, next, images)
        self.assertIn("points to a page already read (/v2/images?)", str(e))
        self.assertEqual(1, len(self.server.recorded))

    def test_glance_image_list(self):
        # --limit keeps a client without the check from looping for ever.
        status, out, err = self.run_glance(
            "--os-image-url", self.server.url, "--os-auth-token", "t",
            "image-list", "--limit", "10", token_args=False,
        )  # fmt: skip
        self.assertEqual(1, status, out)
        self.assert_one_error_line(err, LOOP)
        self.assertEqual([[], ["m1"]], self.markers())
