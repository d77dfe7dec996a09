"""Tasks on a real Glance: the SDK and the ``glance task-*`` commands."""

from __future__ import annotations

import uuid

from glanceclient.tests import tables
from glanceclient.tests.functional import base


class TasksTest(base.MetadefsTest):
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
