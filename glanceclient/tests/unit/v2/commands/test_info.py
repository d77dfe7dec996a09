"""The ``glance import-info`` and ``usage`` commands: the real main() with
argv, the server answered through requests-mock."""

from __future__ import annotations

import json

from glanceclient.tests import tables
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2.commands import base as cbase


class InfoTest(cbase.CommandTest):
    def test_import_info(self):
        body = {"import-methods": {"type": "array", "value": ["glance-direct"]}}
        self.requests.get(base.ENDPOINT + "/v2/info/import", json=body)
        status, out, _ = self.run_glance("import-info")
        self.assertEqual(0, status)
        self.assertEqual(
            {"import-methods": json.dumps(body["import-methods"])}, tables.properties(out)
        )

    def test_usage(self):
        usage = {
            "image_size_total": {"limit": 1000, "usage": 10},
            "image_count_total": {"limit": -1, "usage": 2},
        }
        self.requests.get(base.ENDPOINT + "/v2/info/usage", json={"usage": usage})
        status, out, _ = self.run_glance("usage")
        self.assertEqual(0, status)
        self.assertEqual(
            [
                ["Quota", "Limit", "Usage"],
                ["image_count_total", "-1", "2"],
                ["image_size_total", "1000", "10"],
            ],
            tables.table(out),
        )
