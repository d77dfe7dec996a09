"""Models: dicts with attribute access, and write validation."""

from __future__ import annotations

import copy
import json
import pickle

import testtools

from glanceclient import exc
from glanceclient.common import models
from glanceclient.common import results
from glanceclient.tests.unit import base

SCHEMA = {
    "name": "image",
    "properties": {
        "id": {"type": "string"},
        "min_ram": {"type": "integer"},
        "visibility": {"type": "string", "enum": ["public", "private", "shared", "community"]},
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 255}},
    },
    "additionalProperties": {"type": "string"},
    "required": ["id"],
}


class ModelTest(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.fetched = 0

        def source():
            self.fetched += 1
            return SCHEMA

        self.cls = models.model_class("image", source)

    def test_attribute_and_item_access(self):
        m = models.make(
            self.cls, {"id": "x", "self": "/v2/images/x", "schema": "/v2/schemas/image"}
        )
        self.assertEqual("image", type(m).__name__)
        self.assertEqual("x", m.id)
        self.assertEqual("x", m["id"])
        self.assertNotIn("self", m)
        self.assertEqual("/v2/schemas/image", m["schema"])
        self.assertIsInstance(m, dict)

    def test_missing_attribute(self):
        m = self.cls({"id": "x"})
        self.assertRaises(AttributeError, getattr, m, "deleted")
        self.assertFalse(getattr(m, "deleted", False))
        self.assertFalse(hasattr(m, "visibility"))
        self.assertRaises(KeyError, m.__getitem__, "deleted")

    def test_set_and_delete_attributes(self):
        m = self.cls({"id": "x"})
        m.size = 5
        self.assertEqual(5, m["size"])
        del m.size
        self.assertNotIn("size", m)
        self.assertRaises(AttributeError, delattr, m, "size")

    def test_schema_fetched_only_when_read(self):
        m = self.cls({"id": "x"})
        self.assertEqual(0, self.fetched)
        self.assertEqual(SCHEMA, m.schema)
        self.assertEqual(1, self.fetched)

    def test_copies(self):
        m = self.cls({"id": "x", "tags": ["a"]})
        c = m.copy()
        self.assertIs(dict, type(c))
        c["tags"].append("b")
        self.assertEqual(["a"], m["tags"])
        deep = copy.deepcopy(m)
        self.assertIs(type(m), type(deep))
        deep["tags"].append("b")
        self.assertEqual(["a"], m["tags"])
        self.assertEqual(SCHEMA, deep.schema)
        self.assertIs(type(m), type(copy.copy(m)))
        self.assertEqual('{"id": "x", "tags": ["a"]}', json.dumps(m))

    def test_pickle(self):
        m = results.attach(self.cls({"id": "x"}), base.answer("req-1"))
        back = pickle.loads(pickle.dumps(m))  # noqa: S301
        self.assertEqual({"id": "x"}, back)
        self.assertEqual("x", back.id)
        self.assertEqual(["req-1"], back.request_ids)
        self.assertIsInstance(back, models.Model)

    def test_malformed_body(self):
        self.assertRaises(exc.InvalidResponse, models.make, self.cls, ["not", "an", "object"])


class ValidatorTest(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.validator = models.Validator(SCHEMA)

    def test_valid_values(self):
        self.validator.check({"min_ram": 5, "visibility": "public", "custom": "x", "tags": []})

    def test_wrong_type(self):
        e = self.assertRaises(exc.SchemaValidationError, self.validator.check, {"min_ram": "x"})
        self.assertIn(
            "Unable to set 'min_ram' to 'x'. Reason: 'x' is not of type 'integer'", str(e)
        )
        self.assertIsInstance(e, TypeError)

    def test_additional_properties_are_strings(self):
        e = self.assertRaises(exc.SchemaValidationError, self.validator.check, {"foo": 1})
        self.assertIn("Unable to set 'foo' to 1", str(e))

    def test_enum(self):
        self.assertRaises(exc.SchemaValidationError, self.validator.check, {"visibility": "x"})

    def test_deeply_nested_schema(self):
        nested: dict = {"type": "string"}
        for _i in range(5000):
            nested = {"allOf": [nested]}
        validator = models.Validator({"properties": {"name": nested}}, "image")
        e = self.assertRaises(exc.InvalidResponse, validator.check, {"name": "x"})
        self.assertEqual(
            "The server's image schema cannot be used: it is nested too deeply", str(e)
        )

    def test_required_is_about_whole_resources(self):
        self.validator.check({})
