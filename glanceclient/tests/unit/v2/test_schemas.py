"""The server's schemas, from a hostile server on 127.0.0.1: values are
checked with nothing fetched or read on the schema's word, and a schema
that cannot be used is one client error, through the SDK and ``glance``."""

from __future__ import annotations

import json
import os

import fixtures

import glanceclient
from glanceclient import exc
from glanceclient.tests.fakeglance import routes
from glanceclient.tests.unit import base

SCHEMA_PATH = "/v2/schemas/image"


def image_schema(**name_schema: object) -> dict:
    """An image schema whose ``name`` property is ``name_schema``."""
    return {"name": "image", "properties": {"name": name_schema}}


#: Schemas that cannot be used, and what their error says.
MALFORMED = (
    ({"properties": 5}, "'int' object has no attribute 'items'"),
    (image_schema(type=5), "'int' object is not iterable"),
    (image_schema(type="strin"), "Unknown type 'strin'"),
    (image_schema(pattern="("), "missing ), unterminated subpattern"),
    (image_schema(minLength="a"), "'<' not supported"),
    (image_schema(enum=5), "'int' object is not iterable"),
    (image_schema(**{"$ref": 5}), "has no attribute"),
    (image_schema(**{"$ref": "#/nowhere"}), "it refers to '/nowhere'"),
    # Python 3.10 words it "'list' object has no attribute 'decode'".
    ({"$schema": [1], "properties": {}}, "'list'"),
    ({"$id": 5, "properties": {}}, "has no attribute"),
    (
        {
            "$schema": "http://json-schema.org/draft-03/schema#",
            "properties": {"name": {"extends": "x"}},
        },
        "has no attribute 'get'",
    ),
)


class HostileSchemaTest(base.ShellTestCase):
    def setUp(self):
        super().setUp()
        self.requests.stop()  # to the loopback server below
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.useFixture(fixtures.EnvironmentVariable("XDG_CACHE_HOME", self.tmp + "/cache"))
        self.useFixture(fixtures.MonkeyPatch("sys.stdin", base.Terminal()))
        self.routes: routes.Routes = {
            ("GET", "/evil"): (200, {"type": "integer"}),
            ("POST", "/v2/images"): (201, {"id": base.IMAGE_ID, "name": "x"}),
            ("POST", "/v2/tasks"): (201, {"id": "t1", "type": "import"}),
        }
        self.server = self.useFixture(routes.FakeGlance(self.routes))

    def serve_schema(self, schema: dict, name: str = "image") -> None:
        self.routes[("GET", "/v2/schemas/" + name)] = (200, schema)

    def client(self):
        return glanceclient.Client("2", endpoint=self.server.url, token=base.TOKEN, timeout=5)

    def paths(self) -> list[str]:
        return [r.path for r in self.server.recorded]

    def test_remote_ref_is_not_fetched(self):
        self.serve_schema(image_schema(**{"$ref": self.server.url + "/evil"}))
        e = self.assertRaises(exc.InvalidResponse, self.client().images.create, name="x")
        self.assertEqual(
            "The server's image schema cannot be used: it refers to '%s/evil', which is not "
            "within it (nothing is fetched)" % self.server.url,
            str(e),
        )
        self.assertEqual([SCHEMA_PATH], self.paths())

    def test_file_ref_is_not_read(self):
        # Were the file read, "x" would fail its {"type": "integer"}.
        path = os.path.join(self.tmp, "integer.json")
        with open(path, "w") as f:
            json.dump({"type": "integer"}, f)
        self.serve_schema(image_schema(**{"$ref": "file://" + path}))
        e = self.assertRaises(exc.InvalidResponse, self.client().images.create, name="x")
        self.assertIn("it refers to 'file://%s'" % path, str(e))
        self.assertNotIsInstance(e, exc.SchemaValidationError)

    def test_internal_refs_still_resolve(self):
        schema = image_schema(**{"$ref": "#/definitions/short"})
        schema["definitions"] = {"short": {"type": "string", "maxLength": 3}}
        self.serve_schema(schema)
        client = self.client()
        self.assertEqual("x", client.images.create(name="x").name)
        e = self.assertRaises(exc.SchemaValidationError, client.images.create, name="long")
        self.assertIn("'long' is too long", str(e))

    def test_malformed_schemas_are_one_client_error(self):
        for schema, words in MALFORMED:
            self.serve_schema(schema)
            e = self.assertRaises(exc.InvalidResponse, self.client().images.create, name="x")
            self.assertTrue(str(e).startswith("The server's image schema cannot be used: "), e)
            self.assertIn(words, str(e))
            self.assertEqual([exc.one_line(e)], str(e).splitlines())
        self.assertNotIn("/v2/images", self.paths())

    def test_task_schema(self):
        self.serve_schema({"name": "task", "properties": {"type": {"$ref": "http://x/"}}}, "task")
        e = self.assertRaises(
            exc.InvalidResponse, self.client().tasks.create, type="import", input={}
        )
        self.assertIn("The server's task schema cannot be used: it refers to 'http://x/'", str(e))

    def test_glance_image_create(self):
        self.serve_schema(image_schema(**{"$ref": self.server.url + "/evil"}))
        status, out, err = self.run_glance(
            "--os-image-url", self.server.url, "--os-auth-token", "t",
            "image-create", "--name", "x", token_args=False,
        )  # fmt: skip
        self.assertEqual(1, status, err)
        self.assert_one_error_line(
            err,
            "The server's image schema cannot be used: it refers to '%s/evil', which is not "
            "within it (nothing is fetched)" % self.server.url,
        )
        self.assertNotIn("/evil", self.paths())
        self.assertNotIn("/v2/images", self.paths())
