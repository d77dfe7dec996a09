"""Tables and values as the glance command prints them."""

from __future__ import annotations

import testtools

from glanceclient.cli import output


class FormatTableTest(testtools.TestCase):
    def test_rows_are_padded_to_the_widest_cell(self):
        self.assertEqual(
            "+-----+------+\n"
            "| ID  | Hits |\n"
            "+-----+------+\n"
            "| a   | 1    |\n"
            "| bcd |      |\n"
            "+-----+------+\n",
            output.format_table([("a", 1), ("bcd", None)], ("ID", "Hits")),
        )

    def test_empty_table_keeps_its_header(self):
        self.assertEqual(
            "+------+\n| Node |\n+------+\n+------+\n", output.format_table([], ("Node",))
        )

    def test_wide_and_combining_characters(self):
        table = output.format_table([("日本",), ("e\u0301",)], ("x",))
        self.assertEqual(
            "+------+\n| x    |\n+------+\n| 日本 |\n| e\u0301    |\n+------+\n", table
        )

    def test_row_of_the_wrong_length_is_a_bug(self):
        self.assertRaises(ValueError, output.format_table, [("a", "b")], ("one",))


class FormatValuesTest(testtools.TestCase):
    def test_timestamp(self):
        self.assertEqual("2025-11-25T12:00:00", output.format_timestamp(1764072000.9))
        self.assertEqual("-", output.format_timestamp(None))
        self.assertEqual("soon", output.format_timestamp("soon"))

    def test_size(self):
        self.assertEqual("512B", output.format_size(512))
        self.assertEqual("1.5KiB", output.format_size(1536))
        self.assertEqual("2.0GiB", output.format_size(2 * 1024**3))
        self.assertEqual("3072.0TiB", output.format_size(3 * 1024**5))
        self.assertEqual("-", output.format_size(None))


class FieldRowsTest(testtools.TestCase):
    def test_one_rule_from_column_title_to_field(self):
        items = [{"id": "i", "disk_format": "raw", "image_id": "m", "tags": ["a"]}]
        columns = ("ID", "Disk_format", "Image Id", "Tags", "Missing")
        self.assertEqual([["i", "raw", "m", ["a"], None]], list(output.field_rows(items, columns)))
        self.assertEqual(
            [["i", "raw", "m", '["a"]', ""]], list(output.field_rows(items, columns, output.cell))
        )
