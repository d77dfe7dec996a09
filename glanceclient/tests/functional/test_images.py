"""The images SDK against real Glance 33.0.0: data in and out byte for
byte, paging, properties, members, tags, stores, imports and locations."""

from __future__ import annotations

import hashlib
import io
import os

from glanceclient import exc
from glanceclient.tests.functional import base
from glanceclient.tests.functional import glance_nodes

#: Larger than one chunk (1 MiB) and not a multiple of it.
DATA = os.urandom(3 * 1024 * 1024 + 12345)
OTHER_PROJECT = "0ther0project0000000000000000001"


class ImagesTest(base.FunctionalTest):
    def setUp(self) -> None:
        super().setUp()
        self.gc = self.sdk()

    def create(self, **props) -> object:
        props.setdefault("name", "sdk-" + base.random_id()[:8])
        props.setdefault("disk_format", "raw")
        props.setdefault("container_format", "bare")
        image = self.gc.images.create(**props)
        self.addCleanup(self.cluster.delete_image, image.id)
        return image

    def test_upload_download_byte_for_byte(self) -> None:
        image = self.create(foo="bar", tags=["t1"])
        self.assertEqual("queued", image.status)
        self.assertEqual("bar", image.foo)
        self.assertEqual([None], [None for _ in image.request_ids])  # one answer
        self.gc.images.upload(image.id, io.BytesIO(DATA), image_size=len(DATA))
        got = self.gc.images.get(image.id)
        self.assertEqual("active", got.status)
        self.assertEqual(len(DATA), got.size)
        self.assertEqual(hashlib.sha512(DATA).hexdigest(), got.os_hash_value)
        body = self.gc.images.data(image.id)
        self.assertEqual(len(DATA), len(body))
        self.assertTrue(body.request_ids[0].startswith("req-"))
        self.assertEqual(DATA, b"".join(body))
        self.assertEqual(DATA, b"".join(self.gc.images.data(image.id, do_checksum=False)))

    def test_upload_bytes_iterables_and_empty(self) -> None:
        for data, expected in (
            (b"some bytes", b"some bytes"),
            (iter([b"chunk one, ", "chunk two"]), b"chunk one, chunk two"),
            ("", b""),
        ):
            image = self.create()
            self.gc.images.upload(image.id, data)
            self.assertEqual(expected, b"".join(self.gc.images.data(image.id)))

    def test_no_data_yet(self) -> None:
        image = self.create()
        body = self.gc.images.data(image.id)
        self.assertIsNone(body.wrapped)
        self.assertEqual([], list(body))

    def test_corrupted_file_in_the_store_is_detected(self) -> None:
        image = self.create()
        self.gc.images.upload(image.id, DATA)
        path = self.cluster.workdir / "shared" / "images" / image.id
        corrupted = bytearray(path.read_bytes())
        corrupted[len(corrupted) // 2] ^= 0xFF
        path.write_bytes(bytes(corrupted))
        # The node without a cache reads the store, not a cached copy.
        gc = self.sdk(self.cluster.nocache_node)
        chunks = iter(gc.images.data(image.id))
        received = b""
        with self.assertRaises(exc.CorruptDownload) as raised:
            for chunk in chunks:
                received += chunk
        self.assertEqual(len(DATA), len(received))  # raised after the last chunk
        self.assertIsInstance(raised.exception, IOError)
        self.assertIn("Corrupt image download. Hash was", str(raised.exception))

    def test_list_pages_and_filters(self) -> None:
        tag = "tag-" + base.random_id()[:8]
        ids = {self.create(tags=[tag]).id for _ in range(5)}
        listed = self.gc.images.list(filters={"tag": [tag]}, page_size=2)
        self.assertEqual(ids, {i.id for i in listed})
        self.assertEqual(3, len(listed.request_ids))  # pages of 2, 2 and 1
        limited = list(self.gc.images.list(filters={"tag": tag}, page_size=2, limit=3))
        self.assertEqual(3, len(limited))
        names = [i.name for i in self.gc.images.list(filters={"tag": tag}, sort="name:desc")]
        self.assertEqual(sorted(names, reverse=True), names)

    def test_update_and_remove_properties(self) -> None:
        image = self.create(custom="one")
        updated = self.gc.images.update(image.id, ["custom"], name="renamed", min_ram=64, new="x")
        self.assertEqual(("renamed", 64, "x"), (updated.name, updated.min_ram, updated.new))
        self.assertNotIn("custom", updated)
        again = self.gc.images.update(image_id=image.id, remove_props=["absent"], new="y")
        self.assertEqual("y", again.new)
        self.assertRaises(TypeError, self.gc.images.update, image.id, min_ram="lots")

    def test_schema_and_model(self) -> None:
        image = self.gc.images.get(self.create().id)
        self.assertEqual("image", image.schema["name"])
        schema = self.gc.schemas.get("image")
        self.assertIn("qcow2", schema.raw()["properties"]["disk_format"]["enum"])
        self.assertFalse(schema.is_base_property("os_distro"))
        self.assertTrue(schema.is_base_property("name"))

    def test_tags_deactivate_reactivate_delete(self) -> None:
        image = self.create()
        self.gc.images.upload(image.id, b"data")
        self.gc.image_tags.update(image.id, "tag one")
        self.assertEqual(["tag one"], self.gc.images.get(image.id).tags)
        self.gc.image_tags.delete(image.id, "tag one")
        self.assertEqual([], self.gc.images.get(image.id).tags)
        self.gc.images.deactivate(image.id)
        self.assertEqual("deactivated", self.gc.images.get(image.id).status)
        member = self.sdk(role="member")  # only admins read deactivated images
        self.assertRaises(exc.HTTPForbidden, member.images.data, image.id)
        self.gc.images.reactivate(image.id)
        self.assertEqual("active", self.gc.images.get(image.id).status)
        self.gc.images.delete(image.id)
        self.assertRaises(exc.HTTPNotFound, self.gc.images.get, image.id)

    def test_members(self) -> None:
        image = self.create(visibility="shared")
        member = self.gc.image_members.create(image.id, OTHER_PROJECT)
        self.assertEqual("pending", member.status)
        self.assertEqual(
            [OTHER_PROJECT], [m.member_id for m in self.gc.image_members.list(image.id)]
        )
        other = self.sdk(role="member")  # not the owner: may not accept
        self.assertRaises(
            exc.HTTPForbidden, other.image_members.update, image.id, OTHER_PROJECT, "accepted"
        )
        self.gc.image_members.delete(image.id, OTHER_PROJECT)
        self.assertEqual([], list(self.gc.image_members.list(image.id)))
        private = self.create(visibility="private")
        self.assertRaises(exc.HTTPForbidden, list, self.gc.image_members.list(private.id))

    def test_stores_and_info(self) -> None:
        stores = self.gc.images.get_stores_info()
        self.assertEqual(
            [*glance_nodes.STORES, glance_nodes.HTTP_STORE], [s["id"] for s in stores["stores"]]
        )
        detail = self.gc.images.get_stores_info_detail()
        self.assertEqual("file", detail["stores"][0]["type"])
        methods = self.gc.images.get_import_info()["import-methods"]["value"]
        self.assertIn("glance-direct", methods)
        self.assertIn("copy-image", methods)
        self.assertIn("v2.17", [v["id"] for v in self.gc.versions.list()])

    def test_stage_import_copy_and_delete_from_store(self) -> None:
        image = self.create()
        self.gc.images.stage(image.id, io.BytesIO(DATA), image_size=len(DATA))
        self.assertEqual("uploading", self.gc.images.get(image.id).status)
        self.gc.images.image_import(image.id, method="glance-direct")
        self.cluster.wait_for(
            lambda: self.gc.images.get(image.id).status == "active", message="not imported"
        )
        self.wait_tasks_done(self.gc, image.id)
        self.gc.images.image_import(image.id, method="copy-image", stores=["second"])
        self.cluster.wait_for(
            lambda: self.gc.images.get(image.id).stores == "local,second", message="not copied"
        )
        self.wait_tasks_done(self.gc, image.id)
        tasks = self.gc.images.get_associated_image_tasks(image.id)["tasks"]
        self.assertEqual(2, len(tasks))
        self.assertEqual(DATA, b"".join(self.gc.images.data(image.id, prefer=["second"])))
        self.gc.images.delete_from_store("second", image.id)
        self.assertEqual("local", self.gc.images.get(image.id).stores)
        self.assertRaises(exc.HTTPConflict, self.gc.images.delete_from_store, "nosuch", image.id)

    def test_web_download_import(self) -> None:
        image = self.create()
        self.gc.images.image_import(image.id, method="web-download", uri=self.serve_data(DATA))
        self.cluster.wait_for(
            lambda: self.gc.images.get(image.id).status == "active", message="not imported"
        )
        self.assertEqual(DATA, b"".join(self.gc.images.data(image.id)))

    def test_old_location_api(self) -> None:
        url = self.serve_data(DATA)
        image = self.create()
        sha512 = hashlib.sha512(DATA).hexdigest()
        added = self.gc.images.add_location(
            image.id, url, {}, validation_data={"os_hash_algo": "sha512", "os_hash_value": sha512}
        )
        self.assertEqual([url], [loc["url"] for loc in added.locations])
        self.assertEqual("active", added.status)
        self.assertEqual(sha512, added.os_hash_value)
        self.assertEqual(DATA, b"".join(self.gc.images.data(image.id)))

        updated = self.gc.images.update_location(image.id, url, {"note": "x"})
        self.assertEqual("x", updated.locations[0]["metadata"]["note"])
        self.assertRaises(
            exc.HTTPNotFound, self.gc.images.delete_locations, image.id, {"http://nowhere/x"}
        )
        # The last location of an active image may not be removed...
        self.assertRaises(exc.HTTPForbidden, self.gc.images.delete_locations, image.id, {url})
        # ... but one of two may.
        second = url + "?copy=2"
        self.gc.images.add_location(image.id, second, {})
        self.gc.images.delete_locations(image.id, {url})
        self.assertEqual([second], [loc["url"] for loc in self.gc.images.get(image.id).locations])

    def test_new_location_api(self) -> None:
        image = self.create()
        self.gc.images.upload(image.id, b"data")
        locations = self.gc.images.get_image_locations(image.id)
        self.assertEqual(1, len(locations))
        self.assertIn("url", locations[0])

    def test_errors(self) -> None:
        self.assertRaises(exc.NotFound, self.gc.images.get, base.random_id())
        self.assertRaises(exc.HTTPNotFound, self.gc.images.delete, base.random_id())
        self.assertRaises(exc.BadRequest, lambda: list(self.gc.images.list(sort_key="nosuch")))
        self.assertRaises(TypeError, self.gc.images.create, min_ram="x")
