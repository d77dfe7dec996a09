"""Results that carry request ids, and generator results."""

from __future__ import annotations

import copy
import inspect
import json
import pickle

import testtools

from glanceclient.common import results
from glanceclient.tests.unit import base


class ResultTest(testtools.TestCase):
    def test_dict_result_is_a_real_dict(self):
        d = results.attach(results.DictResult({"a": 1}), base.answer())
        self.assertEqual(["req-1"], d.request_ids)
        self.assertIs(d, d.wrapped)
        self.assertIsInstance(d, dict)
        self.assertEqual('{"a": 1}', json.dumps(d))
        self.assertEqual({"a": 1}, copy.deepcopy(d))
        self.assertEqual({"a": 1}, pickle.loads(pickle.dumps(d)))  # noqa: S301

    def test_no_request_id(self):
        self.assertEqual(
            [None], results.attach(results.ListResult([1]), base.answer(None)).request_ids
        )

    def test_empty(self):
        e = results.empty(base.answer())
        self.assertIsNone(e.wrapped)
        self.assertFalse(e)
        self.assertEqual([], list(e))
        self.assertEqual(["req-1"], e.request_ids)

    def test_pair_unpacks(self):
        r = base.answer()
        response, body = results.pair(r, None)
        self.assertIs(r, response)
        self.assertIsNone(body)
        self.assertEqual(["req-1"], results.pair(r, None).request_ids)


class ResultGeneratorTest(testtools.TestCase):
    def make(self, ids):
        def pages():
            ids.append("req-page")
            yield 1
            yield 2

        return results.ResultGenerator(pages(), ids)

    def test_passes_inspect_isgenerator(self):
        ids: list = []
        g = self.make(ids)
        self.assertTrue(inspect.isgenerator(g))
        self.assertIs(g, iter(g))
        self.assertEqual([], g.request_ids)
        self.assertEqual(1, next(g))
        self.assertEqual(["req-page"], g.request_ids)
        self.assertEqual([2], list(g))

    def test_close(self):
        g = self.make([])
        g.close()
        self.assertEqual([], list(g))

    def test_throw(self):
        g = self.make([])
        next(g)
        self.assertRaises(KeyError, g.throw, KeyError("x"))
