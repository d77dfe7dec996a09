"""``--format`` and ``-c/--column`` of ``glance``: every format parsed back,
through the real main() with requests-mock answering."""

from __future__ import annotations

import csv
import io
import json

import yaml

from glanceclient.cli import formats
from glanceclient.tests import tables
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2.commands import base as commands_base

CACHE_URL = base.CACHE_URL
OTHER_ID = base.OTHER_ID
NODE_A = "http://node_a:60999"
NODE_B = "http://node_b:60999"
LISTING = base.CACHE_LISTING
#: cache-list's rows as the data formats carry them.
CACHED = {
    "id": base.IMAGE_ID,
    "name": "cirros",
    "state": "cached",
    "last_accessed_utc": "2025-11-25T12:00:00",
    "last_modified_utc": "2025-11-25T11:00:00",
    "size": 1572864,
    "hits": 4,
}
QUEUED = {
    "id": OTHER_ID,
    "name": None,
    "state": "queued",
    "last_accessed_utc": None,
    "last_modified_utc": None,
    "size": None,
    "hits": None,
}


class KeyTest(base.TestCase):
    def test_titles_in_snake_case(self):
        for title, key in (
            ("Last Accessed (UTC)", "last_accessed_utc"),
            ("Latency (ms)", "latency_ms"),
            ("Node Reference URL", "node_reference_url"),
            ("ID", "id"),
            ("Error Detail", "error_detail"),
            ("name", "name"),
        ):
            self.assertEqual(key, formats.key_of(title))


class CacheListFormatsTest(base.ShellTestCase):
    """One listing in every format, each parsed back."""

    def setUp(self):
        super().setUp()
        self.mock_versions()
        self.requests.get(CACHE_URL, json=LISTING)
        self.requests.get(
            commands_base.IMAGES_URL, json={"images": [{"id": base.IMAGE_ID, "name": "cirros"}]}
        )

    def glance(self, *argv):
        status, out, err = self.run_glance("cache-list", *argv)
        self.assertEqual((0, ""), (status, err))
        return out

    def test_json(self):
        self.assertEqual([CACHED, QUEUED], json.loads(self.glance("--format", "json")))

    def test_json_human_readable_keeps_numbers(self):
        rows = json.loads(self.glance("--human-readable", "-f", "json"))
        self.assertEqual(1572864, rows[0]["size"])

    def test_yaml(self):
        self.assertEqual([CACHED, QUEUED], yaml.safe_load(self.glance("--format", "yaml")))

    def test_csv(self):
        rows = list(csv.reader(io.StringIO(self.glance("--format", "csv"))))
        self.assertEqual(list(CACHED), rows[0])
        self.assertEqual([str(v) for v in CACHED.values()], rows[1])
        self.assertEqual([OTHER_ID, "", "queued", "", "", "", ""], rows[2])

    def test_value(self):
        out = self.glance("--format", "value")
        self.assertEqual(
            [
                "%s cirros cached 2025-11-25T12:00:00 2025-11-25T11:00:00 1572864 4"
                % base.IMAGE_ID,
                "%s  queued    " % OTHER_ID,
            ],
            out.splitlines(),
        )

    def test_columns_by_key_or_title_in_their_order(self):
        out = self.glance("-f", "value", "-c", "state", "--column", "ID")
        self.assertEqual(["cached " + base.IMAGE_ID, "queued " + OTHER_ID], out.splitlines())
        out = self.glance("-f", "json", "-c", "Last Accessed (UTC)")
        self.assertEqual(
            [{"last_accessed_utc": "2025-11-25T12:00:00"}, {"last_accessed_utc": None}],
            json.loads(out),
        )

    def test_columns_of_a_table(self):
        out = self.glance("-c", "id", "-c", "size")
        self.assertEqual(
            [["ID", "Size"], [base.IMAGE_ID, "1572864"], [OTHER_ID, "-"]], tables.table(out)
        )

    def test_unknown_column_is_a_usage_error(self):
        status, out, err = self.run_glance("cache-list", "-c", "colour")
        self.assertEqual((2, ""), (status, out))
        self.assert_one_error_line(
            err,
            "No column 'colour' here; the columns are: id, name, state, last_accessed_utc, "
            "last_modified_utc, size, hits.",
        )

    def test_unknown_format_is_a_usage_error(self):
        status, out, err = self.run_glance("cache-list", "--format", "xml")
        self.assertEqual((2, ""), (status, out))
        self.assertIn("invalid choice: 'xml'", err)

    def test_empty_listing_is_an_empty_list(self):
        self.requests.get(CACHE_URL, json={"cached_images": [], "queued_images": []})
        self.assertEqual([], json.loads(self.glance("-f", "json")))
        self.assertEqual([], yaml.safe_load(self.glance("-f", "yaml")))
        self.assertEqual("", self.glance("-f", "value"))


class PropertyBlockFormatsTest(base.ShellTestCase):
    """A property block is one object, with the API's keys."""

    def setUp(self):
        super().setUp()
        self.mock_versions()
        self.requests.get(
            commands_base.IMAGE_URL, json=commands_base.image(tags=["a", "b"], size=3)
        )

    def show(self, *argv):
        status, out, err = self.run_glance("image-show", *argv, base.IMAGE_ID)
        self.assertEqual((0, ""), (status, err))
        return out

    def test_json_is_one_object_without_links(self):
        shown = json.loads(self.show("-f", "json"))
        self.assertEqual(base.IMAGE_ID, shown["id"])
        self.assertEqual(3, shown["size"])
        self.assertEqual(["a", "b"], shown["tags"])
        self.assertIsNone(shown["checksum"])
        self.assertFalse(shown["protected"])
        self.assertFalse({"self", "file", "schema"} & set(shown))

    def test_json_human_readable_keeps_the_size_a_number(self):
        self.assertEqual(3, json.loads(self.show("--human-readable", "-f", "json"))["size"])

    def test_yaml(self):
        shown = yaml.safe_load(self.show("-f", "yaml"))
        self.assertEqual(["a", "b"], shown["tags"])
        self.assertEqual("cirros", shown["name"])

    def test_selected_properties(self):
        self.assertEqual(
            {"name": "cirros", "size": 3, "colour": None},
            json.loads(self.show("-f", "json", "-c", "name", "-c", "size", "-c", "colour")),
        )
        self.assertEqual(
            ["cirros", "3"], self.show("-f", "value", "-c", "name", "-c", "size").split("\n")[:2]
        )
        rows = list(csv.reader(io.StringIO(self.show("-f", "csv", "-c", "id", "-c", "tags"))))
        self.assertEqual([["id", "tags"], [base.IMAGE_ID, '["a", "b"]']], rows)

    def test_selected_properties_of_the_table(self):
        out = self.show("-c", "name", "-c", "size")
        self.assertEqual([["name", "cirros"], ["size", "3"]], tables.rows(out))


class EscapingTest(base.ShellTestCase):
    """Names from a server never reach a terminal raw, in any format."""

    def setUp(self):
        super().setUp()
        self.mock_versions()
        self.requests.get(
            commands_base.IMAGES_URL,
            json={"images": [commands_base.image(name="evil\x1b[2J\u202ename")]},
        )

    def test_every_format(self):
        for fmt in formats.FORMATS:
            status, out, err = self.run_glance("image-list", "-f", fmt)
            self.assertEqual((0, ""), (status, err), fmt)
            self.assertNotIn("\x1b", out, fmt)
            self.assertNotIn("\u202e", out, fmt)
        status, out, _ = self.run_glance("image-list", "-f", "json")
        self.assertEqual("evil\x1b[2J\u202ename", json.loads(out)[0]["name"])


class FanOutFormatsTest(base.ShellTestCase):
    """Rows of a command run on several nodes: node, status, error and its
    detail in the data formats; one short reason in the table."""

    def setUp(self):
        super().setUp()
        self.mock_versions()
        for node in (NODE_A, NODE_B):
            self.mock_versions(endpoint=node)
        self.requests.post(
            NODE_A + "/v2/cache/prune", json={"total_files_pruned": 2, "total_bytes_pruned": 9}
        )
        self.requests.register_uri(
            "POST",
            NODE_B + "/v2/cache/prune",
            status_code=403,
            text=base.error_body("403 Forbidden", "You are not authorized to complete prune."),
            headers={"x-openstack-request-id": base.REQUEST_ID},
        )

    def prune(self, *argv):
        return self.run_glance("cache-prune", "--node", NODE_A, "--node", NODE_B, *argv)

    def test_json(self):
        status, out, err = self.prune("-f", "json")
        self.assertEqual((1, ""), (status, err))
        self.assertEqual(
            [
                {
                    "node": NODE_A,
                    "files_pruned": 2,
                    "bytes_pruned": 9,
                    "status": "ok",
                    "error": None,
                    "error_detail": None,
                },
                {
                    "node": NODE_B,
                    "files_pruned": None,
                    "bytes_pruned": None,
                    "status": "failed",
                    "error": "HTTP 403 Forbidden: You are not authorized to complete prune.",
                    "error_detail": {
                        "message": "HTTP 403 Forbidden: You are not authorized to complete "
                        "prune. (POST %s/v2/cache/prune, request id %s)"
                        % (NODE_B, base.REQUEST_ID),
                        "method": "POST",
                        "url": NODE_B + "/v2/cache/prune",
                        "request_id": base.REQUEST_ID,
                    },
                },
            ],
            json.loads(out),
        )

    def test_yaml_csv_value(self):
        status, out, _ = self.prune("-f", "yaml")
        self.assertEqual(1, status)
        self.assertEqual(["ok", "failed"], [r["status"] for r in yaml.safe_load(out)])
        status, out, _ = self.prune("-f", "csv")
        rows = list(csv.DictReader(io.StringIO(out)))
        self.assertEqual(["2", ""], [r["files_pruned"] for r in rows])
        self.assertEqual(base.REQUEST_ID, json.loads(rows[1]["error_detail"])["request_id"])
        status, out, _ = self.prune("-f", "value", "-c", "node", "-c", "status")
        self.assertEqual([NODE_A + " ok", NODE_B + " failed"], out.splitlines())

    def test_table_has_one_short_reason(self):
        status, out, err = self.prune()
        self.assertEqual((1, ""), (status, err))
        rows = tables.rows(out)
        self.assertEqual(
            [
                [NODE_A, "2", "9", "ok"],
                [NODE_B, "-", "-", "HTTP 403 Forbidden: You are not authorized to complete prune."],
            ],
            rows,
        )
        self.assertNotIn(base.REQUEST_ID, out)

    def test_debug_shows_the_whole_message(self):
        status, out, _ = self.run_glance(
            "--debug", "cache-prune", "--node", NODE_A, "--node", NODE_B
        )
        self.assertEqual(1, status)
        self.assertIn("request id %s" % base.REQUEST_ID, out)

    def test_status_and_error_columns_in_a_table_when_named(self):
        status, out, _ = self.prune("-c", "node", "-c", "status", "-c", "error")
        self.assertEqual(["Node", "Status", "Error"], tables.table(out)[0])
