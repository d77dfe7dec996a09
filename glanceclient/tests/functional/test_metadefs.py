"""Metadata definitions on a real Glance holding its standard definitions
(``glance-manage db load_metadefs``): the SDK, and horizon's calls replayed."""

from __future__ import annotations

import collections.abc
import typing as ty

from glanceclient import exc
from glanceclient.tests.functional import base


class SdkTest(base.MetadefsTest):
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
        plain = gc.metadefs_namespace.get(base.LIBVIRT, resource_type=None)
        flavor = gc.metadefs_namespace.get(base.LIBVIRT, resource_type="OS::Nova::Flavor")
        self.assertIn("boot_menu", plain.properties)
        self.assertIn("hw:boot_menu", flavor.properties)
        self.assertTrue(plain.request_ids[0])

    def test_contents_of_the_standard_definitions(self) -> None:
        gc = self.sdk()
        self.assertEqual(
            ["cpu_policy", "cpu_thread_policy"],
            sorted(p.name for p in gc.metadefs_property.list(base.CPU)),
        )
        self.assertEqual(
            ["shared", "dedicated"], gc.metadefs_property.get(base.CPU, "cpu_policy").enum
        )
        mysql = gc.metadefs_object.get(base.DBMS, "MySQL")
        self.assertIn("sw_database_mysql_version", mysql.properties)
        self.assertIn("MySQL", [o.name for o in gc.metadefs_object.list(base.DBMS)])
        types = [t.name for t in gc.metadefs_resource_type.list()]
        self.assertIn("OS::Nova::Flavor", types)
        associations = {a.name: a for a in gc.metadefs_resource_type.get(base.CPU)}
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
        self.assertRaises(exc.HTTPForbidden, self.sdk().metadefs_namespace.delete, base.CPU)
        self.assertIn(base.CPU, self.server_namespaces())


class HorizonTest(base.MetadefsTest):
    """openstack_dashboard/api/glance.py's metadefs calls, replayed."""

    def horizon_client(self) -> ty.Any:
        from glanceclient.v2 import client

        return client.Client(
            self.cluster.url, token=self.cluster.admin_token, insecure=False, cacert=None
        )

    def test_namespace_calls(self) -> None:
        gc = self.horizon_client()
        # metadefs_namespace_get(request, namespace, resource_type=None)
        namespace = gc.metadefs_namespace.get(base.CPU, resource_type=None)
        self.assertEqual(base.CPU, namespace.namespace)
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
