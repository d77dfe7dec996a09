"""Hostile metadefs answers from a server on 127.0.0.1 (values that are
not objects, names that are not strings, lists that are not lists): only
client errors, through the SDK and ``glance`` alike."""

from __future__ import annotations

import glanceclient
from glanceclient import exc
from glanceclient.tests.fakeglance import routes as fakeglance
from glanceclient.tests.unit import base

NS = "/v2/metadefs/namespaces/ns"

#: Answers that are well-formed JSON of the wrong shapes.
HOSTILE = (
    {"namespace": "ns", "properties": {"p": 5}, "objects": [5], "tags": [5]},
    {"namespace": "ns", "properties": [1, 2], "objects": {"o": 1}, "tags": "t"},
    {"namespace": 5, "properties": "x", "objects": [{"name": 5, "properties": [1]}]},
    {"namespace": ["ns"], "resource_type_associations": 5, "tags": [{"name": None}]},
    {"properties": {"p": None}, "objects": [{"properties": {"q": "x"}}], "name": {"a": 1}},
    {"properties": {"p": ["x"]}, "objects": [], "resource_type_associations": [5, "x"]},
    {"tags": {"t": 1}, "objects": None, "properties": None, "name": ".."},
    {"resource_types": [5, None, {"name": 5}], "required": 5, "title": {"x": 1}},
)

#: SDK calls on one namespace.
CALLS = {
    "namespace get": lambda c: c.metadefs_namespace.get("ns"),
    "namespace update": lambda c: c.metadefs_namespace.update("ns", description="d"),
    "property list": lambda c: list(c.metadefs_property.list("ns")),
    "property get": lambda c: c.metadefs_property.get("ns", "p"),
    "property update": lambda c: c.metadefs_property.update("ns", "p", title="t"),
    "object list": lambda c: list(c.metadefs_object.list("ns")),
    "object get": lambda c: c.metadefs_object.get("ns", "o"),
    "object update": lambda c: c.metadefs_object.update("ns", "o", description="d"),
    "tag list": lambda c: list(c.metadefs_tag.list("ns")),
    "tag update": lambda c: c.metadefs_tag.update("ns", "t", name="u"),
    "tags create": lambda c: list(c.metadefs_tag.create_multiple("ns", tags=["a"])),
    "resource types": lambda c: list(c.metadefs_resource_type.get("ns")),
    "resource type list": lambda c: list(c.metadefs_resource_type.list()),
}

#: glance commands on one namespace.
COMMANDS = (
    ["md-namespace-show", "ns"],
    ["md-namespace-show", "ns", "--resource-type", "OS::Nova::Server"],
    ["md-namespace-update", "ns", "--description", "d"],
    ["md-property-list", "ns"],
    ["md-property-show", "ns", "p"],
    ["md-object-list", "ns"],
    ["md-object-show", "ns", "o"],
    ["md-object-property-show", "ns", "o", "q"],
    ["md-tag-list", "ns"],
    ["md-tag-show", "ns", "t"],
    ["md-namespace-resource-type-list", "ns"],
    ["md-resource-type-list"],
)


class HostileMetadefsTest(base.ShellTestCase):
    def setUp(self):
        super().setUp()
        self.requests.stop()  # to the loopback server below
        self.routes: fakeglance.Routes = {}
        self.server = self.useFixture(fakeglance.FakeGlance(self.routes))

    def serve(self, answer: dict) -> None:
        """``answer`` to every metadefs route, and a schema that takes anything."""
        for path in (
            NS, NS + "/properties", NS + "/properties/p", NS + "/objects", NS + "/objects/o",
            NS + "/tags", NS + "/tags/t", NS + "/tags/u", NS + "/resource_types",
            "/v2/metadefs/resource_types",
        ):  # fmt: skip
            for method in ("GET", "PUT", "POST"):
                self.routes[(method, path)] = (200, answer)
        for name in ("namespace", "property", "object", "tag", "resource_type"):
            self.routes[("GET", "/v2/schemas/metadefs/" + name)] = (200, {"name": name})

    def test_sdk_raises_only_client_errors(self):
        client = glanceclient.Client("2", endpoint=self.server.url, token=base.TOKEN, timeout=5)
        problems = []
        for answer in HOSTILE:
            self.serve(answer)
            for name, call in CALLS.items():
                try:
                    call(client)
                except exc.ClientException as e:
                    self.assertEqual([exc.one_line(e)], str(e).splitlines() or [""])
                except Exception as e:  # noqa: BLE001 (what the test is about)
                    problems.append("%s on %r raised %r" % (name, answer, e))
        self.assertEqual([], problems)

    def test_glance_prints_or_fails_on_one_line(self):
        problems = []
        for answer in HOSTILE:
            self.serve(answer)
            for command in COMMANDS:
                status, out, err = self.run_glance(
                    "--os-image-url", self.server.url, "--os-auth-token", "t", "--debug",
                    *command, token_args=False,
                )  # fmt: skip
                where = "%s on %r: %s" % (command, answer, err[-600:])
                # --debug shows a traceback, whose last line is a client error.
                lines = err.splitlines()
                if (status, "Traceback" in err) == (0, False) or (
                    status == 1 and len(lines) > 1 and lines[-2].startswith("glanceclient.exc.")
                ):
                    continue
                problems.append(where)
        self.assertEqual([], problems)
