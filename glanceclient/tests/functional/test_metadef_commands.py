"""The ``glance md-*`` commands on a real Glance holding its standard
definitions (``glance-manage db load_metadefs``)."""

from __future__ import annotations

import uuid

import fixtures

from glanceclient.tests import tables
from glanceclient.tests.functional import base


class CommandsTest(base.MetadefsTest):
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
            self.ok("md-namespace-show", base.LIBVIRT, "--resource-type", "OS::Nova::Flavor")
        )
        self.assertIn('"hw:boot_menu"', shown["properties"])
        shown = tables.properties(self.ok("md-object-show", base.DBMS, "MySQL"))
        self.assertIn('"sw_database_mysql_version"', shown["properties"])
        shown = tables.properties(
            self.ok("md-object-property-show", base.DBMS, "MySQL", "sw_database_mysql_version")
        )
        self.assertEqual(("sw_database_mysql_version", "Version"), (shown["name"], shown["title"]))
        listed = tables.table(self.ok("md-object-list", base.DBMS))
        self.assertTrue(all(len(r[1]) <= 50 for r in listed))
        self.assertIn("MySQL", [r[0] for r in listed])
        self.assertEqual(
            [
                ["name", "title", "type"],
                ["cpu_policy", "CPU Pinning policy", "string"],
                ["cpu_thread_policy", "CPU Thread Pinning Policy.", "string"],
            ],
            sorted(
                tables.table(self.ok("md-property-list", base.CPU)),
                key=lambda r: r != ["name", "title", "type"],
            ),
        )
        types = tables.table(self.ok("md-namespace-resource-type-list", base.CPU))
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
        original = self.sdk().metadefs_namespace.get(base.LIBVIRT)
        self.assertEqual(sorted(original.properties), sorted(imported.properties))
        self.assertEqual(
            [(a["name"], a.get("prefix")) for a in original.resource_type_associations],
            [(a["name"], a.get("prefix")) for a in imported.resource_type_associations],
        )

    def test_bad_input_changes_nothing(self) -> None:
        self.assert_fails_with(
            self.run_here("md-namespace-delete", base.CPU),
            "glance: error: HTTP 403 Forbidden",
            "is protected and cannot be deleted",
        )
        self.assertIn(base.CPU, self.server_namespaces())
        self.assert_fails_with(
            self.run_here("md-namespace-update", "nope-" + uuid.uuid4().hex, "--description", "x"),
            "glance: error: HTTP 404",
            "",
        )
        self.assert_fails_with(
            self.run_here("md-namespace-create", base.CPU), "glance: error: HTTP 409 Conflict", ""
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
