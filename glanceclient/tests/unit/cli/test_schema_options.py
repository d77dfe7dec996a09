"""Options made from the image schema, and where the schema is kept."""

from __future__ import annotations

import argparse
import json
import os

import fixtures
import testtools

from glanceclient.cli import schema_options


class SchemaOptionsTest(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.useFixture(fixtures.EnvironmentVariable("XDG_CACHE_HOME", self.tmp))

    def parser(self, omit=()) -> argparse.ArgumentParser:
        parser = argparse.ArgumentParser()
        schema_options.options(omit)(parser)
        return parser

    def test_shipped_schema_gives_upstream_options(self):
        flags = {a.option_strings[0] for a in self.parser()._actions if a.option_strings}
        expected = {
            "--architecture", "--protected", "--name", "--instance-uuid", "--min-disk",
            "--visibility", "--kernel-id", "--tags", "--os-version", "--disk-format",
            "--os-distro", "--id", "--owner", "--ramdisk-id", "--min-ram",
            "--container-format", "--hidden", "--description",
        }  # fmt: skip
        self.assertTrue(expected <= flags, expected - flags)
        for absent in ("--locations", "--os-hidden", "--status", "--size", "--checksum"):
            self.assertNotIn(absent, flags)

    def test_omit(self):
        flags = {
            a.option_strings[0] for a in self.parser(("id", "tags"))._actions if a.option_strings
        }
        self.assertNotIn("--id", flags)
        self.assertNotIn("--tags", flags)

    def test_types_and_given(self):
        args = self.parser().parse_args(
            ["--min-ram", "5", "--protected", "yes", "--tags", "a", "b", "--hidden", "False"]
        )
        self.assertEqual(
            {"min_ram": 5, "protected": True, "tags": ["a", "b"], "os_hidden": False},
            schema_options.given(args),
        )
        self.assertEqual({}, schema_options.given(self.parser().parse_args([])))

    def test_fetched_schema_extends_and_overrides(self):
        fetched = {"x_y": {"type": "integer"}, "min_ram": {"type": "string"}}
        schema_options.save({"name": "image", "properties": fetched})
        args = self.parser().parse_args(["--x-y", "3", "--min-ram", "x", "--os-distro", "d"])
        self.assertEqual({"x_y": 3, "min_ram": "x", "os_distro": "d"}, schema_options.given(args))
        with open(schema_options.cache_path(), "w") as f:
            f.write("{broken")
        self.assertIn("min_ram", schema_options.load()["properties"])

    def test_unwritable_cache_is_not_an_error(self):
        blocker = os.path.join(self.tmp, "glanceclient")
        with open(blocker, "w") as f:
            f.write("a file where the directory should be")
        schema_options.save({"properties": {}})
        self.assertIn("min_ram", schema_options.load()["properties"])

    def test_shipped_copy_is_glance_33(self):
        with open(schema_options.SHIPPED) as f:
            shipped = json.load(f)
        self.assertEqual("image", shipped["name"])
        self.assertTrue(shipped["properties"]["status"]["readOnly"])

    def test_boolean(self):
        self.assertTrue(schema_options.boolean("TRUE"))
        self.assertFalse(schema_options.boolean("off"))
        self.assertRaises(argparse.ArgumentTypeError, schema_options.boolean, "maybe")
