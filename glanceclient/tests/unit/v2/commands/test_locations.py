"""The ``glance location-*`` commands: the real main() with argv, the server answered through
requests-mock."""

from __future__ import annotations

import json

from glanceclient.tests import tables
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2.commands import base as cbase

LOCATION = {"url": "file:///a", "metadata": {"store": "fast"}}


class LocationTest(cbase.CommandTest):
    def setUp(self):
        super().setUp()
        self.requests.get(cbase.IMAGE_URL, json=cbase.image(locations=[LOCATION]))
        self.patch = self.requests.patch(cbase.IMAGE_URL, json=cbase.image(locations=[LOCATION]))

    def test_location_add(self):
        status, out, err = self.run_glance(
            "location-add",
            "--url",
            "file:///b",
            "--metadata",
            '{"k": "v"}',
            "--hash-algo",
            "sha256",
            "--hash-value",
            "ab",
            base.IMAGE_ID,
        )
        self.assertEqual(0, status, err)
        self.assertEqual(
            [
                {
                    "op": "add",
                    "path": "/locations/-",
                    "value": {
                        "url": "file:///b",
                        "metadata": {"k": "v"},
                        "validation_data": {"os_hash_algo": "sha256", "os_hash_value": "ab"},
                    },
                }
            ],
            self.patch.last_request.json(),
        )
        self.assertEqual(json.dumps([LOCATION]), tables.properties(out)["locations"])

    def test_bad_json(self):
        for value, message in (
            ("{nope", "--metadata is not valid JSON: Expecting property name enclosed"),
            ("[1]", "--metadata must be a JSON object."),
        ):
            status, out, err = self.run_glance(
                "location-add", "--url", "file:///b", "--metadata", value, base.IMAGE_ID
            )
            self.assertEqual(1, status)
            self.assertTrue(err.startswith("glance: error: " + message), err)
            self.assertEqual(1, len(err.splitlines()))
        self.assertFalse(self.patch.called)

    def test_location_delete(self):
        self.assertEqual(
            (0, "", ""),
            self.run_glance("location-delete", "--url", "file:///a", base.IMAGE_ID),
        )
        self.assertEqual([{"op": "remove", "path": "/locations/0"}], self.patch.last_request.json())

    def test_location_delete_unknown_url(self):
        status, _, err = self.run_glance("location-delete", "--url", "file:///z", base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assertIn("file:///z", err)
        self.assertEqual(1, len(err.splitlines()))
        self.assertFalse(self.patch.called)

    def test_location_update_warns_on_empty_metadata(self):
        status, out, err = self.run_glance("location-update", "--url", "file:///a", base.IMAGE_ID)
        self.assertEqual(0, status, err)
        self.assertEqual("glance: warning: the location's metadata is set to {} (empty).\n", err)
        self.assertEqual(
            [
                {
                    "op": "replace",
                    "path": "/locations",
                    "value": [{"url": "file:///a", "metadata": {}}],
                }
            ],
            self.patch.last_request.json(),
        )

    def test_add_location(self):
        self.mock_versions()
        post = self.requests.post(cbase.IMAGE_URL + "/locations", status_code=202)
        status, out, err = self.run_glance(
            "add-location",
            "--url",
            "file:///c",
            "--validation-data",
            '{"os_hash_algo": "sha512", "os_hash_value": "ab"}',
            base.IMAGE_ID,
        )
        self.assertEqual(0, status, err)
        self.assertEqual(
            {
                "url": "file:///c",
                "validation_data": {"os_hash_algo": "sha512", "os_hash_value": "ab"},
            },
            post.last_request.json(),
        )

    def test_add_location_refusals(self):
        for data, message in (
            (
                '{"checksum": "x"}',
                "--validation-data takes only os_hash_algo and os_hash_value, not checksum.",
            ),
            (
                '{"os_hash_algo": "crc"}',
                "os_hash_algo must be one of sha512, sha256, sha1, md5, not 'crc'.",
            ),
        ):
            self.assert_failed(
                self.run_glance(
                    "add-location", "--url", "file:///c", "--validation-data", data, base.IMAGE_ID
                ),
                message,
            )
        self.assertEqual([], self.requests.request_history)
