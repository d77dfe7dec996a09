"""Consumer contracts: how nova, cinder, heat and horizon build the client
and call it (UPSTREAM_SURFACE C.1-C.4, C.7), replayed against real Glance
and Keystone. Each class replays one service's code paths; the comments name
the consumer code they stand for."""

from __future__ import annotations

import collections.abc
import hashlib
import inspect
import io
import itertools
import os
import uuid

from keystoneauth1 import session as ksa_session
from keystoneauth1 import token_endpoint

import glanceclient
from glanceclient import client as gc
from glanceclient import exc
from glanceclient.common import utils as glance_utils
from glanceclient.tests.functional import base
from glanceclient.tests.functional import cluster as cluster_mod
from glanceclient.v2 import client as v2_client
from glanceclient.v2 import schemas

DATA = os.urandom(1024 * 1024 + 7)
OTHER_PROJECT = "0ther0project0000000000000000002"


class ConsumerTest(base.FunctionalTest):
    """Real Keystone: the services authenticate as they do in a cloud."""

    cluster_shape = {"auth": cluster_mod.AUTH_KEYSTONE, "sqlite_node": False, "nocache_node": False}

    def new_meta(self, **meta: object) -> dict[str, object]:
        meta.setdefault("name", "consumer-" + uuid.uuid4().hex[:8])
        meta.setdefault("disk_format", "raw")
        meta.setdefault("container_format", "bare")
        return meta

    def cleanup(self, image_id: str) -> None:
        self.addCleanup(self.cluster.delete_image, image_id)


class NovaTest(ConsumerTest):
    """nova/image/glance.py: GlanceClientWrapper and GlanceImageServiceV2."""

    def setUp(self) -> None:
        super().setUp()
        # _glanceclient_from_endpoint: a session, the user's token as auth,
        # the endpoint from [glance] (nova strips /vN itself), the global id.
        endpoint = self.cluster.nodes[0].url + "/"
        self.client = glanceclient.Client(
            2,
            session=ksa_session.Session(),
            auth=token_endpoint.Token(endpoint, self.cluster.token("admin")),
            endpoint_override=endpoint,
            global_request_id="req-" + str(uuid.uuid4()),
        )

    def call(self, method: str, controller: str | None = None, args=(), kwargs=None):
        """GlanceClientWrapper.call: list() whatever is a generator."""
        result = getattr(getattr(self.client, controller or "images"), method)(
            *args, **(kwargs or {})
        )
        return list(result) if inspect.isgenerator(result) else result

    def test_snapshot_life(self) -> None:
        # create(): flat v2 metadata, custom properties top-level.
        image = self.call(
            "create", kwargs=self.new_meta(owner_specified="nova", hw_disk_bus="scsi")
        )
        image_id = image["id"]
        self.cleanup(image_id)
        # upload(): a file object, then get().
        self.call("upload", args=(image_id, io.BytesIO(DATA)))
        image = self.call("get", args=(image_id,))
        # _translate_from_glance / _extract_attributes_v2.
        self.assertFalse(getattr(image, "deleted", False))
        self.assertTrue(hasattr(image, "visibility"))
        self.assertFalse(hasattr(image, "is_public"))
        raw_schema = image.schema
        self.assertIsInstance(raw_schema, dict)
        base_props = {k for k, v in image.items() if schemas.Schema(raw_schema).is_base_property(k)}
        self.assertIn("size", base_props)
        self.assertNotIn("hw_disk_bus", base_props)
        # update(): image_id as a keyword, remove_props as a keyword.
        updated = self.call(
            "update",
            kwargs={"image_id": image_id, "remove_props": ["hw_disk_bus"], "os_distro": "cirros"},
        )
        self.assertEqual("cirros", updated.os_distro)
        self.assertNotIn("hw_disk_bus", updated)
        # detail(): list() of a generator, with paging and sorting.
        listed = self.call(
            "list",
            kwargs={
                "filters": {"name": image.name},
                "limit": 5,
                "page_size": 2,
                "sort_key": "created_at",
                "sort_dir": "desc",
            },
        )
        self.assertEqual([image_id], [i.id for i in listed])
        # download(): .wrapped, then the chunks.
        chunks = self.call("data", args=(image_id,))
        self.assertIsNotNone(chunks.wrapped)
        self.assertEqual(DATA, b"".join(chunks))
        self.assertEqual(3, len(glance_utils.IterableWithLength(iter([b"abc"]), 3)))
        # delete(), and the translated errors.
        self.call("delete", args=(image_id,))
        for method in ("get", "delete"):
            try:
                self.call(method, args=(image_id,))
            except exc.HTTPNotFound as e:
                self.assertIsInstance(e, exc.HTTPException)
            else:
                self.fail("%s of a deleted image succeeded" % method)

    def test_schema_enum_and_members(self) -> None:
        schema = self.call("get", controller="schemas", args=("image",))
        self.assertIn("qcow2", schema.raw()["properties"].get("disk_format")["enum"])
        image = self.call("create", kwargs=self.new_meta(visibility="shared"))
        self.cleanup(image["id"])
        member = self.call("create", controller="image_members", args=(image["id"], OTHER_PROJECT))
        self.assertEqual(OTHER_PROJECT, member.member_id)

    def test_locations_and_copy_image(self) -> None:
        url = self.serve_data(DATA)
        image = self.call("create", kwargs=self.new_meta())
        image_id = image["id"]
        self.cleanup(image_id)
        # _add_location: the v2.17 API first, the old one on HTTPNotImplemented.
        validation = {"os_hash_algo": "sha512", "os_hash_value": hashlib.sha512(DATA).hexdigest()}
        try:
            self.call("add_image_location", args=(image_id, url, validation))
        except exc.HTTPNotImplemented:
            self.call("add_location", args=(image_id, url, {}))
        self.cluster.wait_for(
            lambda: self.call("get", args=(image_id,)).status == "active", message="not active"
        )
        self.wait_tasks_done(self.client, image_id)
        # copy_image_to_store: copy-image to one more store.
        self.call(
            "image_import", args=(image_id,), kwargs={"method": "copy-image", "stores": ["second"]}
        )
        self.cluster.wait_for(
            lambda: "second" in self.call("get", args=(image_id,)).get("stores", ""),
            message="not copied",
        )
        # The store is listed before the copy task ends; deleting the image
        # meanwhile gets a 500 from Glance (seen in CI): let the cleanup wait.
        self.wait_tasks_done(self.client, image_id)


class CinderTest(ConsumerTest):
    """cinder/image/glance.py: GlanceClientWrapper and GlanceImageService."""

    def setUp(self) -> None:
        super().setUp()
        # _create_glance_client: version '2' as a str, the endpoint
        # positional (scheme://netloc), a session and the user's auth.
        creds = self.cluster.credentials("admin")
        assert creds is not None
        self.client = glanceclient.Client(
            "2",
            self.cluster.nodes[0].url,
            global_request_id="req-" + str(uuid.uuid4()),
            auth=self.cluster.keystone_session("admin").auth,
            session=ksa_session.Session(),
        )

    def call(self, method: str, *args, controller: str = "images", store_id=None, **kwargs):
        headers = {}
        if store_id:
            headers["x-image-meta-store"] = store_id
        self.client.http_client.additional_headers = headers
        return getattr(getattr(self.client, controller), method)(*args, **kwargs)

    def test_volume_upload_to_image(self) -> None:
        image = self.call("create", **self.new_meta(visibility="shared"))
        self.cleanup(image.id)
        # upload to a chosen store, through additional_headers.
        self.call("upload", image.id, io.BytesIO(DATA), store_id="second")
        image = self.call("get", image.id)
        self.assertEqual("second", image.stores)
        self.assertFalse(getattr(image, "is_public", False))
        self.assertEqual("shared", getattr(image, "visibility", "private"))
        self.assertEqual({}, getattr(image, "properties", {}))
        self.assertEqual(image.id, {k: getattr(image, k) for k in image.keys()}["id"])  # noqa: SIM118
        # _get_locations: the v2.17 API, else HTTPNotImplemented/HTTPForbidden.
        try:
            locations = self.call("get_image_locations", image.id)
            self.assertEqual(
                ["url", "metadata"], [k for k in locations[0] if k in ("url", "metadata")]
            )
        except (exc.HTTPNotImplemented, exc.HTTPForbidden):
            self.assertIsNone(getattr(image, "direct_url", None))
        # download: image_chunks is never None; chunks written out.
        image_chunks = self.call("data", image.id)
        self.assertIsNotNone(image_chunks)
        out = io.BytesIO()
        for chunk in image_chunks:
            out.write(chunk)
        self.assertEqual(DATA, out.getvalue())
        # members, stores, the schema by keyword, update, delete.
        self.call("create", image.id, OTHER_PROJECT, controller="image_members")
        members = list(self.call("list", controller="image_members", image_id=image.id))
        self.assertEqual(
            [(OTHER_PROJECT, "pending")], [(m["member_id"], m["status"]) for m in members]
        )
        stores = self.call("get_stores_info")
        self.assertIn("second", [s["id"] for s in stores["stores"]])
        schema = self.call("get", controller="schemas", schema_name="image")
        self.assertTrue(schema.is_base_property("min_ram"))
        self.assertFalse(schema.is_base_property("cinder_custom"))
        updated = self.call("update", image.id, remove_props=["absent"], cinder_custom="x")
        self.assertEqual("x", updated.cinder_custom)
        self.call("delete", image.id)
        self.assertRaises(exc.NotFound, self.call, "delete", image.id)

    def test_deprecated_names_catch(self) -> None:
        other = glanceclient.Client(
            "2",
            self.cluster.nodes[0].url,
            session=ksa_session.Session(
                auth=token_endpoint.Token(self.cluster.nodes[0].url, "not-a-token")
            ),
        )
        self.assertRaises(exc.Unauthorized, other.images.get, str(uuid.uuid4()))
        reader = glanceclient.Client(
            "2", self.cluster.nodes[0].url, session=self.cluster.keystone_session("reader")
        )
        self.assertRaises(exc.Forbidden, reader.images.create, **self.new_meta())
        self.assertRaises(exc.BadRequest, lambda: list(self.client.images.list(sort_key="nosuch")))


class HeatTest(ConsumerTest):
    """heat/engine/clients/os/glance.py and OS::Glance::WebImage."""

    def setUp(self) -> None:
        super().setUp()
        # The endpoint comes from the catalog.
        self.client = gc.Client(
            "2",
            session=self.cluster.keystone_session("admin"),
            interface="public",
            service_type="image",
            connect_retries=2,
            region_name="RegionOne",
        )

    def is_client_exception(self, ex: Exception) -> bool:
        return type(ex) in exc.__dict__.values()

    def find_image_by_name_or_id(self, identifier: str) -> str:
        try:
            return self.client.images.get(identifier).id
        except exc.HTTPNotFound as ex:
            self.assertTrue(self.is_client_exception(ex))
            images = list(self.client.images.list(filters={"name": identifier}))
            self.assertEqual(1, len(images))
            return images[0].id

    def test_web_image_resource(self) -> None:
        args = self.new_meta(
            id=str(uuid.uuid4()),
            min_disk=1,
            min_ram=64,
            protected=False,
            tags=["heat"],
            architecture="x86_64",
            os_distro="cirros",
            os_version="0.6",
            visibility="private",
        )
        image = self.client.images.create(**args)
        self.cleanup(image.id)
        self.assertEqual(args["id"], image.id)
        self.client.images.image_import(image.id, method="web-download", uri=self.serve_data(DATA))
        self.cluster.wait_for(
            lambda: self.client.images.get(image.id).status == "active", message="not imported"
        )
        self.assertEqual(image.id, self.find_image_by_name_or_id(args["name"]))
        self.assertEqual(image.id, self.find_image_by_name_or_id(image.id))
        # handle_update: extra properties, then remove_props positionally.
        self.client.images.update(image.id, extra="1")
        self.client.images.update(image.id, ["extra"], min_ram=128)
        shown = self.client.images.get(image.id)
        self.assertIsInstance(shown, dict)  # _show_resource
        self.assertNotIn("extra", shown)
        self.assertEqual(128, shown.min_ram)
        self.client.images.deactivate(image.id)
        self.assertEqual("deactivated", self.client.images.get(image.id).status.lower())
        self.client.images.reactivate(image.id)
        self.client.image_tags.update(image.id, "extra-tag")
        self.client.image_tags.delete(image.id, "extra-tag")
        try:  # ignore_not_found
            self.client.image_tags.delete(image.id, "extra-tag")
        except exc.HTTPNotFound as ex:
            self.assertTrue(self.is_client_exception(ex))
        self.client.images.update(image.id, visibility="shared")
        self.client.image_members.create(image.id, OTHER_PROJECT)
        self.client.image_members.delete(image.id, OTHER_PROJECT)
        self.client.images.delete(image.id)
        try:
            self.client.images.delete(image.id)
        except exc.HTTPNotFound as ex:
            self.assertTrue(self.is_client_exception(ex))
        else:
            self.fail("deleted twice")


class HorizonTest(ConsumerTest):
    """openstack_dashboard/api/glance.py: a client per request, token mode."""

    def setUp(self) -> None:
        super().setUp()
        self.url = self.cluster.nodes[0].url
        self.client = v2_client.Client(
            self.url, token=self.cluster.token("admin"), insecure=False, cacert=None
        )

    def test_images_panel(self) -> None:
        name = "horizon-" + uuid.uuid4().hex[:8]
        ids = set()
        for i in range(3):
            image = self.client.images.create(**self.new_meta(name="%s-%d" % (name, i)))
            self.cleanup(image.id)
            ids.add(image.id)
        listed = self.client.images.list(
            page_size=2,
            limit=1000,
            filters={"name": "in:%s-0,%s-1,%s-2" % (name, name, name)},
            sort_key="name",
            sort_dir="asc",
        )
        page = list(itertools.islice(listed, 0, 2))
        self.assertEqual(["%s-0" % name, "%s-1" % name], [i.name for i in page])
        image = self.client.images.get(page[0].id)
        # The Image wrapper: getattr, items(), iteration, setattr, ==.
        self.assertRaises(AttributeError, getattr, image, "no_such_attribute")
        self.assertEqual(dict(image.items()), {k: image[k] for k in image})
        image.size = 0
        self.assertEqual(0, image["size"])
        self.assertIsInstance(image, collections.abc.Iterable)
        self.assertEqual(image, image.copy())
        enum = self.client.schemas.get("image").raw()["properties"]["disk_format"]["enum"]
        self.assertIn("raw", enum)
        # create with a location (the "external" source).
        url = self.serve_data(DATA)
        self.client.images.add_location(page[0].id, url, {})
        self.assertEqual("active", self.client.images.get(page[0].id).status)
        self.client.images.update(page[1].id, ["absent"], description="d")
        self.client.images.update(page[1].id, min_disk=2)
        self.client.images.deactivate(page[0].id)
        self.client.images.reactivate(page[0].id)
        self.client.images.delete(page[1].id)

    def test_errors(self) -> None:
        bad = v2_client.Client(self.url, token="expired-token")
        self.assertRaises(exc.HTTPUnauthorized, bad.images.get, str(uuid.uuid4()))
        dead = v2_client.Client("http://127.0.0.1:9", token="t")
        try:
            dead.images.get(str(uuid.uuid4()))
        except (exc.HTTPException, exc.CommunicationError) as e:  # RECOVERABLE
            self.assertIsInstance(e, exc.CommunicationError)
        else:
            self.fail("no error from a dead endpoint")
