"""The ``glance stores-*`` commands: the real main() with argv, the server answered through
requests-mock."""

from __future__ import annotations

import json

from glanceclient.tests import tables
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2.commands import base as cbase


class StoresTest(cbase.CommandTest):
    def test_stores_info(self):
        body = {"stores": [{"id": "fast", "default": "true"}]}
        self.requests.get(base.ENDPOINT + "/v2/info/stores", json=body)
        status, out, _ = self.run_glance("stores-info")
        self.assertEqual(0, status)
        self.assertEqual({"stores": json.dumps(body["stores"])}, tables.properties(out))

    def test_stores_info_detail(self):
        self.requests.get(base.ENDPOINT + "/v2/info/stores/detail", json={"stores": []})
        self.assertEqual(0, self.run_glance("stores-info", "--detail")[0])

    def test_long_values_wrap_at_80(self):
        # Upstream wraps the JSON of stores-info --detail and import-info.
        stores = [
            {"id": "store%d" % i, "type": "file", "default": i == 0, "weight": 0,
             "properties": {"datadir": "/var/lib/glance/images/store%d" % i}}
            for i in range(3)
        ]  # fmt: skip
        self.requests.get(base.ENDPOINT + "/v2/info/stores/detail", json={"stores": stores})
        value = ["glance-direct", "web-download", "copy-image", "glance-download"]
        methods = {
            "import-methods": {"description": "Import methods.", "type": "array", "value": value}
        }
        self.requests.get(base.ENDPOINT + "/v2/info/import", json=methods)
        for argv, key, value in (
            (("stores-info", "--detail"), "stores", stores),
            (("import-info",), "import-methods", methods["import-methods"]),
        ):
            status, out, _ = self.run_glance(*argv)
            self.assertEqual(0, status)
            rows = tables.table(out)[1:]
            self.assertGreater(len(rows), 1, out)
            self.assertEqual([key] + [""] * (len(rows) - 1), [k for k, _ in rows])
            self.assertLessEqual(max(len(v) for _, v in rows), 80)
            # Cut at spaces and hyphens: joined back, only spaces differ.
            self.assertEqual(
                json.dumps(value).replace(" ", ""), "".join(v for _, v in rows).replace(" ", "")
            )

    def test_not_multi_store(self):
        self.json_error("GET", base.ENDPOINT + "/v2/info/stores", 404, "Not Found", "x")
        self.assert_failed(self.run_glance("stores-info"), "Multi Backend support is not enabled.")

    def test_stores_delete(self):
        delete = self.requests.delete(
            base.ENDPOINT + "/v2/stores/fast/" + base.IMAGE_ID, status_code=204
        )
        self.assertEqual(
            (0, "", ""), self.run_glance("stores-delete", "--store", "fast", base.IMAGE_ID)
        )
        self.assertTrue(delete.called)

    def test_stores_delete_unknown_store(self):
        self.json_error(
            "DELETE",
            base.ENDPOINT + "/v2/stores/nope/" + base.IMAGE_ID,
            400,
            "Bad Request",
            "Unknown store nope.",
        )
        status, _, err = self.run_glance("stores-delete", "--store", "nope", base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assertIn("HTTP 400 Bad Request: Unknown store nope.", err)
