"""glanceclient.v1: upstream's names, which refuse to reach a server."""

from __future__ import annotations

import inspect
from unittest import mock

import glanceclient
from glanceclient import exc
from glanceclient.tests.unit import base
from glanceclient.v1 import client as v1_client
from glanceclient.v1 import image_members
from glanceclient.v1 import images
from glanceclient.v1 import versions

MESSAGE = "Image API version 1 is not supported; use 2."

#: Upstream 4.13.0's public v1 methods and their parameters.
METHODS = {
    images.ImageManager: {
        "get": "(self, image, **kwargs)",
        "data": "(self, image, do_checksum=True, **kwargs)",
        "list": "(self, **kwargs)",
        "delete": "(self, image, **kwargs)",
        "create": "(self, **kwargs)",
        "update": "(self, image, **kwargs)",
    },
    images.Image: {
        "update": "(self, **fields)",
        "delete": "(self, **kwargs)",
        "data": "(self, **kwargs)",
    },
    image_members.ImageMemberManager: {
        "get": "(self, image, member_id)",
        "list": "(self, image=None, member=None)",
        "delete": "(self, image_id, member_id)",
        "create": "(self, image, member_id, can_share=False)",
        "replace": "(self, image, members)",
    },
    image_members.ImageMember: {"delete": "(self)"},
    versions.VersionManager: {"list": "(self)"},
}


def plain(signature: inspect.Signature) -> str:
    return str(signature.replace(return_annotation=inspect.Signature.empty)).replace("'", "")


class V1Test(base.TestCase):
    def test_upstream_signatures(self):
        for cls, methods in METHODS.items():
            for name, expected in methods.items():
                sig = inspect.signature(getattr(cls, name))
                params = [
                    p.replace(annotation=inspect.Parameter.empty) for p in sig.parameters.values()
                ]
                self.assertEqual(expected, plain(sig.replace(parameters=params)), (cls, name))
        self.assertIs(images.Image, images.ImageManager.resource_class)
        self.assertIs(image_members.ImageMember, image_members.ImageMemberManager.resource_class)

    def test_nova_mock_spec(self):
        # nova/tests/unit/image/test_glance.py
        images_mock = mock.MagicMock(spec=images.ImageManager)
        images_mock.get.side_effect = exc.HTTPNotFound
        self.assertRaises(exc.HTTPNotFound, images_mock.get, "x")
        self.assertRaises(AttributeError, getattr, images_mock, "no_such_call")
        autospec = mock.create_autospec(images.ImageManager, instance=True)
        autospec.data("img", do_checksum=False)
        self.assertRaises(TypeError, autospec.get)

    def test_every_call_refused_before_sending(self):
        e = self.assertRaises(exc.UnsupportedVersion, v1_client.Client, base.ENDPOINT, token="t")
        self.assertEqual(MESSAGE, str(e))
        self.assertRaises(exc.UnsupportedVersion, glanceclient.Client, "1", base.ENDPOINT)
        manager = images.ImageManager(mock.sentinel.client)
        self.assertIs(mock.sentinel.client, manager.client)
        calls = [
            lambda: manager.get("i"),
            lambda: manager.list(),
            lambda: manager.create(name="n"),
            lambda: manager.update("i", name="n"),
            lambda: manager.delete("i"),
            lambda: manager.data("i"),
            lambda: image_members.ImageMemberManager(None).list(image="i"),
            lambda: image_members.ImageMemberManager(None).create("i", "m"),
            lambda: versions.VersionManager(None).list(),
        ]
        for call in calls:
            self.assertEqual(MESSAGE, str(self.assertRaises(exc.UnsupportedVersion, call)))
        self.assertEqual([], self.requests.request_history)

    def test_resources_hold_their_info(self):
        image = images.Image(None, {"id": "i", "name": "n"}, loaded=True)
        self.assertEqual(("i", "n"), (image.id, image.name))
        self.assertEqual({"id": "i", "name": "n"}, image.to_dict())
        self.assertRaises(exc.UnsupportedVersion, image.data)
        member = image_members.ImageMember(None, {"member_id": "m"})
        self.assertEqual("m", member.member_id)
        self.assertRaises(exc.UnsupportedVersion, member.delete)
