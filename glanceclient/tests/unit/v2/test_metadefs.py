"""The metadefs namespaces and resource types, through the real keystoneauth1
Session and requests-mock: paths, bodies, headers, request counts and results.
Hostile metadefs answers from a server on 127.0.0.1 (values that are not
objects, names that are not strings, lists that are not lists): only client
errors, through the SDK and ``glance`` alike."""

from __future__ import annotations

import inspect
import threading

import glanceclient
from glanceclient import exc
from glanceclient.tests.fakeglance import routes as fakeglance
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2 import base as v2base


class NamespaceCreateTest(v2base.ControllerTestCase):
    def test_validates_then_posts(self):
        self.mock_schema("metadefs/namespace")
        self.answer("POST", v2base.NS_URL, v2base.namespace("mine", visibility="private"), 201)
        created = self.gc.metadefs_namespace.create(namespace="mine", visibility="private")
        self.assertEqual(
            {"namespace": "mine", "visibility": "private"}, self.requests.last_request.json()
        )
        self.assertEqual("mine", created.namespace)
        self.assertNotIn("self", created)
        self.assertEqual([base.REQUEST_ID], created.request_ids)
        self.assertRaises(AttributeError, getattr, created, "display_name")

    def test_invalid_value_sends_nothing(self):
        self.mock_schema("metadefs/namespace")
        post = self.answer("POST", v2base.NS_URL, {}, 201)
        e = self.assertRaises(
            exc.SchemaValidationError,
            self.gc.metadefs_namespace.create,
            namespace="x",
            visibility="bogus",
        )
        self.assertIsInstance(e, TypeError)
        self.assertIn("'visibility'", str(e))
        self.assertFalse(post.called)

    def test_conflict(self):
        self.mock_schema("metadefs/namespace")
        self.requests.post(
            v2base.NS_URL,
            status_code=409,
            text=base.error_body("409 Conflict", "Namespace mine already exists"),
            headers={"Content-Type": "application/json"},
        )
        e = self.assertRaises(exc.HTTPConflict, self.gc.metadefs_namespace.create, namespace="mine")
        self.assertIn("already exists", str(e))


class NamespaceGetTest(v2base.ControllerTestCase):
    def test_none_resource_type_is_not_sent(self):
        get = self.answer("GET", v2base.CPU_URL, v2base.namespace(v2base.CPU))
        found = self.gc.metadefs_namespace.get(v2base.CPU, resource_type=None)
        self.assertEqual(v2base.CPU, found.namespace)
        self.assertEqual("", get.last_request.query)
        self.assertEqual([base.REQUEST_ID], found.request_ids)
        self.assertEqual(1, len(self.requests.request_history))  # no schema fetched

    def test_resource_type_is_a_query(self):
        get = self.answer(
            "GET", v2base.CPU_URL, v2base.namespace(v2base.CPU, properties={"hw:cpu_policy": {}})
        )
        found = self.gc.metadefs_namespace.get(v2base.CPU, resource_type="OS::Nova::Flavor")
        self.assertEqual(
            v2base.CPU_URL + "?resource_type=OS%3A%3ANova%3A%3AFlavor", get.last_request.url
        )
        self.assertEqual(["hw:cpu_policy"], list(found.properties))

    def test_not_found(self):
        self.requests.get(
            v2base.NS_URL + "/nope",
            status_code=404,
            text=base.error_body(
                "404 Not Found", "Metadata definition namespace=nope was not found."
            ),
            headers={"Content-Type": "application/json"},
        )
        e = self.assertRaises(exc.HTTPNotFound, self.gc.metadefs_namespace.get, "nope")
        self.assertIn("nope was not found", str(e))


class NamespaceListTest(v2base.ControllerTestCase):
    def page(self, names, next_url=None):
        body = {
            "namespaces": [v2base.namespace(n) for n in names],
            "schema": "/v2/schemas/metadefs/namespaces",
        }
        if next_url:
            body["next"] = next_url
        return {"json": body, "headers": {"x-openstack-request-id": "req-" + names[0]}}

    def test_follows_next_lazily(self):
        self.requests.get(
            v2base.NS_URL,
            [
                self.page(["a", "b"], "/v2/metadefs/namespaces?marker=b"),
                self.page(["c"]),
            ],
        )
        listing = self.gc.metadefs_namespace.list(page_size=2)
        self.assertTrue(inspect.isgenerator(listing))
        self.assertEqual([], self.requests.request_history)
        self.assertEqual(["a", "b", "c"], [n.namespace for n in listing])
        first, second = self.requests.request_history
        self.assertEqual({"limit": ["2"]}, first.qs)
        self.assertEqual({"marker": ["b"], "limit": ["2"]}, second.qs)
        self.assertEqual(["req-a", "req-c"], listing.request_ids)

    def test_default_page_size_is_20(self):
        self.requests.get(v2base.NS_URL, **self.page(["a"]))
        list(self.gc.metadefs_namespace.list())
        self.assertEqual({"limit": ["20"]}, self.requests.last_request.qs)

    def test_limit_is_honoured(self):
        self.requests.get(
            v2base.NS_URL,
            [
                self.page(["a", "b"], "/v2/metadefs/namespaces?marker=b&limit=2"),
                self.page(["c", "d"], "/v2/metadefs/namespaces?marker=d&limit=2"),
            ],
        )
        found = [n.namespace for n in self.gc.metadefs_namespace.list(page_size=2, limit=3)]
        self.assertEqual(["a", "b", "c"], found)
        self.assertEqual(2, len(self.requests.request_history))
        self.assertEqual(["1"], self.requests.last_request.qs["limit"])

    def test_filters_sort_and_marker(self):
        self.requests.get(v2base.NS_URL, **self.page(["a"]))
        filters = {
            "resource_types": ["OS::Glance::Image", "OS::Nova::Flavor"],
            "visibility": "public",
        }
        list(
            self.gc.metadefs_namespace.list(
                filters=filters, sort_key="namespace", sort_dir="asc", marker="m", page_size=5
            )
        )
        self.assertEqual(
            {
                "resource_types": ["os::glance::image,os::nova::flavor"],
                "visibility": ["public"],
                "sort_key": ["namespace"],
                "sort_dir": ["asc"],
                "marker": ["m"],
                "limit": ["5"],
            },
            self.requests.last_request.qs,
        )
        # The caller's filters are left as they were.
        self.assertEqual(
            {"resource_types": ["OS::Glance::Image", "OS::Nova::Flavor"], "visibility": "public"},
            filters,
        )

    def test_bad_sort_is_refused_before_sending(self):
        for kwargs in ({"sort_key": "name"}, {"sort_dir": "up"}):
            e = self.assertRaises(ValueError, self.gc.metadefs_namespace.list, **kwargs)
            self.assertIsInstance(e, exc.InvalidArgument)
        self.assertEqual([], self.requests.request_history)

    def test_unknown_argument(self):
        self.assertRaises(TypeError, self.gc.metadefs_namespace.list, sort="namespace:asc")

    def test_malformed_page(self):
        self.requests.get(v2base.NS_URL, json={"namespaces": "nope"})
        self.assertRaises(exc.InvalidResponse, list, self.gc.metadefs_namespace.list())

    def test_listing_from_threads(self):
        """Listing fetches no schema and shares no state between calls."""
        self.requests.get(v2base.NS_URL, **self.page(["a", "b", "c"]))
        seen: list[list[str]] = []

        def read():
            seen.append([n.namespace for n in self.gc.metadefs_namespace.list()])

        threads = [threading.Thread(target=read) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([["a", "b", "c"]] * 8, seen)
        self.assertFalse([r for r in self.requests.request_history if "/schemas/" in r.path])


class NamespaceUpdateDeleteTest(v2base.ControllerTestCase):
    def test_update_puts_the_merged_fields_then_reads_the_new_name(self):
        self.mock_schema("metadefs/namespace")
        current = v2base.namespace(
            "old",
            description="d",
            display_name="Old",
            updated_at="2026-11-25T18:09:04Z",
            properties={"p": {"title": "P", "type": "string"}},
            objects=[{"name": "o"}],
            tags=[{"name": "t"}],
            resource_type_associations=[{"name": "OS::Glance::Image"}],
        )
        self.answer("GET", v2base.NS_URL + "/old", current)
        put = self.answer(
            "PUT", v2base.NS_URL + "/old", v2base.namespace("new"), request_id=base.OTHER_REQUEST_ID
        )
        reread = self.answer(
            "GET", v2base.NS_URL + "/new", v2base.namespace("new", display_name="New")
        )
        updated = self.gc.metadefs_namespace.update("old", namespace="new", display_name="New")
        self.assertEqual(
            {
                "namespace": "new",
                "visibility": "public",
                "protected": True,
                "owner": "admin",
                "description": "d",
                "display_name": "New",
            },
            put.last_request.json(),
        )
        self.assertEqual(
            base.OTHER_REQUEST_ID, reread.last_request.headers["x-openstack-request-id"]
        )
        self.assertEqual("New", updated.display_name)
        self.assertEqual([base.REQUEST_ID], updated.request_ids)
        self.assertEqual(
            ["GET", "GET", "PUT", "GET"], [r.method for r in self.requests.request_history]
        )

    def test_update_of_an_unknown_namespace_changes_nothing(self):
        self.requests.get(v2base.NS_URL + "/nope", status_code=404)
        self.assertRaises(
            exc.HTTPNotFound, self.gc.metadefs_namespace.update, "nope", description="x"
        )
        self.assertEqual(["GET"], [r.method for r in self.requests.request_history])

    def test_update_with_an_invalid_value_changes_nothing(self):
        self.mock_schema("metadefs/namespace")
        self.answer("GET", v2base.NS_URL + "/old", v2base.namespace("old"))
        self.assertRaises(
            exc.SchemaValidationError, self.gc.metadefs_namespace.update, "old", protected="yes"
        )
        self.assertNotIn("PUT", [r.method for r in self.requests.request_history])

    def test_delete(self):
        delete = self.answer("DELETE", v2base.CPU_URL, status=204)
        result = self.gc.metadefs_namespace.delete(v2base.CPU)
        self.assertTrue(delete.called_once)
        response, body = result
        self.assertEqual(204, response.status_code)
        self.assertIsNone(body)
        self.assertEqual([base.REQUEST_ID], result.request_ids)

    def test_delete_protected(self):
        self.requests.delete(
            v2base.CPU_URL,
            status_code=403,
            text=base.error_body(
                "403 Forbidden",
                "Metadata definition namespace %s is protected and cannot be deleted." % v2base.CPU,
            ),
            headers={"Content-Type": "application/json"},
        )
        e = self.assertRaises(exc.HTTPForbidden, self.gc.metadefs_namespace.delete, v2base.CPU)
        self.assertIn("is protected", str(e))


class ResourceTypeTest(v2base.ControllerTestCase):
    def test_list(self):
        self.answer(
            "GET",
            base.ENDPOINT + "/v2/metadefs/resource_types",
            {"resource_types": [{"name": "OS::Glance::Image"}, {"name": "OS::Nova::Flavor"}]},
        )
        listing = self.gc.metadefs_resource_type.list()
        self.assertTrue(inspect.isgenerator(listing))
        self.assertEqual(["OS::Glance::Image", "OS::Nova::Flavor"], [t.name for t in listing])
        self.assertEqual([base.REQUEST_ID], listing.request_ids)

    def test_get_lists_the_associations(self):
        self.answer(
            "GET",
            v2base.CPU_URL + "/resource_types",
            {"resource_type_associations": [{"name": "OS::Nova::Flavor", "prefix": "hw:"}]},
        )
        found = list(self.gc.metadefs_resource_type.get(v2base.CPU))
        self.assertEqual("hw:", found[0].prefix)
        self.assertRaises(AttributeError, getattr, found[0], "properties_target")

    def test_associate(self):
        self.mock_schema("metadefs/resource_type")
        post = self.answer(
            "POST",
            v2base.CPU_URL + "/resource_types",
            {"name": "OS::Trove::Instance", "prefix": "t:"},
            201,
        )
        made = self.gc.metadefs_resource_type.associate(
            v2base.CPU, name="OS::Trove::Instance", prefix="t:"
        )
        self.assertEqual({"name": "OS::Trove::Instance", "prefix": "t:"}, post.last_request.json())
        self.assertEqual("t:", made.prefix)
        self.assertEqual([base.REQUEST_ID], made.request_ids)

    def test_associate_refuses_unknown_fields(self):
        self.mock_schema("metadefs/resource_type")
        self.assertRaises(
            exc.SchemaValidationError,
            self.gc.metadefs_resource_type.associate,
            v2base.CPU,
            name="x",
            colour="red",
        )
        self.assertNotIn("POST", [r.method for r in self.requests.request_history])

    def test_deassociate(self):
        delete = self.answer(
            "DELETE", v2base.CPU_URL + "/resource_types/OS%3A%3ANova%3A%3AFlavor", status=204
        )
        result = self.gc.metadefs_resource_type.deassociate(v2base.CPU, "OS::Nova::Flavor")
        self.assertTrue(delete.called_once)
        self.assertEqual(204, result[0].status_code)


class NamesInPathsTest(v2base.ControllerTestCase):
    def test_names_that_cannot_be_one_segment_send_nothing(self):
        calls = (
            lambda name: self.gc.metadefs_namespace.get(name),
            lambda name: self.gc.metadefs_namespace.delete(name),
            lambda name: self.gc.metadefs_tag.delete(v2base.CPU, name),
            lambda name: self.gc.metadefs_property.get(v2base.CPU, name),
            lambda name: self.gc.metadefs_resource_type.deassociate(name, "OS::Nova::Flavor"),
        )
        for name in ("..", ".", "a/b", "", "  ", "\udcff"):
            for call in calls:
                self.assertRaises(exc.InvalidArgument, call, name)
        self.assertEqual([], self.requests.request_history)

    def test_other_names_are_quoted(self):
        get = self.answer(
            "GET", v2base.NS_URL + "/a%20b%3F%23%25%E2%82%AC", v2base.namespace("a b?#%€")
        )
        self.assertEqual("a b?#%€", self.gc.metadefs_namespace.get("a b?#%€").namespace)
        self.assertTrue(get.called_once)


class ModelTest(v2base.ControllerTestCase):
    def test_schema_of_a_model_is_fetched_when_read(self):
        self.answer("GET", v2base.CPU_URL, v2base.namespace(v2base.CPU))
        found = self.gc.metadefs_namespace.get(v2base.CPU)
        self.mock_schema("metadefs/namespace")
        self.assertEqual("namespace", found.schema["name"])
        self.assertEqual("/v2/schemas/metadefs/namespace", found["schema"])
        self.assertEqual("namespace", type(found).__name__)
        self.assertIs(self.gc.metadefs_namespace.model, type(found))


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
HOSTILE_CALLS = {
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
HOSTILE_COMMANDS = (
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
            for name, call in HOSTILE_CALLS.items():
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
            for command in HOSTILE_COMMANDS:
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
