"""The ``glance md-namespace-*`` and ``md-resource-type-*`` commands: the real
main() with argv, the server answered through requests-mock."""

from __future__ import annotations

import io
import json
import os

import fixtures

from glanceclient.tests import tables
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2 import base as v2base
from glanceclient.tests.unit.v2.commands import base as cbase


class NamespaceCommandsTest(cbase.CommandTest):
    def test_create_takes_options_from_the_schema(self):
        self.mock_schema("metadefs/namespace")
        post = self.requests.post(
            v2base.NS_URL,
            status_code=201,
            json=v2base.namespace(
                "mine",
                protected=False,
                resource_type_associations=[
                    {"name": "OS::Glance::Image"},
                    {"name": "OS::Nova::Flavor", "prefix": "x:"},
                ],
            ),
        )
        code, out, err = self.run_glance(
            "md-namespace-create",
            "mine",
            "--display-name",
            "Mine",
            "--protected",
            "False",
            "--resource-type-associations",
            "OS::Glance::Image",
            '{"name": "OS::Nova::Flavor", "prefix": "x:"}',
        )
        self.assertEqual(0, code, err)
        self.assertEqual(
            {
                "namespace": "mine",
                "display_name": "Mine",
                "protected": False,
                "resource_type_associations": [
                    {"name": "OS::Glance::Image"},
                    {"name": "OS::Nova::Flavor", "prefix": "x:"},
                ],
            },
            post.last_request.json(),
        )
        rows = dict(tables.table(out)[1:])
        self.assertEqual(
            '["OS::Glance::Image", "OS::Nova::Flavor"]', rows["resource_type_associations"]
        )
        self.assertEqual("False", rows["protected"])
        # The schema fetched to validate is kept for the next parsers.
        kept = os.path.join(self.cache, "glanceclient", "namespace_schema.json")
        with open(kept) as f:
            self.assertEqual(v2base.SCHEMAS["metadefs/namespace"], json.load(f))

    def test_create_options_come_from_the_kept_schema(self):
        schema = json.loads(json.dumps(v2base.SCHEMAS["metadefs/namespace"]))
        schema["properties"]["colour"] = {"type": "string", "description": "A colour."}
        os.makedirs(os.path.join(self.cache, "glanceclient"))
        with open(os.path.join(self.cache, "glanceclient", "namespace_schema.json"), "w") as f:
            json.dump(schema, f)
        code, out, _ = self.run_glance("help", "md-namespace-create")
        self.assertEqual(0, code)
        self.assertIn("--colour <COLOUR>", out)
        self.assertIn("--display-name <DISPLAY_NAME>", out)
        self.assertNotIn("--properties", out)
        self.assertEqual([], self.requests.request_history)

    def test_create_invalid_value_changes_nothing(self):
        self.mock_schema("metadefs/namespace")
        self.expect_error(
            ["md-namespace-create", "mine", "--visibility", "everyone"],
            "Unable to set 'visibility' to 'everyone'. Reason: "
            "'everyone' is not one of ['public', 'private']",
        )
        self.assertNotIn("POST", self.methods())

    def test_create_bad_boolean_is_a_usage_error(self):
        code, _, err = self.run_glance("md-namespace-create", "mine", "--protected", "maybe")
        self.assertEqual(2, code)
        self.assertIn("'maybe' is not a boolean", err)
        self.assertEqual([], self.requests.request_history)

    def test_create_duplicate(self):
        self.mock_schema("metadefs/namespace")
        self.json_error("POST", v2base.NS_URL, 409, "Conflict", "Namespace mine already exists.")
        code, out, err = self.run_glance("md-namespace-create", "mine")
        self.assertEqual(1, code)
        self.assertIn("HTTP 409 Conflict: Namespace mine already exists.", err)
        self.assertEqual(1, len(err.splitlines()))

    def test_import_from_file(self):
        self.mock_schema("metadefs/namespace")
        post = self.requests.post(
            v2base.NS_URL,
            status_code=201,
            json=v2base.namespace("imp", properties={"a": {}, "b": {}}),
        )
        path = os.path.join(self.useFixture(fixtures.TempDir()).path, "ns.json")
        with open(path, "w") as f:
            json.dump(
                {"namespace": "imp", "properties": {"a": {"title": "A", "type": "string"}}}, f
            )
        code, out, err = self.run_glance("md-namespace-import", "--file", path)
        self.assertEqual(0, code, err)
        self.assertEqual("imp", post.last_request.json()["namespace"])
        self.assertEqual('["a", "b"]', dict(tables.table(out)[1:])["properties"])

    def test_import_from_stdin(self):
        self.mock_schema("metadefs/namespace")
        post = self.requests.post(v2base.NS_URL, status_code=201, json=v2base.namespace("imp"))
        self.useFixture(fixtures.MonkeyPatch("sys.stdin", io.StringIO('{"namespace": "imp"}')))
        code, _, err = self.run_glance("md-namespace-import")
        self.assertEqual(0, code, err)
        self.assertEqual({"namespace": "imp"}, post.last_request.json())

    def test_import_bad_input(self):
        folder = self.useFixture(fixtures.TempDir()).path
        bad = os.path.join(folder, "bad.json")
        with open(bad, "w") as f:
            f.write("{namespace: imp")
        code, _, err = self.run_glance("md-namespace-import", "--file", bad)
        self.assertEqual(1, code)
        self.assertEqual(1, len(err.splitlines()))
        self.assertIn("%s is not valid JSON" % bad, err)
        self.expect_error(
            ["md-namespace-import", "--file", os.path.join(folder, "missing.json")],
            "Unable to read %s: No such file or directory" % os.path.join(folder, "missing.json"),
        )
        self.useFixture(fixtures.MonkeyPatch("sys.stdin", io.StringIO("")))
        self.expect_error(
            ["md-namespace-import"],
            "No metadata definition namespace passed via stdin or --file argument.",
        )
        self.useFixture(fixtures.MonkeyPatch("sys.stdin", io.StringIO("[1, 2]")))
        self.expect_error(["md-namespace-import"], "the namespace on stdin must be a JSON object.")
        self.assertEqual([], self.requests.request_history)

    def test_update_renames(self):
        self.mock_schema("metadefs/namespace")
        self.requests.get(v2base.NS_URL + "/old", json=v2base.namespace("old", description="d"))
        put = self.requests.put(v2base.NS_URL + "/old", json=v2base.namespace("new"))
        self.requests.get(
            v2base.NS_URL + "/new",
            json=v2base.namespace("new", description="d", visibility="private"),
        )
        code, out, err = self.run_glance(
            "md-namespace-update", "old", "--namespace", "new", "--visibility", "private"
        )
        self.assertEqual(0, code, err)
        sent = put.last_request.json()
        self.assertEqual(
            ("new", "private", "d"), (sent["namespace"], sent["visibility"], sent["description"])
        )
        self.assertEqual("new", dict(tables.table(out)[1:])["namespace"])

    def test_update_unknown(self):
        self.json_error(
            "GET",
            v2base.NS_URL + "/nope",
            404,
            "Not Found",
            "Metadata definition namespace=nope was not found.",
        )
        code, _, err = self.run_glance("md-namespace-update", "nope", "--description", "x")
        self.assertEqual(1, code)
        self.assertIn("HTTP 404 Not Found: Metadata definition namespace=nope was not found.", err)
        self.assertEqual(["GET"], self.methods())

    def test_show_flattens_and_wraps(self):
        self.requests.get(
            v2base.CPU_URL,
            json=v2base.namespace(
                v2base.CPU,
                description="Pins the guest's vCPUs to the host's pCPUs. See "
                "http://docs.openstack.org/admin-guide/compute-numa-cpu-pinning.html",
                properties={"cpu_policy": {}, "cpu_thread_policy": {}},
                objects=[{"name": "o1"}],
                tags=[{"name": "t1"}],
                resource_type_associations=[{"name": "OS::Glance::Image", "prefix": "hw_"}],
            ),
        )
        code, out, err = self.run_glance(
            "md-namespace-show", v2base.CPU, "--max-column-width", "40"
        )
        self.assertEqual(0, code, err)
        self.assertEqual("", self.requests.last_request.query)
        rows = tables.table(out)
        self.assertEqual(["Property", "Value"], rows[0])
        shown = dict(r for r in rows[1:] if r[0])
        self.assertEqual('["cpu_policy", "cpu_thread_policy"]', shown["properties"])
        self.assertEqual('["o1"]', shown["objects"])
        self.assertEqual('["t1"]', shown["tags"])
        self.assertEqual('["OS::Glance::Image"]', shown["resource_type_associations"])
        self.assertEqual("/v2/schemas/metadefs/namespace", shown["schema"])
        self.assertNotIn("self", shown)
        # Values wrap at spaces where they can, as upstream's tables do.
        at = rows.index(["description", "Pins the guest's vCPUs to the host's"])
        self.assertEqual(
            [["", "pCPUs. See"], ["", "http://docs.openstack.org/admin-"]],
            rows[at + 1 : at + 3],
        )
        self.assertTrue(all(len(r[1]) <= 40 for r in rows[1:]))
        self.assertEqual(1, len(self.requests.request_history))

    def test_show_keeps_line_breaks(self):
        self.requests.get(
            v2base.CPU_URL, json=v2base.namespace(v2base.CPU, description="Options.  \n\nMore.")
        )
        code, out, _ = self.run_glance("md-namespace-show", v2base.CPU)
        self.assertEqual(0, code)
        rows = tables.table(out)
        at = rows.index(["description", "Options."])
        self.assertEqual([["", ""], ["", "More."]], rows[at + 1 : at + 3])

    def test_show_with_resource_type(self):
        get = self.requests.get(v2base.CPU_URL, json=v2base.namespace(v2base.CPU))
        code, _, _ = self.run_glance(
            "md-namespace-show", v2base.CPU, "--resource-type", "OS::Nova::Flavor"
        )
        self.assertEqual(0, code)
        self.assertEqual(
            v2base.CPU_URL + "?resource_type=OS%3A%3ANova%3A%3AFlavor", get.last_request.url
        )

    def test_show_unknown(self):
        self.json_error(
            "GET",
            v2base.NS_URL + "/nope",
            404,
            "Not Found",
            "Metadata definition namespace=nope was not found.",
        )
        code, out, err = self.run_glance("md-namespace-show", "nope")
        self.assertEqual(1, code)
        self.assertEqual("", out)
        self.assertTrue(
            err.startswith("glance: error: HTTP 404 Not Found: Metadata definition namespace=nope")
        )
        self.assertEqual(1, len(err.splitlines()))

    def test_show_of_a_name_that_is_no_path_segment(self):
        self.expect_error(
            ["md-namespace-show", ".."], "'..' cannot be a metadata definition name in a URL."
        )
        self.assertEqual([], self.requests.request_history)

    def test_list_pages_and_filters(self):
        self.requests.get(
            v2base.NS_URL,
            [
                {
                    "json": {
                        "namespaces": [v2base.namespace("a"), v2base.namespace("b")],
                        "next": "/v2/metadefs/namespaces?marker=b&limit=2",
                    }
                },
                {"json": {"namespaces": [v2base.namespace("c")]}},
            ],
        )
        code, out, err = self.run_glance(
            "md-namespace-list",
            "--resource-types",
            "OS::Glance::Image",
            "--resource-types",
            "OS::Nova::Flavor",
            "--visibility",
            "public",
            "--page-size",
            "2",
        )
        self.assertEqual(0, code, err)
        self.assertEqual([["namespace"], ["a"], ["b"], ["c"]], tables.table(out))
        first = self.requests.request_history[0]
        self.assertIn(
            "resource_types=OS%3A%3AGlance%3A%3AImage%2COS%3A%3ANova%3A%3AFlavor", first.url
        )
        self.assertEqual(
            {"visibility": ["public"], "limit": ["2"]},
            {k: v for k, v in first.qs.items() if k != "resource_types"},
        )
        self.assertEqual(2, len(self.requests.request_history))

    def test_delete(self):
        delete = self.requests.delete(v2base.CPU_URL, status_code=204)
        code, out, err = self.run_glance("md-namespace-delete", v2base.CPU)
        self.assertEqual((0, "", ""), (code, out, err))
        self.assertTrue(delete.called_once)

    def test_delete_protected(self):
        message = (
            "Metadata definition namespace %s is protected and cannot be deleted." % v2base.CPU
        )
        self.json_error("DELETE", v2base.CPU_URL, 403, "Forbidden", message)
        code, _, err = self.run_glance("md-namespace-delete", v2base.CPU)
        self.assertEqual(1, code)
        self.assertIn("HTTP 403 Forbidden: " + message, err)
        self.assertEqual(1, len(err.splitlines()))


class ResourceTypeCommandsTest(cbase.CommandTest):
    def test_associate(self):
        self.mock_schema("metadefs/resource_type")
        post = self.requests.post(
            v2base.CPU_URL + "/resource_types",
            status_code=201,
            json={"name": "OS::Cinder::Volume", "prefix": "c_", "properties_target": "image"},
        )
        code, out, err = self.run_glance(
            "md-resource-type-associate",
            v2base.CPU,
            "--name",
            "OS::Cinder::Volume",
            "--prefix",
            "c_",
            "--properties-target",
            "image",
        )
        self.assertEqual(0, code, err)
        self.assertEqual(
            {"name": "OS::Cinder::Volume", "prefix": "c_", "properties_target": "image"},
            post.last_request.json(),
        )
        self.assertEqual(
            [
                ["Property", "Value"],
                ["name", "OS::Cinder::Volume"],
                ["prefix", "c_"],
                ["properties_target", "image"],
            ],
            tables.table(out),
        )
        self.assertTrue(
            os.path.exists(os.path.join(self.cache, "glanceclient", "resource_type_schema.json"))
        )

    def test_associate_needs_a_name(self):
        self.expect_error(
            ["md-resource-type-associate", v2base.CPU, "--prefix", "c_"],
            "Give the resource type's --name.",
        )
        self.assertEqual([], self.requests.request_history)

    def test_deassociate(self):
        delete = self.requests.delete(
            v2base.CPU_URL + "/resource_types/OS%3A%3ANova%3A%3AFlavor", status_code=204
        )
        code, out, _ = self.run_glance(
            "md-resource-type-deassociate", v2base.CPU, "OS::Nova::Flavor"
        )
        self.assertEqual((0, ""), (code, out))
        self.assertTrue(delete.called_once)

    def test_deassociate_not_associated(self):
        self.json_error(
            "DELETE",
            v2base.CPU_URL + "/resource_types/OS%3A%3ATrove%3A%3AInstance",
            404,
            "Not Found",
            "Failed to find resource type OS::Trove::Instance.",
        )
        code, _, err = self.run_glance(
            "md-resource-type-deassociate", v2base.CPU, "OS::Trove::Instance"
        )
        self.assertEqual(1, code)
        self.assertIn("HTTP 404 Not Found: Failed to find resource type", err)

    def test_list(self):
        self.requests.get(
            base.ENDPOINT + "/v2/metadefs/resource_types",
            json={"resource_types": [{"name": "OS::Glance::Image"}, {"name": "OS::Nova::Flavor"}]},
        )
        code, out, _ = self.run_glance("md-resource-type-list")
        self.assertEqual(0, code)
        self.assertEqual([["name"], ["OS::Glance::Image"], ["OS::Nova::Flavor"]], tables.table(out))

    def test_namespace_resource_type_list(self):
        self.requests.get(
            v2base.CPU_URL + "/resource_types",
            json={
                "resource_type_associations": [
                    {"name": "OS::Glance::Image", "prefix": "hw_"},
                    {"name": "OS::Cinder::Volume", "prefix": "hw_", "properties_target": "image"},
                ]
            },
        )
        code, out, _ = self.run_glance("md-namespace-resource-type-list", v2base.CPU)
        self.assertEqual(0, code)
        self.assertEqual(
            [
                ["name", "prefix", "properties_target"],
                ["OS::Glance::Image", "hw_", ""],
                ["OS::Cinder::Volume", "hw_", "image"],
            ],
            tables.table(out),
        )
