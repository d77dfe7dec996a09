"""``glance image-upload``, ``-download``, ``-stage``, ``-import`` and
``image-create-via-import`` through the real main()."""

from __future__ import annotations

import errno
import hashlib
import io
import os

import fixtures
from urllib3 import exceptions as urllib3_exc

from glanceclient import shell
from glanceclient.tests import tables
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2.commands import base as cbase

IMAGE_URL = cbase.IMAGE_URL
DATA = b"0123456789" * 1000
SHA512 = hashlib.sha512(DATA).hexdigest()
MD5 = hashlib.md5(DATA, usedforsecurity=False).hexdigest()
IMPORT_INFO = {
    "import-methods": {
        "description": "Import methods available.",
        "type": "array",
        "value": ["glance-direct", "web-download", "copy-image"],
    }
}
STORES = {"stores": [{"id": "fast", "default": "true"}, {"id": "cheap"}]}


class DataTest(cbase.CommandTest):
    def setUp(self):
        super().setUp()
        self.received: list[bytes] = []

    def receive(self, request, context) -> str:
        body = request.body
        self.received.append(body if isinstance(body, bytes) else b"".join(body))
        return ""

    def run_on_terminal(self, *argv: str) -> tuple[int, str, str]:
        """Run ``glance`` with stderr a terminal."""
        out, err = io.StringIO(), base.Terminal()
        self.useFixture(fixtures.MonkeyPatch("sys.stdout", out))
        self.useFixture(fixtures.MonkeyPatch("sys.stderr", err))
        status = shell.main([*base.TOKEN_ARGS, *argv])
        return status, out.getvalue(), err.getvalue()

    def data_file(self, data: bytes = DATA) -> str:
        path = os.path.join(self.tmp, "image.raw")
        with open(path, "wb") as f:
            f.write(data)
        return path


class ImageUploadTest(DataTest):
    def setUp(self):
        super().setUp()
        self.put = self.requests.put(IMAGE_URL + "/file", status_code=204, text=self.receive)

    def test_file_with_progress(self):
        status, out, err = self.run_on_terminal(
            "image-upload", "--file", self.data_file(), "--progress", base.IMAGE_ID
        )
        self.assertEqual(0, status, err)
        self.assertEqual("", out)
        self.assertEqual([DATA], self.received)
        self.assertEqual(str(len(DATA)), self.put.last_request.headers["x-openstack-image-size"])
        headers = self.put.last_request.headers
        self.assertEqual("application/octet-stream", headers["Content-Type"])
        # A regular file goes with its length, not chunked.
        self.assertEqual(str(len(DATA)), headers["Content-Length"])
        self.assertNotIn("Transfer-Encoding", headers)
        # Bytes, rate and time left follow the percent since #20.
        self.assertRegex(
            err.split("\r")[-1], r"^\[={40}\] 100%  9\.8KiB / 9\.8KiB  \S+/s  ETA 0:00\n$"
        )

    def test_no_progress_frames_in_a_log(self):
        status, _, err = self.run_glance(
            "image-upload", "--file", self.data_file(), "--progress", base.IMAGE_ID
        )
        self.assertEqual((0, ""), (status, err))

    def test_stdin_with_size_and_store(self):
        self.requests.get(base.ENDPOINT + "/v2/info/stores", json=STORES)
        self.stdin(b"abc")
        status, _, err = self.run_glance(
            "image-upload", "--size", "3", "--store", "cheap", base.IMAGE_ID
        )
        self.assertEqual(0, status, err)
        self.assertEqual([b"abc"], self.received)
        headers = self.put.last_request.headers
        self.assertEqual("3", headers["x-openstack-image-size"])
        self.assertEqual("chunked", headers["Transfer-Encoding"])
        self.assertEqual("cheap", headers["x-image-meta-store"])

    def test_store_from_environment(self):
        self.useFixture(fixtures.EnvironmentVariable("OS_IMAGE_STORE", "nope"))
        self.requests.get(base.ENDPOINT + "/v2/info/stores", json=STORES)
        self.assert_failed(
            self.run_glance("image-upload", "--file", self.data_file(), base.IMAGE_ID),
            "Store nope is not valid for this cloud; valid stores: cheap, fast.",
        )
        self.assertFalse(self.put.called)

    def test_no_data(self):
        self.assert_failed(
            self.run_glance("image-upload", base.IMAGE_ID),
            "No image data: give --file, or pipe the data to stdin.",
        )

    def test_directory(self):
        self.assert_failed(
            self.run_glance("image-upload", "--file", self.tmp, base.IMAGE_ID),
            "Unable to read image data from %s: Is a directory" % self.tmp,
        )

    def test_size_mismatch(self):
        self.assert_failed(
            self.run_glance(
                "image-upload", "--file", self.data_file(b"ab"), "--size", "3", base.IMAGE_ID
            ),
            "Size mismatch: --size is 3 bytes, but %s has 2." % os.path.join(self.tmp, "image.raw"),
        )
        self.assertFalse(self.put.called)

    def test_wrong_state(self):
        self.json_error(
            "PUT",
            IMAGE_URL + "/file",
            409,
            "Conflict",
            "Image status transition from active to saving is not allowed",
        )
        status, _, err = self.run_glance("image-upload", "--file", self.data_file(), base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assertIn("HTTP 409 Conflict: Image status transition", err)
        self.assertEqual(1, len(err.splitlines()))


class ImageStageTest(DataTest):
    def test_stage(self):
        put = self.requests.put(IMAGE_URL + "/stage", status_code=204, text=self.receive)
        status, out, err = self.run_glance("image-stage", "--file", self.data_file(), base.IMAGE_ID)
        self.assertEqual((0, ""), (status, out), err)
        self.assertEqual([DATA], self.received)
        self.assertEqual(str(len(DATA)), put.last_request.headers["x-openstack-image-size"])


class ImageDownloadTest(DataTest):
    def serve(self, data: bytes = DATA, **fields):
        fields.setdefault("os_hash_algo", "sha512")
        fields.setdefault("os_hash_value", hashlib.sha512(data).hexdigest())
        self.requests.get(IMAGE_URL, json=cbase.image(size=len(data), **fields))
        return self.requests.get(
            IMAGE_URL + "/file",
            body=io.BytesIO(data),
            headers={"Content-Type": "application/octet-stream"},
        )

    def test_to_file(self):
        self.serve()
        target = os.path.join(self.tmp, "out.raw")
        status, out, err = self.run_on_terminal(
            "image-download", "--file", target, "--progress", base.IMAGE_ID
        )
        self.assertEqual(0, status, err)
        with open(target, "rb") as f:
            self.assertEqual(DATA, f.read())
        self.assertEqual(
            ["out.raw"], [n for n in os.listdir(self.tmp) if n.startswith(("out", ".out"))]
        )
        self.assertIn("100%", err)
        self.assertEqual(0o644 & ~0o022, os.stat(target).st_mode & 0o777 & ~0o022)

    def test_error_starts_a_line_of_its_own(self):
        first = b"x" * (2 * 1024 * 1024)

        class Broken(io.BytesIO):
            def read(self, *args, **kwargs):
                data = super().read(*args, **kwargs)
                if not data:
                    raise urllib3_exc.ProtocolError("Connection broken")
                return data

        self.requests.get(IMAGE_URL, json=cbase.image(size=3 * len(first)))
        self.requests.get(IMAGE_URL + "/file", body=Broken(first))
        status, _, err = self.run_on_terminal(
            "image-download", "--file", os.path.join(self.tmp, "out"), "--progress", base.IMAGE_ID
        )
        self.assertEqual(1, status)
        bar, error, end = err.rsplit("\n", 2)
        self.assertIn("%  2.0MiB / 6.0MiB", bar)
        self.assertTrue(error.startswith("glance: error: The connection to "), err)
        self.assertEqual("", end)

    def test_to_stdout_pipe(self):
        self.serve()
        status, out, err = self.run_binary("image-download", base.IMAGE_ID)
        self.assertEqual((0, ""), (status, err))
        self.assertEqual(DATA, out)

    def test_refuses_a_terminal(self):
        self.useFixture(fixtures.MonkeyPatch("sys.stdout", base.Terminal()))
        err = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch("sys.stderr", err))
        self.assertEqual(
            1,
            shell.main([*base.TOKEN_ARGS, "image-download", base.IMAGE_ID]),
        )
        self.assert_one_error_line(
            err.getvalue(),
            "Refusing to write image data to a terminal: use --file or redirect stdout.",
        )
        self.assertEqual([], self.requests.request_history)

    def test_hash_mismatch_leaves_no_file_and_keeps_the_old_one(self):
        self.serve(os_hash_value="0" * 128)
        target = os.path.join(self.tmp, "out.raw")
        with open(target, "wb") as f:
            f.write(b"previous")
        status, out, err = self.run_glance("image-download", "--file", target, base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assert_one_error_line(
            err,
            "[Errno 32] Corrupt image download. Hash was %s expected %s" % (SHA512, "0" * 128),
        )
        self.assertEqual(
            ["image.raw", "out.raw"]
            if os.path.exists(os.path.join(self.tmp, "image.raw"))
            else ["out.raw"],
            sorted(n for n in os.listdir(self.tmp) if n != "cache"),
        )
        with open(target, "rb") as f:
            self.assertEqual(b"previous", f.read())

    def test_md5_mismatch(self):
        self.serve(os_hash_algo=None, os_hash_value=None, checksum="0" * 32)
        target = os.path.join(self.tmp, "new.raw")
        status, _, err = self.run_glance("image-download", "--file", target, base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assertIn("Checksum was %s expected" % MD5, err)
        self.assertFalse(os.path.exists(target))

    def test_disk_full(self):
        self.serve()
        target = os.path.join(self.tmp, "full.raw")
        real_fdopen = os.fdopen

        class Full(io.FileIO):
            def write(self, data):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def fdopen(fd, mode="r", *args, **kwargs):
            return Full(fd, "w") if "w" in mode else real_fdopen(fd, mode, *args, **kwargs)

        self.useFixture(fixtures.MonkeyPatch("os.fdopen", fdopen))
        status, out, err = self.run_glance("image-download", "--file", target, base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assert_one_error_line(
            err, "Unable to download the image to %s: No space left on device" % target
        )
        self.assertEqual([], [n for n in os.listdir(self.tmp) if "full" in n])

    def test_device_is_written_directly(self):
        self.serve()
        status, _, err = self.run_glance("image-download", "--file", os.devnull, base.IMAGE_ID)
        self.assertEqual(0, status, err)

    def test_full_device(self):
        if not os.path.exists("/dev/full"):
            self.skipTest("no /dev/full")
        self.serve()
        status, _, err = self.run_glance("image-download", "--file", "/dev/full", base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assertIn("No space left on device", err)

    def test_no_data(self):
        self.requests.get(IMAGE_URL, json=cbase.image(size=None, status="queued"))
        self.requests.get(IMAGE_URL + "/file", status_code=204)
        self.assert_failed(
            self.run_glance("image-download", "--file", os.path.join(self.tmp, "x"), base.IMAGE_ID),
            "Image %s has no data." % base.IMAGE_ID,
        )
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "x")))

    def test_prefer_and_md5_fallback(self):
        self.useFixture(fixtures.EnvironmentVariable("OS_IMAGE_ALLOW_MD5_FALLBACK", "1"))
        fetch = self.serve(os_hash_algo="nosuch", os_hash_value="x", checksum=MD5)
        status, out, err = self.run_binary(
            "image-download", "--prefer", "fast,cheap", base.IMAGE_ID
        )
        self.assertEqual((0, ""), (status, err))
        self.assertEqual(DATA, out)
        self.assertEqual(["fast,cheap"], fetch.last_request.qs["prefer"])

    def test_unknown_algorithm_without_fallback(self):
        self.serve(os_hash_algo="nosuch", os_hash_value="x")
        status, _, err = self.run_binary("image-download", base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertIn("nosuch", err)


class ImageImportTest(DataTest):
    def setUp(self):
        super().setUp()
        self.requests.get(base.ENDPOINT + "/v2/info/import", json=IMPORT_INFO)
        self.requests.get(base.ENDPOINT + "/v2/info/stores", json=STORES)
        self.start = self.requests.post(IMAGE_URL + "/import", status_code=202)

    def test_glance_direct(self):
        self.requests.get(IMAGE_URL, json=cbase.image(status="uploading"))
        status, out, err = self.run_glance("image-import", base.IMAGE_ID)
        self.assertEqual(0, status, err)
        self.assertEqual({"method": {"name": "glance-direct"}}, self.start.last_request.json())
        self.assertEqual("uploading", tables.properties(out)["status"])

    def test_copy_image_to_stores(self):
        self.requests.get(IMAGE_URL, json=cbase.image())
        status, _, err = self.run_glance(
            "image-import",
            "--import-method",
            "copy-image",
            "--stores",
            "fast,cheap",
            "--allow-failure",
            "False",
            base.IMAGE_ID,
        )
        self.assertEqual(0, status, err)
        self.assertEqual(
            {"method": {"name": "copy-image"}, "stores": ["fast", "cheap"]},
            self.start.last_request.json(),
        )

    def test_web_download(self):
        self.requests.get(IMAGE_URL, json=cbase.image(status="queued"))
        status, _, err = self.run_glance(
            "image-import", "--import-method", "web-download", "--uri", "http://x/y", base.IMAGE_ID
        )
        self.assertEqual(0, status, err)
        self.assertEqual(
            {"method": {"name": "web-download", "uri": "http://x/y"}},
            self.start.last_request.json(),
        )

    def test_refusals(self):
        self.requests.get(IMAGE_URL, json=cbase.image(status="queued"))
        cases = [
            (
                ("--import-method", "nosuch"),
                "Import method nosuch is not offered by this cloud; "
                "it offers: glance-direct, web-download, copy-image.",
            ),
            (("--uri", "http://x"), "--uri is only for the web-download import method."),
            (
                ("--import-method", "web-download"),
                "The web-download import method needs --uri <uri>.",
            ),
            (
                ("--store", "fast", "--stores", "cheap"),
                "Give only one of --store, --stores and --all-stores.",
            ),
            (
                ("--import-method", "copy-image", "--stores", "slow"),
                "Store slow is not valid for this cloud; valid stores: cheap, fast.",
            ),
            (
                (),
                "The glance-direct import method needs the image in status uploading; "
                "image %s is queued." % base.IMAGE_ID,
            ),
            (("--all-stores", "yes!"), None),
        ]
        for options, message in cases:
            result = self.run_glance("image-import", *options, base.IMAGE_ID)
            if message is None:
                self.assertEqual(2, result[0])
            else:
                self.assert_failed(result, message)
        self.assertFalse(self.start.called)

    def test_needs_formats(self):
        self.requests.get(IMAGE_URL, json=cbase.image(status="uploading", disk_format=None))
        self.assert_failed(
            self.run_glance("image-import", base.IMAGE_ID),
            "Set the container_format and disk_format of image %s before importing it."
            % base.IMAGE_ID,
        )


class ImageCreateViaImportTest(DataTest):
    def setUp(self):
        super().setUp()
        self.requests.get(base.ENDPOINT + "/v2/info/import", json=IMPORT_INFO)
        self.create = self.requests.post(
            cbase.IMAGES_URL, json=cbase.image(status="queued"), status_code=201
        )
        self.stage = self.requests.put(IMAGE_URL + "/stage", status_code=204, text=self.receive)
        self.start = self.requests.post(IMAGE_URL + "/import", status_code=202)
        self.requests.get(IMAGE_URL, json=cbase.image(status="importing"))

    def test_glance_direct_from_file(self):
        status, out, err = self.run_glance(
            "image-create-via-import",
            "--name",
            "x",
            "--disk-format",
            "raw",
            "--container-format",
            "bare",
            "--file",
            self.data_file(),
        )
        self.assertEqual(0, status, err)
        self.assertEqual(
            {"name": "x", "disk_format": "raw", "container_format": "bare"},
            self.create.last_request.json(),
        )
        self.assertEqual([DATA], self.received)
        self.assertEqual({"method": {"name": "glance-direct"}}, self.start.last_request.json())
        self.assertEqual("importing", tables.properties(out)["status"])

    def test_web_download_from_environment(self):
        self.useFixture(fixtures.EnvironmentVariable("OS_IMAGE_IMPORT_METHOD", "web-download"))
        status, _, err = self.run_glance(
            "image-create-via-import",
            "--disk-format",
            "raw",
            "--container-format",
            "bare",
            "--uri",
            "http://x/y",
        )
        self.assertEqual(0, status, err)
        self.assertFalse(self.stage.called)
        self.assertEqual("web-download", self.start.last_request.json()["method"]["name"])

    def test_no_method_only_creates(self):
        status, _, err = self.run_glance("image-create-via-import", "--name", "x")
        self.assertEqual(0, status, err)
        self.assertTrue(self.create.called)
        self.assertFalse(self.start.called)

    def test_refusals(self):
        cases = [
            (
                ("--import-method", "copy-image"),
                "The copy-image method copies an existing image: use image-import.",
            ),
            (
                ("--import-method", "glance-direct"),
                "The glance-direct import method needs image data: "
                "give --file or pipe it to stdin.",
            ),
            (
                (
                    "--import-method",
                    "web-download",
                    "--uri",
                    "http://x",
                    "--file",
                    self.data_file(),
                ),
                "Image data (--file or stdin) is only for the glance-direct import method.",
            ),
            (("--stores", "a"), "Give --import-method to import."),
        ]
        for options, message in cases:
            self.assert_failed(self.run_glance("image-create-via-import", *options), message)
        self.assertFalse(self.create.called)
