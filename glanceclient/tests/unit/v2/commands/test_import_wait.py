"""``--wait`` of ``glance image-import`` and ``image-create-via-import``:
the import followed to ``active`` or to its failure, per store for a
multi-store import."""

from __future__ import annotations

import fixtures

from glanceclient.tests import tables
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2.commands import base as cbase

IMAGE_URL = cbase.IMAGE_URL
TASKS_URL = IMAGE_URL + "/tasks"
IMPORT_INFO = {"import-methods": {"value": ["glance-direct", "web-download", "copy-image"]}}
STORES = {"stores": [{"id": "fast", "default": "true"}, {"id": "cheap"}, {"id": "slow"}]}
LOCKED = {"os_glance_import_task": "t-1"}


class WaitTest(cbase.CommandTest):
    def setUp(self):
        super().setUp()
        self.useFixture(
            fixtures.MonkeyPatch("glanceclient.v2.commands.import_wait.WAIT_INTERVAL", 0)
        )
        self.requests.get(base.ENDPOINT + "/v2/info/import", json=IMPORT_INFO)
        self.requests.get(base.ENDPOINT + "/v2/info/stores", json=STORES)
        self.start = self.requests.post(IMAGE_URL + "/import", status_code=202)

    def images(self, *states: dict) -> None:
        """The image as it is seen, look after look (the last one stays)."""
        self.requests.get(IMAGE_URL, [{"json": cbase.image(**state)} for state in states])

    def web_download(self, *options: str) -> tuple[int, str, str]:
        """``glance image-import --import-method web-download`` of the image."""
        return self.run_glance(
            "image-import", "--import-method", "web-download", "--uri", "http://x/y", *options
        )

    def looks(self) -> int:
        path = "/v2/images/" + base.IMAGE_ID
        return sum(1 for r in self.requests.request_history if r.path == path)

    def test_web_download_followed_to_active(self):
        self.images(
            {"status": "queued"},  # checked before the import
            {"status": "importing", **LOCKED},
            {"status": "importing", **LOCKED},
            {"status": "active", "stores": "fast"},
        )
        status, out, err = self.web_download("--wait", base.IMAGE_ID)
        self.assertEqual((0, ""), (status, err))
        self.assertEqual("active", tables.properties(out)["status"])
        self.assertEqual(4, self.looks())

    def test_failure_says_why(self):
        self.images(
            {"status": "queued"},
            {"status": "importing", **LOCKED},
            {"status": "queued"},
        )
        self.requests.get(
            TASKS_URL,
            json={
                "tasks": [
                    {
                        "type": "api_image_import",
                        "status": "failure",
                        "message": "Error in store configuration. Adding images to store "
                        "is disabled.",
                    }
                ]
            },
        )
        status, out, err = self.web_download("--wait", base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assertEqual("queued", tables.properties(out)["status"])
        self.assert_one_error_line(
            err,
            "The import of image %s failed; it is queued: Error in store configuration. "
            "Adding images to store is disabled." % base.IMAGE_ID,
        )

    def test_per_store_results(self):
        self.images(
            {"status": "active", "stores": "fast"},
            {
                "status": "active",
                "stores": "fast",
                "os_glance_importing_to_stores": "cheap,slow",
                **LOCKED,
            },
            {"status": "active", "stores": "fast,cheap", "os_glance_failed_import": "slow"},
        )
        status, out, err = self.run_glance(
            "image-import",
            "--import-method",
            "copy-image",
            "--stores",
            "cheap,slow",
            "--wait",
            base.IMAGE_ID,
        )
        self.assertEqual(0, status, err)
        self.assertEqual(
            "glance: warning: Image %s was not imported to store(s) slow.\n" % base.IMAGE_ID, err
        )
        rows = tables.table(out)
        self.assertIn(["cheap", "imported"], rows)
        self.assertIn(["slow", "failed"], rows)
        status, out, err = self.run_glance(
            "image-import",
            "--import-method",
            "copy-image",
            "--stores",
            "cheap,slow",
            "--allow-failure",
            "False",
            "--wait",
            base.IMAGE_ID,
        )
        self.assertEqual(1, status)
        self.assertIn("was not imported to store(s) slow.", err)

    def test_gives_up_after_the_wait_timeout(self):
        self.images({"status": "queued"}, {"status": "importing", **LOCKED})
        status, _, err = self.web_download("--wait", "--wait-timeout", "0.01", base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assert_one_error_line(
            err, "Image %s is still importing after 0.01 seconds." % base.IMAGE_ID
        )

    def test_create_via_import_waits(self):
        self.requests.post(cbase.IMAGES_URL, json=cbase.image(status="queued"), status_code=201)
        self.images({"status": "importing", **LOCKED}, {"status": "active", "stores": "fast"})
        status, out, err = self.run_glance(
            "image-create-via-import",
            "--name",
            "x",
            "--disk-format",
            "raw",
            "--container-format",
            "bare",
            "--import-method",
            "web-download",
            "--uri",
            "http://x/y",
            "--wait",
        )
        self.assertEqual(0, status, err)
        self.assertEqual("active", tables.properties(out)["status"])

    def test_without_wait_nothing_is_followed(self):
        self.images({"status": "queued"}, {"status": "importing", **LOCKED})
        status, out, _ = self.web_download(base.IMAGE_ID)
        self.assertEqual(0, status)
        self.assertEqual("importing", tables.properties(out)["status"])
