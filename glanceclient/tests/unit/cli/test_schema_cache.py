"""A hostile schema cache, through ``glance``: options made from a schema
never shadow or break the built-in and global ones, and a cache that is
not a usable schema (a FIFO, nested too deeply) is passed over for the
shipped copy; the cache is written through a new file, never a link."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import fixtures

from glanceclient.cli import schema_options
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2.commands import base as commands_base

IMAGES_URL = base.ENDPOINT + "/v2/images"

#: Properties named like options that are not theirs to define.
SHADOWING = {
    "help": {"type": "string"},
    "file": {"type": "string"},
    "progress": {"type": "boolean"},
    "os_image_url": {"type": "string"},
    "timeout": {"type": "string"},
    "os_cacert": {"type": "string"},
    "os_auth_token": {"type": "string"},
    "func": {"type": "string"},
    "schema_fields": {"type": "string"},
    "hidden": {"type": "string"},
    "bad name": {"type": "string"},
    "": {"type": "string"},
    "x_percent": {"type": "string", "description": "100% sure, %(prog)s"},
    "x_enum": {"type": "integer", "enum": [1, None, {"a": 1}, "%s"]},
    "x_kept": {"type": "string", "description": "A property of the server's."},
}


class SchemaCacheTest(base.ShellTestCase):
    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.useFixture(fixtures.EnvironmentVariable("XDG_CACHE_HOME", self.tmp))
        self.useFixture(fixtures.MonkeyPatch("sys.stdin", base.Terminal()))
        self.path = schema_options.cache_path()
        os.makedirs(os.path.dirname(self.path))

    def cache(self, properties: dict) -> None:
        with open(self.path, "w") as f:
            json.dump({"name": "image", "properties": properties}, f)

    def test_shadowing_properties_get_no_option(self):
        self.cache(SHADOWING)
        status, out, err = self.run_glance("help", "image-create")
        self.assertEqual(0, status, err)
        self.assertIn("--x-kept <X_KEPT>", out)
        self.assertIn("100% sure, %(prog)s", out)
        self.assertIn("Valid values: 1, {'a': 1}, %s.", out)
        for flag in ("--os-image-url", "--timeout", "--os-cacert", "--func", "--bad name"):
            self.assertNotIn(flag, out)
        self.assertIn("--file <FILE>         Local file", out)
        self.assertIn("--progress            Show upload progress bar.", out)

    def test_global_options_keep_their_meaning(self):
        self.cache(SHADOWING)
        self.mock_versions()
        self.requests.post(IMAGES_URL, status_code=201, json=commands_base.image(name="x"))
        self.requests.get(commands_base.SCHEMA_URL, json=commands_base.SCHEMA)
        status, out, err = self.run_glance(
            "--timeout", "7", "image-create", "--name", "x", "--x-kept", "k"
        )
        self.assertEqual(0, status, err)
        # Sent to --os-image-url (base.ENDPOINT), not looked for in a catalog.
        post = self.requests.request_history[-1]
        self.assertEqual(("POST", IMAGES_URL), (post.method, post.url))
        self.assertEqual({"name": "x", "x_kept": "k"}, post.json())
        self.assertEqual(7, post.timeout)

    def test_debug_line_for_each_skipped_property(self):
        self.cache(SHADOWING)
        status, out, err = self.run_glance("--debug", "help", "image-create")
        self.assertEqual(0, status, err)
        self.assertIn("The image schema's property 'os_image_url' gets no option", err)
        self.assertIn("The image schema's property 'help' gets no option", err)
        self.assertNotIn("property 'x_kept'", err)

    def test_deeply_nested_cache_falls_back_on_the_shipped_schema(self):
        with open(self.path, "w") as f:
            f.write('{"properties": {"a": ' + "[" * 100_000 + "]" * 100_000 + "}}")
        status, out, err = self.run_glance("help", "image-create")
        self.assertEqual(0, status, err)
        self.assertIn("--os-distro", out)

    def test_fifo_at_the_cache_path_does_not_hang(self):
        os.mkfifo(self.path)
        env = dict(os.environ, XDG_CACHE_HOME=self.tmp)
        result = subprocess.run(
            [sys.executable, "-m", "glanceclient.shell", "help", "image-create"],
            capture_output=True, text=True, timeout=60, env=env, check=False,
        )  # fmt: skip
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertIn("--os-distro", result.stdout)

    def test_kept_through_a_new_file_never_a_link(self):
        victim = os.path.join(self.tmp, "victim")
        with open(victim, "w") as f:
            f.write("untouched")
        os.symlink(victim, "%s.%d" % (self.path, os.getpid()))
        schema_options.save({"name": "image", "properties": {"x": {"type": "string"}}})
        with open(victim) as f:
            self.assertEqual("untouched", f.read())
        self.assertFalse(os.path.exists(self.path))

    def test_unusable_schemas_are_not_kept(self):
        for schema in (
            {"name": "image"},
            {"properties": ["x"]},
            {"properties": {"x": "a" * schema_options.MAX_SCHEMA_BYTES}},
        ):
            schema_options.save(schema)
            self.assertFalse(os.path.exists(self.path), schema)
        schema_options.save({"properties": {"x": {"type": "string"}}})
        self.assertEqual(0o600, os.stat(self.path).st_mode & 0o777)
