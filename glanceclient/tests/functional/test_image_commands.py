"""The image commands of ``glance`` against real Glance 33.0.0: data in and
out byte for byte, import, members, tags, stores; and the commands
upstream's own functional tests run (test_readonly_glance.py and
test_http_headers.py), ported to the harness."""

from __future__ import annotations

import hashlib
import json
import os

import fixtures

from glanceclient.tests import tables
from glanceclient.tests.functional import base

DATA = os.urandom(3 * 1024 * 1024 + 17)
CORE_COMMANDS = {
    "bash-completion",
    "help",
    "image-create",
    "image-deactivate",
    "image-delete",
    "image-download",
    "image-list",
    "image-reactivate",
    "image-show",
    "image-tag-delete",
    "image-tag-update",
    "image-update",
    "image-upload",
    "location-add",
    "location-delete",
    "location-update",
    "member-create",
    "member-delete",
    "member-list",
    "member-update",
}


class ImageCommandTest(base.FunctionalTest):
    """Keeps the schema the commands fetch out of the user's cache."""

    def setUp(self) -> None:
        super().setUp()
        cache = self.useFixture(fixtures.TempDir()).path
        self.useFixture(fixtures.EnvironmentVariable("XDG_CACHE_HOME", cache))


class UpstreamReadOnlyTest(ImageCommandTest):
    """Upstream's test_readonly_glance.py, command for command."""

    def test_list(self) -> None:
        result = self.glance("--os-image-api-version", "2", "image-list")
        self.assertEqual(0, result.status, result.err)
        self.assertEqual(["ID", "Name"], tables.table(result.out)[0])

    def test_fake_action(self) -> None:
        self.assertEqual(2, self.glance("this-does-not-exist").status)

    def test_member_list(self) -> None:
        created = self.glance("image-create", "--name", "temp")
        self.assertEqual(0, created.status, created.err)
        self.addCleanup(self.cluster.delete_image, tables.properties(created.out)["id"])
        private = self.glance("image-list", "--visibility", "private")
        self.assertEqual(0, private.status, private.err)
        result = self.glance("member-list", "--image-id", "fake_image_id")
        self.assertNotEqual(0, result.status)
        self.assertEqual(1, len(result.err.splitlines()), result.err)
        shared = self.glance("member-list", "--image-id", tables.properties(created.out)["id"])
        self.assertEqual(0, shared.status, shared.err)
        self.assertEqual(["Image ID", "Member ID", "Status"], tables.table(shared.out)[0])

    def test_help(self) -> None:
        result = self.glance("--os-image-api-version", "2", "help")
        self.assertEqual(0, result.status, result.err)
        self.assertTrue(result.out.startswith("usage: glance"))
        listed = {
            line.split()[0]
            for line in result.out.splitlines()
            if line.startswith("    ") and line.strip()
        }
        self.assertTrue(listed >= CORE_COMMANDS, CORE_COMMANDS - listed)

    def test_version(self) -> None:
        result = self.glance("--version")
        self.assertEqual(0, result.status, result.err)
        self.assertRegex(result.out, r"^\d+\.\d+")

    def test_debug_list(self) -> None:
        result = self.glance("--debug", "--os-image-api-version", "2", "image-list")
        self.assertEqual(0, result.status, result.err)

    def test_encode_headers_python(self) -> None:
        """Upstream's test_http_headers.py: a PATCH with one Content-Type."""
        gc = self.sdk()
        image = gc.images.create(name="glance_functional_test_image.img")
        self.addCleanup(self.cluster.delete_image, image.id)
        self.assertEqual("queued", image.status)
        updated = gc.images.update(image.id, disk_format="qcow2")
        self.assertEqual("qcow2", updated.disk_format)


class DataCommandTest(ImageCommandTest):
    """Has an image file to send, and reads what it downloads."""

    def setUp(self) -> None:
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.source = os.path.join(self.tmp, "image.raw")
        with open(self.source, "wb") as f:
            f.write(DATA)

    def create(self, *argv: str, **kwargs) -> dict[str, str]:
        result = self.glance("image-create", *argv, **kwargs)
        self.assertEqual(0, result.status, result.err)
        image = tables.properties(result.out)
        self.addCleanup(self.cluster.delete_image, image["id"])
        return image

    def download(self, image_id: str, *argv: str) -> bytes:
        target = os.path.join(self.tmp, "out-%s" % image_id)
        result = self.glance("image-download", "--file", target, *argv, image_id)
        self.assertEqual((0, ""), (result.status, result.out), result.err)
        with open(target, "rb") as f:
            return f.read()


class ImageDataTest(DataCommandTest):
    def test_create_with_file_then_download(self) -> None:
        image = self.create(
            "--name",
            "data-" + base.random_id()[:8],
            "--disk-format",
            "raw",
            "--container-format",
            "bare",
            "--min-ram",
            "64",
            "--property",
            "hw_rng_model=virtio",
            "--file",
            self.source,
            "--progress",
        )
        self.assertEqual("active", image["status"])
        self.assertEqual(str(len(DATA)), image["size"])
        self.assertEqual("64", image["min_ram"])
        self.assertEqual("virtio", image["hw_rng_model"])
        self.assertEqual(hashlib.sha512(DATA).hexdigest(), image["os_hash_value"])
        self.assertEqual(DATA, self.download(image["id"], "--progress"))
        listed = self.glance("--verbose", "image-list", "--include-stores")
        row = next(r for r in tables.table(listed.out) if r[0] == image["id"])
        self.assertEqual(["raw", "bare", str(len(DATA)), "active"], row[2:6])
        self.assertEqual("local", row[7])

    def test_stdin_upload_and_update(self) -> None:
        image = self.create("--name", "piped", "--disk-format", "raw", "--container-format", "bare")
        self.assertEqual("queued", image["status"])
        with open(self.source, "rb") as stdin:
            result = self.glance("image-upload", "--size", str(len(DATA)), image["id"], stdin=stdin)
        self.assertEqual((0, "", ""), result)
        self.assertEqual(DATA, self.download(image["id"]))
        result = self.glance(
            "image-update", "--property", "a=1", "--os-distro", "cirros", image["id"]
        )
        self.assertEqual(0, result.status, result.err)
        self.assertEqual("1", tables.properties(result.out)["a"])
        result = self.glance("image-update", "--remove-property", "a", image["id"])
        self.assertNotIn("a", tables.properties(result.out))
        self.assertEqual("cirros", tables.properties(result.out)["os_distro"])

    def test_refusals_are_one_line(self) -> None:
        image = self.create("--name", "refusals")
        cases = [
            (("image-upload", "--file", "/nonexistent", image["id"]), "Unable to read image data"),
            (
                ("image-upload", "--file", self.source, "--size", "1", image["id"]),
                "Size mismatch",
            ),
            (("image-show", base.random_id()), "HTTP 404 Not Found"),
            (("image-show", "no-such-name-" + base.random_id()), "No image with a name or ID"),
            (("image-import", image["id"]), "Set the container_format and disk_format"),
            (("stores-delete", "--store", "nope", image["id"]), "HTTP 409 Conflict"),
            (
                ("location-add", "--url", "file:///x", "--metadata", "{", image["id"]),
                "not valid JSON",
            ),
            (
                ("image-create", "--file", self.source),
                "Must provide --container-format, --disk-format",
            ),
        ]
        for argv, message in cases:
            self.assert_fails_with(self.glance(*argv), "glance: error: ", message)
        self.assert_fails_with(
            self.glance("image-create", "--visibility", "public", role="member"),
            "glance: error: HTTP 403 Forbidden",
            "",
        )

    def test_corrupted_data_is_detected_and_no_file_is_left(self) -> None:
        image = self.create(
            "--disk-format", "raw", "--container-format", "bare", "--file", self.source
        )
        detail = self.glance("stores-info", "--detail")
        self.assertEqual(0, detail.status, detail.err)
        store = json.loads(tables.properties(detail.out)["stores"])[0]
        path = os.path.join(store["properties"]["data_dir"], image["id"])
        with open(path, "r+b") as f:
            f.seek(1000)
            f.write(b"corrupt!")
        target = os.path.join(self.tmp, "corrupt.raw")
        result = self.glance(
            "image-download", "--file", target, image["id"], node=self.cluster.nocache_node
        )
        self.assert_fails_with(result, "glance: error: ", "Corrupt image download. Hash was")
        self.assertFalse(os.path.exists(target))
        self.assertEqual(["image.raw"], os.listdir(self.tmp))

    def test_glance_direct_import(self) -> None:
        image = self.glance(
            "image-create-via-import",
            "--disk-format",
            "raw",
            "--container-format",
            "bare",
            "--file",
            self.source,
        )
        self.assertEqual(0, image.status, image.err)
        image_id = tables.properties(image.out)["id"]
        self.addCleanup(self.cluster.delete_image, image_id)
        self.cluster.wait_for(lambda: self.sdk().images.get(image_id).status == "active")
        self.assertEqual(DATA, self.download(image_id))
        tasks = self.glance("image-tasks", image_id)
        self.assertEqual(0, tasks.status, tasks.err)
        self.assertEqual(["Message", "Status", "Updated at"], tables.table(tasks.out)[0])
        self.assertEqual("success", tables.table(tasks.out)[1][1])

    def test_stage_then_import(self) -> None:
        image = self.create("--disk-format", "raw", "--container-format", "bare")
        self.assertEqual(
            (0, "", ""), self.glance("image-stage", "--file", self.source, image["id"])
        )
        result = self.glance("image-import", "--import-method", "glance-direct", image["id"])
        self.assertEqual(0, result.status, result.err)
        self.cluster.wait_for(lambda: self.sdk().images.get(image["id"]).status == "active")
        self.assertEqual(DATA, self.download(image["id"]))
        self.assert_fails_with(
            self.glance("image-import", image["id"]),
            "glance: error: ",
            "needs the image in status uploading",
        )

    def test_import_wait_follows_the_import_to_its_end(self) -> None:
        image = self.create("--disk-format", "raw", "--container-format", "bare")
        self.assertEqual(
            (0, "", ""), self.glance("image-stage", "--file", self.source, image["id"])
        )
        result = self.glance(
            "image-import", "--import-method", "glance-direct", "--wait", image["id"]
        )
        self.assertEqual((0, ""), (result.status, result.err))
        self.assertEqual("active", tables.properties(result.out)["status"])
        self.assertEqual(DATA, self.download(image["id"]))

    def test_import_wait_says_the_import_failed(self) -> None:
        # Nothing listens on port 9 of this machine: the web-download fails.
        created = self.glance(
            "image-create-via-import",
            "--disk-format",
            "raw",
            "--container-format",
            "bare",
            "--import-method",
            "web-download",
            "--uri",
            "http://127.0.0.1:9/image.raw",
            "--wait",
            "--wait-timeout",
            "120",
        )
        self.assertTrue(created.out, created.err)  # the image, shown before the error
        image_id = tables.properties(created.out)["id"]
        self.addCleanup(self.cluster.delete_image, image_id)
        self.assertEqual(1, created.status, created.err)
        self.assertRegex(
            created.err, r"^glance: error: The import of image %s failed; it is queued" % image_id
        )
        self.assertEqual(1, len(created.err.splitlines()), created.err)

    def test_deactivate_reactivate(self) -> None:
        image = self.create(
            "--disk-format", "raw", "--container-format", "bare", "--file", self.source
        )
        self.assertEqual((0, "", ""), self.glance("image-deactivate", image["id"]))
        shown = self.glance("image-show", image["id"])
        self.assertEqual("deactivated", tables.properties(shown.out)["status"])
        self.assertEqual((0, "", ""), self.glance("image-reactivate", image["id"]))
        self.assertEqual(DATA, self.download(image["id"]))


class ImageMetadataTest(ImageCommandTest):
    def test_members(self) -> None:
        image_id = self.new_image(name="shared-" + base.random_id()[:8])
        created = self.glance("member-create", image_id, "project-b")
        self.assertEqual(0, created.status, created.err)
        self.assertEqual([image_id, "project-b", "pending"], tables.table(created.out)[1])
        updated = self.glance("member-update", image_id, "project-b", "accepted")
        self.assertEqual("accepted", tables.table(updated.out)[1][2], updated.err)
        shown = self.glance("member-get", image_id, "project-b")
        self.assertEqual("accepted", tables.properties(shown.out)["status"])
        listed = self.glance("member-list", "--image-id", image_id)
        self.assertEqual([[image_id, "project-b", "accepted"]], tables.table(listed.out)[1:])
        self.assertEqual((0, "", ""), self.glance("member-delete", image_id, "project-b"))
        self.assert_fails_with(
            self.glance("member-get", image_id, "project-b"), "glance: error: HTTP 404", ""
        )

    def test_tags(self) -> None:
        image_id = self.new_image()
        self.assertEqual(0, self.glance("image-tag-update", image_id, "first").status)
        result = self.glance("image-tag-update", image_id, "tag two")
        self.assertEqual(0, result.status, result.err)
        self.assertEqual(["first", "tag two"], sorted(json.loads(tables.table(result.out)[1][1])))
        self.assertEqual((0, "", ""), self.glance("image-tag-delete", image_id, "first"))
        shown = tables.properties(self.glance("image-show", image_id).out)
        self.assertEqual(["tag two"], json.loads(shown["tags"]))

    def test_info_schema_and_delete(self) -> None:
        info = self.glance("import-info")
        self.assertIn("glance-direct", tables.properties(info.out)["import-methods"])
        stores = self.glance("stores-info")
        self.assertEqual("local", json.loads(tables.properties(stores.out)["stores"])[0]["id"])
        usage = self.glance("usage")
        self.assertEqual(0, usage.status, usage.err)
        self.assertEqual(["Quota", "Limit", "Usage"], tables.table(usage.out)[0])
        explain = self.glance("explain", "image")
        self.assertIn(
            ["min_ram", "Amount of ram (in MB) required to boot image."], tables.table(explain.out)
        )
        image_id = self.new_image()
        result = self.glance("image-delete", image_id, base.random_id())
        self.assertEqual(1, result.status)
        self.assertEqual(1, len(result.err.splitlines()), result.err)
        self.assertIn("HTTP 404", result.err)
        self.assertIsNone(next((i for i in self.sdk().images.list() if i.id == image_id), None))


class StoresAndLocationsTest(DataCommandTest):
    """Two file stores, an HTTP store and show_multiple_locations."""

    def active(self, image_id: str) -> None:
        gc = self.sdk()
        self.cluster.wait_for(lambda: gc.images.get(image_id).status == "active")
        self.wait_tasks_done(gc, image_id)

    def test_copy_to_a_second_store_then_delete_from_it(self) -> None:
        stores = self.glance("stores-info")
        ids = [s["id"] for s in json.loads(tables.properties(stores.out)["stores"])]
        self.assertEqual(["local", "second", "web"], sorted(ids))
        image = self.create(
            "--disk-format", "raw", "--container-format", "bare", "--file", self.source
        )
        self.wait_tasks_done(self.sdk(), image["id"])
        result = self.glance(
            "image-import", "--import-method", "copy-image", "--stores", "second", image["id"]
        )
        self.assertEqual(0, result.status, result.err)
        gc = self.sdk()
        self.cluster.wait_for(lambda: gc.images.get(image["id"]).stores == "local,second")
        self.wait_tasks_done(gc, image["id"])
        self.assertEqual(DATA, self.download(image["id"], "--prefer", "second"))
        self.assertEqual(
            (0, "", ""), self.glance("stores-delete", "--store", "second", image["id"])
        )
        self.assertEqual(
            "local", tables.properties(self.glance("image-show", image["id"]).out)["stores"]
        )

    def test_web_download_on_create(self) -> None:
        result = self.glance(
            "image-create-via-import",
            "--disk-format",
            "raw",
            "--container-format",
            "bare",
            "--import-method",
            "web-download",
            "--uri",
            self.serve_data(DATA),
        )
        self.assertEqual(0, result.status, result.err)
        image_id = tables.properties(result.out)["id"]
        self.addCleanup(self.cluster.delete_image, image_id)
        self.active(image_id)
        self.assertEqual(DATA, self.download(image_id))

    def test_old_location_api(self) -> None:
        url = self.serve_data(DATA)
        image = self.create("--disk-format", "raw", "--container-format", "bare")
        result = self.glance(
            "location-add",
            "--url",
            url,
            "--hash-algo",
            "sha512",
            "--hash-value",
            hashlib.sha512(DATA).hexdigest(),
            image["id"],
        )
        self.assertEqual(0, result.status, result.err)
        self.assertEqual(url, json.loads(tables.properties(result.out)["locations"])[0]["url"])
        self.assertEqual(DATA, self.download(image["id"]))
        result = self.glance(
            "location-update", "--url", url, "--metadata", '{"k": "v"}', image["id"]
        )
        self.assertEqual(0, result.status, result.err)
        self.assertEqual(
            "v", json.loads(tables.properties(result.out)["locations"])[0]["metadata"]["k"]
        )
        second = url + "?copy=2"
        self.assertEqual(0, self.glance("location-add", "--url", second, image["id"]).status)
        self.assertEqual((0, "", ""), self.glance("location-delete", "--url", url, image["id"]))
        shown = tables.properties(self.glance("image-show", image["id"]).out)
        self.assertEqual([second], [loc["url"] for loc in json.loads(shown["locations"])])
        self.assert_fails_with(
            self.glance("location-delete", "--url", "http://nowhere/x", image["id"]),
            "glance: error: ",
            "http://nowhere/x",
        )

    def test_new_location_api(self) -> None:
        url = self.serve_data(DATA)
        image = self.create("--disk-format", "raw", "--container-format", "bare")
        validation = {"os_hash_algo": "sha512", "os_hash_value": hashlib.sha512(DATA).hexdigest()}
        result = self.glance(
            "add-location", "--url", url, "--validation-data", json.dumps(validation), image["id"]
        )
        self.assertEqual(0, result.status, result.err)
        self.active(image["id"])
        self.assertEqual(DATA, self.download(image["id"]))
