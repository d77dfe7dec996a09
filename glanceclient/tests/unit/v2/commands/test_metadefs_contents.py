"""The ``glance md-property-*``, ``md-object-*`` and ``md-tag-*`` commands:
the real main() with argv, the server answered through requests-mock."""

from __future__ import annotations

from glanceclient.tests import tables
from glanceclient.tests.unit.v2 import base as v2base
from glanceclient.tests.unit.v2.commands import base as cbase

PROPS = v2base.CPU_URL + "/properties"
OBJS = v2base.CPU_URL + "/objects"
TAGS = v2base.CPU_URL + "/tags"


class PropertyCommandsTest(cbase.CommandTest):
    def test_create(self):
        self.mock_schema("metadefs/property")
        post = self.requests.post(
            PROPS,
            status_code=201,
            json={"name": "p", "title": "P", "type": "string", "enum": ["a", "b"]},
        )
        code, out, err = self.run_glance(
            "md-property-create",
            v2base.CPU,
            "--name",
            "p",
            "--title",
            "P",
            "--type",
            "string",
            "--schema",
            '{"enum": ["a", "b"]}',
        )
        self.assertEqual(0, code, err)
        self.assertEqual(
            {"name": "p", "title": "P", "type": "string", "enum": ["a", "b"]},
            post.last_request.json(),
        )
        self.assertEqual('["a", "b"]', dict(tables.table(out)[1:])["enum"])

    def test_create_bad_schema_changes_nothing(self):
        code, out, err = self.run_glance(
            "md-property-create",
            v2base.CPU,
            "--name",
            "p",
            "--title",
            "P",
            "--type",
            "string",
            "--schema",
            "{enum:",
        )
        self.assertEqual(1, code)
        self.assertEqual("", out)
        self.assertEqual(1, len(err.splitlines()))
        self.assertTrue(err.startswith("glance: error: --schema is not valid JSON: "))
        self.assertEqual([], self.requests.request_history)

    def test_create_requires_its_options(self):
        code, _, err = self.run_glance("md-property-create", v2base.CPU, "--name", "p")
        self.assertEqual(2, code)
        self.assertIn("--title", err)

    def test_update(self):
        self.mock_schema("metadefs/property")
        self.requests.get(PROPS + "/p", json={"title": "P", "type": "string"})
        put = self.requests.put(PROPS + "/p", json={"name": "q"})
        self.requests.get(PROPS + "/q", json={"name": "q", "title": "Q", "type": "integer"})
        code, out, err = self.run_glance(
            "md-property-update",
            v2base.CPU,
            "p",
            "--name",
            "q",
            "--title",
            "Q",
            "--schema",
            '{"type": "integer"}',
        )
        self.assertEqual(0, code, err)
        self.assertEqual({"name": "q", "title": "Q", "type": "integer"}, put.last_request.json())
        self.assertEqual("integer", dict(tables.table(out)[1:])["type"])

    def test_update_unknown_property(self):
        self.json_error("GET", PROPS + "/nope", 404, "Not Found", "Could not find property nope")
        code, _, err = self.run_glance("md-property-update", v2base.CPU, "nope", "--title", "x")
        self.assertEqual(1, code)
        self.assertIn("Could not find property nope", err)
        self.assertEqual(["GET"], self.methods())

    def test_show(self):
        self.requests.get(
            PROPS + "/cpu_policy",
            json={"name": "cpu_policy", "title": "CPU", "type": "string"},
        )
        code, out, _ = self.run_glance("md-property-show", v2base.CPU, "cpu_policy")
        self.assertEqual(0, code)
        self.assertEqual(
            [
                ["Property", "Value"],
                ["name", "cpu_policy"],
                ["title", "CPU"],
                ["type", "string"],
            ],
            tables.table(out),
        )

    def test_list(self):
        self.requests.get(
            PROPS,
            json={
                "properties": {
                    "b": {"title": "B", "type": "integer"},
                    "a": {"title": "A", "type": "string"},
                }
            },
        )
        code, out, _ = self.run_glance("md-property-list", v2base.CPU)
        self.assertEqual(0, code)
        self.assertEqual(
            [["name", "title", "type"], ["b", "B", "integer"], ["a", "A", "string"]],
            tables.table(out),
        )

    def test_deletes(self):
        one = self.requests.delete(PROPS + "/p", status_code=204)
        every = self.requests.delete(PROPS, status_code=204)
        self.assertEqual(0, self.run_glance("md-property-delete", v2base.CPU, "p")[0])
        self.assertEqual(0, self.run_glance("md-namespace-properties-delete", v2base.CPU)[0])
        self.assertTrue(one.called_once and every.called_once)


class ObjectCommandsTest(cbase.CommandTest):
    MYSQL = {
        "name": "MySQL",
        "description": "A database.",
        "required": [],
        "properties": {
            "version": {"title": "Version", "type": "string"},
            "port": {"title": "Port", "type": "integer"},
        },
        "schema": "/v2/schemas/metadefs/object",
        "self": "/v2/metadefs/namespaces/x/objects/MySQL",
    }

    def test_create(self):
        self.mock_schema("metadefs/object")
        post = self.requests.post(OBJS, status_code=201, json=self.MYSQL)
        code, out, err = self.run_glance(
            "md-object-create",
            v2base.CPU,
            "--name",
            "MySQL",
            "--schema",
            '{"description": "A database."}',
        )
        self.assertEqual(0, code, err)
        self.assertEqual({"name": "MySQL", "description": "A database."}, post.last_request.json())
        self.assertEqual('["version", "port"]', dict(tables.table(out)[1:])["properties"])

    def test_create_schema_must_be_an_object(self):
        self.expect_error(
            ["md-object-create", v2base.CPU, "--name", "o", "--schema", "[]"],
            "--schema must be a JSON object.",
        )
        self.assertEqual([], self.requests.request_history)

    def test_update(self):
        self.mock_schema("metadefs/object")
        self.requests.get(OBJS + "/MySQL", json=self.MYSQL)
        put = self.requests.put(OBJS + "/MySQL", json={"name": "MariaDB"})
        self.requests.get(OBJS + "/MariaDB", json=dict(self.MYSQL, name="MariaDB"))
        code, out, err = self.run_glance(
            "md-object-update", v2base.CPU, "MySQL", "--name", "MariaDB"
        )
        self.assertEqual(0, code, err)
        self.assertEqual("MariaDB", put.last_request.json()["name"])
        self.assertEqual("MariaDB", dict(tables.table(out)[1:])["name"])

    def test_show(self):
        self.requests.get(OBJS + "/MySQL", json=self.MYSQL)
        code, out, _ = self.run_glance("md-object-show", v2base.CPU, "MySQL")
        self.assertEqual(0, code)
        shown = dict(tables.table(out)[1:])
        self.assertEqual('["version", "port"]', shown["properties"])
        self.assertEqual("[]", shown["required"])

    def test_property_show(self):
        self.requests.get(OBJS + "/MySQL", json=self.MYSQL)
        code, out, _ = self.run_glance("md-object-property-show", v2base.CPU, "MySQL", "port")
        self.assertEqual(0, code)
        self.assertEqual(
            [["Property", "Value"], ["name", "port"], ["title", "Port"], ["type", "integer"]],
            tables.table(out),
        )

    def test_property_show_unknown(self):
        self.requests.get(OBJS + "/MySQL", json=self.MYSQL)
        self.expect_error(
            ["md-object-property-show", v2base.CPU, "MySQL", "nope"],
            "Property nope not found in object MySQL.",
        )

    def test_list_wraps_descriptions(self):
        long = "word " * 30
        self.requests.get(
            OBJS, json={"objects": [{"name": "a", "description": long}, {"name": "b"}]}
        )
        code, out, _ = self.run_glance("md-object-list", v2base.CPU)
        self.assertEqual(0, code)
        rows = tables.table(out)
        self.assertEqual(["name", "description"], rows[0])
        self.assertEqual("a", rows[1][0])
        self.assertEqual(["", ""], [r[0] for r in rows[2:4]])
        self.assertTrue(all(len(r[1]) <= 50 for r in rows[1:]))
        self.assertEqual(long.split(), " ".join(r[1] for r in rows[1:-1]).split())
        self.assertEqual(["b", ""], rows[-1])

    def test_deletes(self):
        one = self.requests.delete(OBJS + "/o", status_code=204)
        every = self.requests.delete(OBJS, status_code=204)
        self.assertEqual(0, self.run_glance("md-object-delete", v2base.CPU, "o")[0])
        self.assertEqual(0, self.run_glance("md-namespace-objects-delete", v2base.CPU)[0])
        self.assertTrue(one.called_once and every.called_once)


class TagCommandsTest(cbase.CommandTest):
    def test_create(self):
        self.mock_schema("metadefs/tag")
        post = self.requests.post(
            TAGS + "/fast", status_code=201, json={"name": "fast", "created_at": "t"}
        )
        code, out, _ = self.run_glance("md-tag-create", v2base.CPU, "--name", " fast ")
        self.assertEqual(0, code)
        self.assertTrue(post.called_once)
        self.assertEqual(
            [["Property", "Value"], ["created_at", "t"], ["name", "fast"]], tables.table(out)
        )

    def test_create_blank(self):
        self.expect_error(
            ["md-tag-create", v2base.CPU, "--name", "  "],
            "Please supply at least one non-blank tag name.",
        )
        self.assertEqual([], self.requests.request_history)

    def test_create_duplicate(self):
        self.mock_schema("metadefs/tag")
        self.json_error(
            "POST", TAGS + "/fast", 409, "Conflict", "A metadata tag with name=fast already exists"
        )
        code, _, err = self.run_glance("md-tag-create", v2base.CPU, "--name", "fast")
        self.assertEqual(1, code)
        self.assertIn("HTTP 409 Conflict: A metadata tag with name=fast already exists", err)

    def test_create_multiple(self):
        self.mock_schema("metadefs/tag")
        post = self.requests.post(
            TAGS, status_code=201, json={"tags": [{"name": "a"}, {"name": "b"}]}
        )
        code, out, _ = self.run_glance(
            "md-tag-create-multiple", v2base.CPU, "--names", "a; b;", "--delim", ";", "--append"
        )
        self.assertEqual(0, code)
        self.assertEqual({"tags": [{"name": "a"}, {"name": "b"}]}, post.last_request.json())
        self.assertEqual("True", post.last_request.headers["X-Openstack-Append"])
        self.assertEqual([["name"], ["a"], ["b"]], tables.table(out))

    def test_create_multiple_blank(self):
        self.expect_error(
            ["md-tag-create-multiple", v2base.CPU, "--names", " , "],
            "Please supply at least one tag name. For example: --names Tag1",
        )

    def test_update(self):
        self.mock_schema("metadefs/tag")
        self.requests.get(TAGS + "/a", json={"name": "a"})
        put = self.requests.put(TAGS + "/a", json={"name": "b"})
        self.requests.get(TAGS + "/b", json={"name": "b"})
        code, out, _ = self.run_glance("md-tag-update", v2base.CPU, "a", "--name", "b")
        self.assertEqual(0, code)
        self.assertEqual({"name": "b"}, put.last_request.json())
        self.assertEqual([["Property", "Value"], ["name", "b"]], tables.table(out))

    def test_show_list_deletes(self):
        self.requests.get(TAGS + "/a", json={"name": "a", "created_at": "t"})
        self.requests.get(TAGS, json={"tags": [{"name": "a"}, {"name": "b"}]})
        one = self.requests.delete(TAGS + "/a", status_code=204)
        every = self.requests.delete(TAGS, status_code=204)
        self.assertEqual(
            [["Property", "Value"], ["created_at", "t"], ["name", "a"]],
            tables.table(self.run_glance("md-tag-show", v2base.CPU, "a")[1]),
        )
        self.assertEqual(
            [["name"], ["a"], ["b"]], tables.table(self.run_glance("md-tag-list", v2base.CPU)[1])
        )
        self.assertEqual(0, self.run_glance("md-tag-delete", v2base.CPU, "a")[0])
        self.assertEqual(0, self.run_glance("md-namespace-tags-delete", v2base.CPU)[0])
        self.assertTrue(one.called_once and every.called_once)

    def test_show_unknown(self):
        self.json_error("GET", TAGS + "/nope", 404, "Not Found", "Could not find metadata tag nope")
        code, _, err = self.run_glance("md-tag-show", v2base.CPU, "nope")
        self.assertEqual(1, code)
        self.assertIn("Could not find metadata tag nope", err)
