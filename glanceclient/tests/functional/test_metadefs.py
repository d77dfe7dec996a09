"""Metadata definitions and tasks on a real Glance holding its standard
definitions (``glance-manage db load_metadefs``): the SDK, horizon's calls
replayed, and the ``glance md-*`` and ``task-*`` commands."""

from __future__ import annotations

import collections.abc
import io
import typing as ty
import uuid

import fixtures

from glanceclient import exc
from glanceclient import shell
from glanceclient.tests import tables
from glanceclient.tests.functional import base

CPU = "OS::Compute::CPUPinning"
LIBVIRT = "OS::Compute::Libvirt"
DBMS = "OS::Software::DBMS"


class MetadefsTest(base.FunctionalTest):
    cluster_shape: ty.ClassVar[dict[str, ty.Any]] = {
        "nodes": 1,
        "sqlite_node": False,
        "nocache_node": False,
        "metadefs": True,
    }

    def new_name(self, prefix: str = "fn") -> str:
        return "%s-%s" % (prefix, uuid.uuid4().hex[:8])

    def new_namespace(self, **fields: ty.Any) -> str:
        """A namespace of this test's, deleted at its end."""
        name = self.new_name()
        self.sdk().metadefs_namespace.create(namespace=name, **fields)
        self.addCleanup(self.forget, name)
        return name

    def forget(self, name: str) -> None:
        try:
            self.sdk().metadefs_namespace.delete(name)
        except exc.HTTPNotFound:
            pass

    def server_namespaces(self, query: str = "") -> list[str]:
        """Every namespace the server lists, read without the client."""
        body = self.cluster.request("GET", "/v2/metadefs/namespaces?limit=1000" + query).json()
        return [n["namespace"] for n in body["namespaces"]]

    def glance_reading(self, text: str, *argv: str) -> base.Result:
        """``glance`` with ``text`` on its standard input."""
        import tempfile

        with tempfile.TemporaryFile("w+") as stdin:
            stdin.write(text)
            stdin.seek(0)
            return self.glance(*argv, stdin=stdin)

    def run_here(self, *argv: str) -> base.Result:
        """The real ``glance`` main() in this process, against the cluster.

        Most commands run so: an interpreter start per command would
        make this module several times slower. The console script itself
        runs in the namespace and import tests (``ok(..., process=True)``).
        """
        out, err = io.StringIO(), io.StringIO()
        cache = self.useFixture(fixtures.TempDir()).path
        self.useFixture(fixtures.EnvironmentVariable("XDG_CACHE_HOME", cache))
        self.useFixture(fixtures.MonkeyPatch("sys.stdout", out))
        self.useFixture(fixtures.MonkeyPatch("sys.stderr", err))
        try:
            status = shell.main(
                ["--os-image-url", self.cluster.url, "--os-auth-token", self.cluster.admin_token]
                + list(argv)
            )
        except SystemExit as e:  # argparse's own exits
            status = e.code if isinstance(e.code, int) else 1
        return base.Result(status, out.getvalue(), err.getvalue())

    def ok(self, *argv: str, stdin: str | None = None, process: bool = False) -> str:
        if stdin is not None:
            result = self.glance_reading(stdin, *argv)
        elif process:
            result = self.glance(*argv)
        else:
            result = self.run_here(*argv)
        self.assertEqual(0, result.status, str(result))
        self.assertEqual("", result.err)
        return result.out


class SdkTest(MetadefsTest):
    def test_list_pages_filters_and_limit(self) -> None:
        gc = self.sdk()
        everything = self.server_namespaces()
        self.assertGreaterEqual(len(everything), 30)  # the standard definitions
        listing = gc.metadefs_namespace.list(page_size=7)
        self.assertEqual(everything, [n.namespace for n in listing])
        self.assertEqual(-(-len(everything) // 7), len(listing.request_ids))
        self.assertEqual(
            everything[:9], [n.namespace for n in gc.metadefs_namespace.list(page_size=4, limit=9)]
        )
        images = list(gc.metadefs_namespace.list(filters={"resource_types": ["OS::Glance::Image"]}))
        self.assertEqual(
            self.server_namespaces("&resource_types=OS::Glance::Image"),
            [n.namespace for n in images],
        )
        for n in images:
            self.assertIn("OS::Glance::Image", [a["name"] for a in n.resource_type_associations])
        both = gc.metadefs_namespace.list(
            filters={"resource_types": ["OS::Glance::Image", "OS::Nova::Flavor"]}
        )
        self.assertLess(len(images), len(list(both)))
        by_name = [
            n.namespace for n in gc.metadefs_namespace.list(sort_key="namespace", sort_dir="asc")
        ]
        self.assertEqual(sorted(everything), by_name)

    def test_show_with_a_resource_type_prefix(self) -> None:
        gc = self.sdk()
        plain = gc.metadefs_namespace.get(LIBVIRT, resource_type=None)
        flavor = gc.metadefs_namespace.get(LIBVIRT, resource_type="OS::Nova::Flavor")
        self.assertIn("boot_menu", plain.properties)
        self.assertIn("hw:boot_menu", flavor.properties)
        self.assertTrue(plain.request_ids[0])

    def test_contents_of_the_standard_definitions(self) -> None:
        gc = self.sdk()
        self.assertEqual(
            ["cpu_policy", "cpu_thread_policy"],
            sorted(p.name for p in gc.metadefs_property.list(CPU)),
        )
        self.assertEqual(["shared", "dedicated"], gc.metadefs_property.get(CPU, "cpu_policy").enum)
        mysql = gc.metadefs_object.get(DBMS, "MySQL")
        self.assertIn("sw_database_mysql_version", mysql.properties)
        self.assertIn("MySQL", [o.name for o in gc.metadefs_object.list(DBMS)])
        types = [t.name for t in gc.metadefs_resource_type.list()]
        self.assertIn("OS::Nova::Flavor", types)
        associations = {a.name: a for a in gc.metadefs_resource_type.get(CPU)}
        self.assertEqual("hw:", associations["OS::Nova::Flavor"].prefix)

    def test_every_kind_through_the_sdk(self) -> None:
        gc = self.sdk()
        name = self.new_namespace(description="d")
        gc.metadefs_property.create(name, name="p", title="P", type="string")
        renamed = gc.metadefs_property.update(name, "p", name="q", enum=["1", "2"])
        self.assertEqual(("q", ["1", "2"], "P"), (renamed.name, renamed.enum, renamed.title))
        gc.metadefs_object.create(
            name, name="o", properties={"x": {"title": "X", "type": "integer"}}
        )
        self.assertEqual("o2", gc.metadefs_object.update(name, "o", name="o2").name)
        made = gc.metadefs_tag.create_multiple(name, tags=["a", "b"])
        self.assertEqual(["a", "b"], sorted(t.name for t in made))
        gc.metadefs_tag.create(name, "c d")
        self.assertEqual("e", gc.metadefs_tag.update(name, "c d", name="e").name)
        self.assertEqual(["a", "b", "e"], sorted(t.name for t in gc.metadefs_tag.list(name)))
        whole = gc.metadefs_namespace.get(name)
        self.assertEqual(["q"], list(whole.properties))
        self.assertEqual(["o2"], [o["name"] for o in whole.objects])
        # A rename keeps the namespace's fields and contents.
        new = self.new_name()
        self.addCleanup(self.forget, new)
        updated = gc.metadefs_namespace.update(name, namespace=new, visibility="public")
        self.assertEqual(
            (new, "public", "d"), (updated.namespace, updated.visibility, updated.description)
        )
        self.assertEqual(["q"], list(updated.properties))
        for controller in (gc.metadefs_property, gc.metadefs_object, gc.metadefs_tag):
            controller.delete_all(new)
            self.assertEqual([], list(controller.list(new)))
        gc.metadefs_namespace.delete(new)
        self.assertRaises(exc.HTTPNotFound, gc.metadefs_namespace.get, new)

    def test_protected_namespace_stays(self) -> None:
        self.assertRaises(exc.HTTPForbidden, self.sdk().metadefs_namespace.delete, CPU)
        self.assertIn(CPU, self.server_namespaces())


class HorizonTest(MetadefsTest):
    """openstack_dashboard/api/glance.py's metadefs calls, replayed."""

    def horizon_client(self) -> ty.Any:
        from glanceclient.v2 import client

        return client.Client(
            self.cluster.url, token=self.cluster.admin_token, insecure=False, cacert=None
        )

    def test_namespace_calls(self) -> None:
        gc = self.horizon_client()
        # metadefs_namespace_get(request, namespace, resource_type=None)
        namespace = gc.metadefs_namespace.get(CPU, resource_type=None)
        self.assertEqual(CPU, namespace.namespace)
        self.assertIsNotNone(namespace.get("resource_type_associations"))
        self.assertRaises(AttributeError, getattr, namespace, "no_such_field")
        self.assertIsInstance(namespace, collections.abc.Iterable)
        self.assertEqual(dict(namespace.items()), {k: namespace[k] for k in namespace})
        # metadefs_namespace_list: a page of namespaces, then the next one.
        filters = {"resource_types": ["OS::Nova::Flavor"]}
        first = list(
            gc.metadefs_namespace.list(
                page_size=4, limit=4, filters=filters, sort_dir="asc", sort_key="namespace"
            )
        )
        rest = list(
            gc.metadefs_namespace.list(
                page_size=4,
                limit=4,
                filters=filters,
                marker=first[-1].namespace,
                sort_dir="asc",
                sort_key="namespace",
            )
        )
        flavor = sorted(self.server_namespaces("&resource_types=OS::Nova::Flavor"))
        self.assertEqual(flavor[:8], [n.namespace for n in first + rest])
        # properties_target narrows a resource type's namespaces.
        volume = list(
            gc.metadefs_namespace.list(
                filters={"resource_types": ["OS::Cinder::Volume"], "properties_target": "image"}
            )
        )
        self.assertTrue(volume)
        # create, update, delete
        name = self.new_name("horizon")
        self.addCleanup(self.forget, name)
        created = gc.metadefs_namespace.create(
            namespace=name, display_name="H", visibility="private", protected=False
        )
        created.description = "set by horizon"
        self.assertEqual("set by horizon", created.description)
        updated = gc.metadefs_namespace.update(name, display_name="H2", description="x")
        self.assertEqual(("H2", "x"), (updated.display_name, updated.description))
        self.assertEqual(updated, gc.metadefs_namespace.get(name))
        gc.metadefs_namespace.delete(name)
        self.assertNotIn(name, self.server_namespaces())

    def test_resource_type_calls(self) -> None:
        gc = self.horizon_client()
        self.assertIn("OS::Glance::Image", [t.name for t in gc.metadefs_resource_type.list()])
        name = self.new_namespace()
        gc.metadefs_resource_type.associate(name, name="OS::Glance::Image", prefix="h_")
        associated = list(gc.metadefs_resource_type.get(name))
        self.assertEqual([("OS::Glance::Image", "h_")], [(a.name, a.prefix) for a in associated])
        gc.metadefs_resource_type.deassociate(name, "OS::Glance::Image")
        self.assertEqual([], list(gc.metadefs_resource_type.get(name)))


class CommandsTest(MetadefsTest):
    def test_namespace_commands(self) -> None:
        name, new = self.new_name(), self.new_name()
        self.addCleanup(self.forget, name)
        self.addCleanup(self.forget, new)
        shown = tables.properties(
            self.ok(
                "md-namespace-create",
                name,
                "--description",
                "made by glance",
                "--protected",
                "False",
                "--resource-type-associations",
                "OS::Glance::Image",
                process=True,
            )
        )
        self.assertEqual(("made by glance", "False"), (shown["description"], shown["protected"]))
        self.assertEqual('["OS::Glance::Image"]', shown["resource_type_associations"])
        listed = [
            r[0]
            for r in tables.table(
                self.ok(
                    "md-namespace-list",
                    "--resource-types",
                    "OS::Glance::Image",
                    "--page-size",
                    "3",
                    process=True,
                )
            )
        ]
        self.assertEqual(
            ["namespace", *self.server_namespaces("&resource_types=OS::Glance::Image")], listed
        )
        self.assertIn(name, listed)
        self.assertNotIn(
            name,
            [
                r[0]
                for r in tables.table(
                    self.ok("md-namespace-list", "--visibility", "public", process=True)
                )
            ],
        )
        shown = tables.properties(
            self.ok(
                "md-namespace-update",
                name,
                "--namespace",
                new,
                "--visibility",
                "public",
                process=True,
            )
        )
        self.assertEqual(
            (new, "public", "made by glance"),
            (shown["namespace"], shown["visibility"], shown["description"]),
        )
        shown = tables.properties(self.ok("md-namespace-show", new, process=True))
        self.assertEqual('["OS::Glance::Image"]', shown["resource_type_associations"])
        self.assertEqual("", self.ok("md-namespace-delete", new, process=True))
        self.assert_fails_with(
            self.glance("md-namespace-show", new), "glance: error: HTTP 404", "was not found"
        )

    def test_show_of_the_standard_definitions(self) -> None:
        shown = tables.properties(
            self.ok("md-namespace-show", LIBVIRT, "--resource-type", "OS::Nova::Flavor")
        )
        self.assertIn('"hw:boot_menu"', shown["properties"])
        shown = tables.properties(self.ok("md-object-show", DBMS, "MySQL"))
        self.assertIn('"sw_database_mysql_version"', shown["properties"])
        shown = tables.properties(
            self.ok("md-object-property-show", DBMS, "MySQL", "sw_database_mysql_version")
        )
        self.assertEqual(("sw_database_mysql_version", "Version"), (shown["name"], shown["title"]))
        listed = tables.table(self.ok("md-object-list", DBMS))
        self.assertTrue(all(len(r[1]) <= 50 for r in listed))
        self.assertIn("MySQL", [r[0] for r in listed])
        self.assertEqual(
            [
                ["name", "title", "type"],
                ["cpu_policy", "CPU Pinning policy", "string"],
                ["cpu_thread_policy", "CPU Thread Pinning Policy.", "string"],
            ],
            sorted(
                tables.table(self.ok("md-property-list", CPU)),
                key=lambda r: r != ["name", "title", "type"],
            ),
        )
        types = tables.table(self.ok("md-namespace-resource-type-list", CPU))
        self.assertIn(["OS::Nova::Flavor", "hw:", ""], types)
        self.assertIn(["OS::Glance::Image"], tables.table(self.ok("md-resource-type-list")))

    def test_resource_type_commands(self) -> None:
        name = self.new_namespace()
        shown = tables.properties(
            self.ok(
                "md-resource-type-associate",
                name,
                "--name",
                "OS::Cinder::Volume",
                "--prefix",
                "c_",
                "--properties-target",
                "image",
            )
        )
        self.assertEqual(
            ("OS::Cinder::Volume", "c_", "image"),
            (shown["name"], shown["prefix"], shown["properties_target"]),
        )
        self.assertEqual(
            [["name", "prefix", "properties_target"], ["OS::Cinder::Volume", "c_", "image"]],
            tables.table(self.ok("md-namespace-resource-type-list", name)),
        )
        self.assertEqual("", self.ok("md-resource-type-deassociate", name, "OS::Cinder::Volume"))
        self.assert_fails_with(
            self.run_here("md-resource-type-deassociate", name, "OS::Cinder::Volume"),
            "glance: error: HTTP 404",
            "",
        )
        self.assertEqual(
            [["name", "prefix", "properties_target"]],
            tables.table(self.ok("md-namespace-resource-type-list", name)),
        )

    def test_property_commands(self) -> None:
        name = self.new_namespace()
        shown = tables.properties(
            self.ok(
                "md-property-create",
                name,
                "--name",
                "p",
                "--title",
                "P",
                "--type",
                "string",
                "--schema",
                '{"enum": ["a", "b"]}',
            )
        )
        self.assertEqual('["a", "b"]', shown["enum"])
        self.assert_fails_with(
            self.run_here(
                "md-property-create",
                name,
                "--name",
                "p",
                "--title",
                "P",
                "--type",
                "string",
                "--schema",
                "{}",
            ),
            "glance: error: HTTP 409 Conflict",
            "",
        )
        self.assert_fails_with(
            self.run_here(
                "md-property-create",
                name,
                "--name",
                "r",
                "--title",
                "R",
                "--type",
                "string",
                "--schema",
                "{x",
            ),
            "glance: error: --schema is not valid JSON",
            "",
        )
        shown = tables.properties(
            self.ok("md-property-update", name, "p", "--name", "q", "--title", "Q")
        )
        self.assertEqual(("q", "Q", '["a", "b"]'), (shown["name"], shown["title"], shown["enum"]))
        self.assertEqual("Q", tables.properties(self.ok("md-property-show", name, "q"))["title"])
        self.assertEqual(
            [["name", "title", "type"], ["q", "Q", "string"]],
            tables.table(self.ok("md-property-list", name)),
        )
        self.ok("md-property-delete", name, "q")
        self.assert_fails_with(
            self.run_here("md-property-show", name, "q"), "glance: error: HTTP 404", "q"
        )
        self.ok(
            "md-property-create",
            name,
            "--name",
            "z",
            "--title",
            "Z",
            "--type",
            "integer",
            "--schema",
            "{}",
        )
        self.ok("md-namespace-properties-delete", name)
        self.assertEqual(
            [["name", "title", "type"]], tables.table(self.ok("md-property-list", name))
        )

    def test_object_commands(self) -> None:
        name = self.new_namespace()
        schema = (
            '{"description": "An object.", "properties": {"x": {"title": "X", "type": "integer"}}}'
        )
        shown = tables.properties(
            self.ok("md-object-create", name, "--name", "o", "--schema", schema)
        )
        self.assertEqual(("o", '["x"]'), (shown["name"], shown["properties"]))
        shown = tables.properties(
            self.ok(
                "md-object-update",
                name,
                "o",
                "--name",
                "o2",
                "--schema",
                '{"description": "Renamed."}',
            )
        )
        self.assertEqual(("o2", "Renamed."), (shown["name"], shown["description"]))
        self.assertEqual(
            "X", tables.properties(self.ok("md-object-property-show", name, "o2", "x"))["title"]
        )
        self.assert_fails_with(
            self.run_here("md-object-property-show", name, "o2", "y"),
            "glance: error: ",
            "Property y not found in object o2.",
        )
        self.assertEqual(
            [["name", "description"], ["o2", "Renamed."]],
            tables.table(self.ok("md-object-list", name)),
        )
        self.ok("md-object-delete", name, "o2")
        self.assert_fails_with(
            self.run_here("md-object-show", name, "o2"), "glance: error: HTTP 404", ""
        )
        self.ok("md-object-create", name, "--name", "o3", "--schema", "{}")
        self.ok("md-namespace-objects-delete", name)
        self.assertEqual([["name", "description"]], tables.table(self.ok("md-object-list", name)))

    def test_tag_commands(self) -> None:
        name = self.new_namespace()
        self.assertEqual(
            "t", tables.properties(self.ok("md-tag-create", name, "--name", "t"))["name"]
        )
        self.assert_fails_with(
            self.run_here("md-tag-create", name, "--name", "t"), "glance: error: HTTP 409", ""
        )
        self.assertEqual(
            [["name"], ["a"], ["b"]],
            tables.table(
                self.ok(
                    "md-tag-create-multiple", name, "--names", "a|b", "--delim", "|", "--append"
                )
            ),
        )
        self.assertEqual(
            ["a", "b", "t"], sorted(r[0] for r in tables.table(self.ok("md-tag-list", name))[1:])
        )
        self.assertEqual(
            "u", tables.properties(self.ok("md-tag-update", name, "t", "--name", "u"))["name"]
        )
        self.assertEqual("u", tables.properties(self.ok("md-tag-show", name, "u"))["name"])
        self.ok("md-tag-delete", name, "u")
        self.assert_fails_with(
            self.run_here("md-tag-show", name, "u"), "glance: error: HTTP 404", ""
        )
        # Without --append the new tags replace the old ones.
        self.ok("md-tag-create-multiple", name, "--names", "c")
        self.assertEqual([["name"], ["c"]], tables.table(self.ok("md-tag-list", name)))
        self.ok("md-namespace-tags-delete", name)
        self.assertEqual([["name"]], tables.table(self.ok("md-tag-list", name)))

    def test_import(self) -> None:
        name = self.new_name()
        self.addCleanup(self.forget, name)
        document = (
            '{"namespace": "%s", "display_name": "Imported", '
            '"properties": {"speed": {"title": "Speed", "type": "integer"}}, '
            '"objects": [{"name": "box"}], "tags": [{"name": "t1"}]}' % name
        )
        shown = tables.properties(self.ok("md-namespace-import", stdin=document))
        self.assertEqual(
            ('["speed"]', '["box"]', '["t1"]'),
            (shown["properties"], shown["objects"], shown["tags"]),
        )
        self.assertEqual("Imported", self.sdk().metadefs_namespace.get(name).display_name)
        again = self.glance_reading(document, "md-namespace-import")
        self.assert_fails_with(again, "glance: error: HTTP 409 Conflict", "")
        self.assert_fails_with(
            self.glance_reading("{not json", "md-namespace-import"),
            "glance: error: ",
            "is not valid JSON",
        )

    def test_import_a_standard_definition_file(self) -> None:
        """One of the files glance itself loads, under another name."""
        import json
        import os

        from glanceclient.tests.functional import servers_venv

        source = servers_venv.venv_dir() / "etc" / "glance" / "metadefs" / "compute-libvirt.json"
        document = json.loads(source.read_text())
        name = document["namespace"] = self.new_name("libvirt")
        document["protected"] = False  # so that the test can delete it
        self.addCleanup(self.forget, name)
        path = os.path.join(self.useFixture(fixtures.TempDir()).path, "ns.json")
        with open(path, "w") as f:
            json.dump(document, f)
        shown = tables.properties(self.ok("md-namespace-import", "--file", path))
        self.assertEqual(name, shown["namespace"])
        imported = self.sdk().metadefs_namespace.get(name)
        original = self.sdk().metadefs_namespace.get(LIBVIRT)
        self.assertEqual(sorted(original.properties), sorted(imported.properties))
        self.assertEqual(
            [(a["name"], a.get("prefix")) for a in original.resource_type_associations],
            [(a["name"], a.get("prefix")) for a in imported.resource_type_associations],
        )

    def test_bad_input_changes_nothing(self) -> None:
        self.assert_fails_with(
            self.run_here("md-namespace-delete", CPU),
            "glance: error: HTTP 403 Forbidden",
            "is protected and cannot be deleted",
        )
        self.assertIn(CPU, self.server_namespaces())
        self.assert_fails_with(
            self.run_here("md-namespace-update", "nope-" + uuid.uuid4().hex, "--description", "x"),
            "glance: error: HTTP 404",
            "",
        )
        self.assert_fails_with(
            self.run_here("md-namespace-create", CPU), "glance: error: HTTP 409 Conflict", ""
        )
        refused = self.new_name()
        self.assert_fails_with(
            self.run_here("md-namespace-create", refused, "--visibility", "everyone"),
            "glance: error: Unable to set 'visibility'",
            "",
        )
        self.assertNotIn(refused, self.server_namespaces())
        self.assert_fails_with(
            self.run_here("md-tag-list", "nope-" + uuid.uuid4().hex), "glance: error: HTTP 404", ""
        )


class TasksTest(MetadefsTest):
    def test_glance_direct_import_task(self) -> None:
        request = self.cluster.request
        image = request(
            "POST",
            "/v2/images",
            json_body={
                "name": self.new_name("task"),
                "disk_format": "raw",
                "container_format": "bare",
            },
        ).json()
        self.addCleanup(self.cluster.delete_image, image["id"])
        request(
            "PUT",
            "/v2/images/%s/stage" % image["id"],
            data=b"staged data",
            headers={"Content-Type": "application/octet-stream"},
        )
        request(
            "POST",
            "/v2/images/%s/import" % image["id"],
            json_body={"method": {"name": "glance-direct"}},
        )
        self.cluster.wait_for(
            lambda: request("GET", "/v2/images/%s" % image["id"]).json()["status"] == "active",
            message="the import did not finish",
        )
        tasks = self.sdk().images.get_associated_image_tasks(image["id"])["tasks"]
        task_id = tasks[0]["id"]
        listed = tables.table(
            self.ok(
                "task-list",
                "--status",
                "success",
                "--sort-key",
                "id",
                "--page-size",
                "2",
                process=True,
            )
        )
        self.assertEqual(["ID", "Type", "Status", "Owner"], listed[0])
        self.assertIn(task_id, [r[0] for r in listed[1:]])
        self.assertEqual({"api_image_import"}, {r[1] for r in listed[1:]})
        shown = tables.properties(self.ok("task-show", task_id, process=True))
        self.assertEqual(
            (task_id, "api_image_import", "success"), (shown["id"], shown["type"], shown["status"])
        )
        self.assertIn(image["id"], shown["input"])
        self.assertNotIn("self", shown)
        found = self.sdk().tasks.get(task_id)
        self.assertEqual(image["id"], found.input["image_id"])
        self.assertIn(task_id, [t.id for t in self.sdk().tasks.list(filters={"status": "success"})])
        self.assert_fails_with(
            self.run_here("task-show", str(uuid.uuid4())), "glance: error: HTTP 404", ""
        )

    def test_task_create(self) -> None:
        before = [t.id for t in self.sdk().tasks.list()]
        self.assert_fails_with(
            self.run_here("task-create", "--type", "bake", "--input", "{}"),
            "glance: error: Unable to set 'type' to 'bake'",
            "",
        )
        self.assert_fails_with(
            self.run_here("task-create", "--type", "import", "--input", "{nope"),
            "glance: error: --input is not valid JSON",
            "",
        )
        self.assertEqual(before, [t.id for t in self.sdk().tasks.list()])
        # A legacy import task (it fails later: nothing answers there).
        legacy = '{"import_from": "http://127.0.0.1:1/x", "import_from_format": "raw"}'
        made = tables.properties(self.ok("task-create", "--type", "import", "--input", legacy))
        self.assertEqual(("import", legacy), (made["type"], made["input"]))
        self.assertIn(made["status"], ("pending", "processing", "failure"))
        self.assertEqual(made["id"], tables.properties(self.ok("task-show", made["id"]))["id"])
