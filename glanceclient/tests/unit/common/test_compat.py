"""Upstream's helpers that other projects import (glanceclient.common.utils,
glanceclient.common.exceptions), used as those projects use them."""

from __future__ import annotations

import inspect
from unittest import mock

from keystoneauth1 import session as ksa_session

from glanceclient import exc
from glanceclient.common import exceptions as common_exceptions
from glanceclient.common import utils
from glanceclient.tests.unit import base

IMAGE = {"id": base.IMAGE_ID, "name": "x", "status": "active"}


def fake_glance_response(data):
    """What nova's tests do (nova/tests/unit/image/test_glance.py)."""
    with mock.patch("glanceclient.common.utils._extract_request_id"):
        return utils.RequestIdProxy([data, None])


class RequestIdProxyTest(base.TestCase):
    def test_from_a_real_answer(self):
        url = base.ENDPOINT + "/v2/images/" + base.IMAGE_ID
        self.requests.get(url, json=IMAGE, headers={"x-openstack-request-id": base.REQUEST_ID})
        response = ksa_session.Session().get(url)
        self.assertEqual(base.REQUEST_ID, utils._extract_request_id(response))
        proxy = utils.RequestIdProxy((response.json(), response))
        self.assertEqual([base.REQUEST_ID], proxy.request_ids)
        self.assertEqual(IMAGE, proxy.wrapped)
        self.assertEqual("x", proxy["name"])
        self.assertEqual(sorted(IMAGE.items()), sorted(proxy.items()))
        self.assertIsInstance(proxy, dict)  # heat checks this of results
        self.assertIn("status", proxy)
        self.assertEqual(3, len(proxy))

    def test_nova_fake_responses(self):
        # _extract_request_id is patched where nova patches it.
        chunks = fake_glance_response(mock.sentinel.image_chunks)
        self.assertIs(mock.sentinel.image_chunks, chunks.wrapped)
        self.assertEqual(mock.sentinel.image_chunks, chunks)
        self.assertEqual(1, len(chunks.request_ids))
        self.assertIsInstance(chunks.request_ids[0], mock.MagicMock)

        listed = fake_glance_response([1, 2, 3])
        self.assertEqual([1, 2, 3], list(listed))
        self.assertTrue(listed)

        nothing = fake_glance_response(None)
        self.assertIsNone(nothing.wrapped)
        self.assertFalse(nothing)

        data = utils.IterableWithLength(iter([b"a", b"b"]), 2)
        proxy = fake_glance_response(data)
        self.assertEqual(data, proxy)
        self.assertEqual(2, len(proxy))
        self.assertEqual([b"a", b"b"], list(proxy))

    def test_attributes_and_next_reach_the_value(self):
        proxy = fake_glance_response(iter("ab"))
        self.assertEqual("a", next(proxy))
        self.assertEqual("b", proxy.__next__())
        self.assertEqual(b"x".hex(), fake_glance_response(b"x").hex())
        self.assertEqual(hash("k"), hash(fake_glance_response("k")))
        self.assertEqual("'k'", repr(fake_glance_response("k")))


class CommonExceptionsTest(base.TestCase):
    def test_same_classes_as_exc(self):
        # zun: from glanceclient.common import exceptions; except .NotFound
        for name, value in vars(exc).items():
            if inspect.isclass(value) and issubclass(value, BaseException):
                self.assertIs(value, getattr(common_exceptions, name), name)
        self.assertIs(exc.from_response, common_exceptions.from_response)

    def test_caught_under_either_name(self):
        try:
            raise exc.HTTPNotFound("gone")
        except common_exceptions.NotFound as e:
            self.assertEqual("gone", e.details)
