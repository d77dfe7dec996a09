"""Every path segment a caller gives goes through the one path builder:
``..``, ``.``, a ``/`` and an empty value are refused before anything is
sent (requests would normalize ``..`` away, Glance decodes ``%2F`` before
routing), for tag names, member IDs, task IDs, store IDs and metadefs
names alike; through the SDK and ``glance``, against a server on
127.0.0.1 that records what reaches it."""

from __future__ import annotations

import glanceclient
from glanceclient import exc
from glanceclient.tests.fakeglance import routes as fakeglance
from glanceclient.tests.unit import base

ID = base.IMAGE_ID
BAD = ("..", ".", "a/b", "")

#: kind -> SDK call with the bad value, and the words of the refusal.
SDK_CALLS = {
    "tag": (lambda c, v: c.image_tags.delete(ID, v), "cannot be a tag in a URL"),
    "tag update": (lambda c, v: c.image_tags.update(ID, v), "cannot be a tag in a URL"),
    "member": (lambda c, v: c.image_members.delete(ID, v), "is not a member ID"),
    "member update": (
        lambda c, v: c.image_members.update(ID, v, "accepted"),
        "is not a member ID",
    ),
    "task": (lambda c, v: c.tasks.get(v), "is not a task ID"),
    "store": (lambda c, v: c.images.delete_from_store(v, ID), "is not a store ID"),
    "namespace": (lambda c, v: c.metadefs_namespace.get(v), "metadata definition name"),
    "property": (lambda c, v: c.metadefs_property.get("ns", v), "metadata definition name"),
    "object": (lambda c, v: c.metadefs_object.delete("ns", v), "metadata definition name"),
    "md tag": (lambda c, v: c.metadefs_tag.get("ns", v), "metadata definition name"),
    "resource type": (
        lambda c, v: c.metadefs_resource_type.deassociate("ns", v),
        "metadata definition name",
    ),
}

#: glance commands, with ``{}`` where the bad value goes.
COMMANDS = (
    ["image-tag-delete", ID, "{}"],
    ["member-delete", ID, "{}"],
    ["member-update", ID, "{}", "accepted"],
    ["task-show", "{}"],
    ["stores-delete", "--store", "{}", ID],
    ["md-namespace-show", "{}"],
    ["md-property-show", "ns", "{}"],
    ["md-object-delete", "ns", "{}"],
    ["md-tag-show", "ns", "{}"],
    ["md-resource-type-deassociate", "ns", "{}"],
)


class PathSegmentTest(base.ShellTestCase):
    def setUp(self):
        super().setUp()
        self.requests.stop()  # to the loopback server below
        routes: fakeglance.Routes = {
            ("GET", "/v2/images/" + ID): (200, {"id": ID, "name": "cirros", "status": "active"}),
            ("GET", "/versions"): (200, base.WITH_CACHE),
        }
        self.server = self.useFixture(fakeglance.FakeGlance(routes))

    def sent(self) -> list[str]:
        """What reached the server beyond looking the image up."""
        return [
            "%s %s" % (r.method, r.path)
            for r in self.server.recorded
            if (r.method, r.path) not in (("GET", "/v2/images/" + ID), ("GET", "/versions"))
        ]

    def test_sdk_refuses_before_sending(self):
        client = glanceclient.Client("2", endpoint=self.server.url, token=base.TOKEN)
        for kind, (call, words) in SDK_CALLS.items():
            for value in BAD:
                e = self.assertRaises(exc.InvalidArgument, call, client, value)
                self.assertTrue(words in str(e) or "required" in str(e), (kind, value, e))
        self.assertEqual([], self.sent())

    def test_glance_refuses_before_sending(self):
        for command in COMMANDS:
            for value in ("..", ".", "a/b"):
                argv = [value if a == "{}" else a for a in command]
                status, out, err = self.run_glance(
                    "--os-image-url", self.server.url, "--os-auth-token", "t", *argv,
                    token_args=False,
                )  # fmt: skip
                self.assertEqual(1, status, (argv, err))
                self.assertEqual(1, len(err.splitlines()), (argv, err))
                self.assertIn(repr(value), err, argv)
        self.assertEqual([], self.sent())
