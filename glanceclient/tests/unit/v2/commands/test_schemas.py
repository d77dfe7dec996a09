"""The ``glance explain`` command: the real main() with argv, the server answered through
requests-mock."""

from __future__ import annotations

from glanceclient.cli import schema_options
from glanceclient.tests import tables
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2.commands import base as cbase


class ExplainTest(cbase.CommandTest):
    def test_member(self):
        self.requests.get(
            base.ENDPOINT + "/v2/schemas/member",
            json={
                "name": "member",
                "properties": {
                    "status": {"type": "string", "description": "The status"},
                    "image_id": {"type": "string", "description": "The image"},
                },
            },
        )
        status, out, _ = self.run_glance("explain", "member")
        self.assertEqual(0, status)
        self.assertEqual(
            [["Attribute", "Description"], ["image_id", "The image"], ["status", "The status"]],
            tables.table(out),
        )

    def test_image_keeps_the_schema(self):
        served = dict(cbase.SCHEMA, properties={"zz_custom": {"type": "string"}})
        self.requests.get(cbase.SCHEMA_URL, json=served)
        self.assertEqual(0, self.run_glance("explain", "image")[0])
        self.assertIn("zz_custom", schema_options.load()["properties"])

    def test_unknown_model(self):
        self.json_error("GET", base.ENDPOINT + "/v2/schemas/nope", 404, "Not Found", "x")
        status, out, err = self.run_glance("explain", "nope")
        self.assertEqual((1, ""), (status, out))
        self.assertEqual(1, len(err.splitlines()))
