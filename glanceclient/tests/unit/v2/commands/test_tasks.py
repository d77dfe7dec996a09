"""The ``glance task-*`` commands: the real main() with argv, the server
answered through requests-mock."""

from __future__ import annotations

from glanceclient.tests import tables
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2 import base as v2base
from glanceclient.tests.unit.v2.commands import base as cbase


class TaskCommandsTest(cbase.CommandTest):
    def test_list(self):
        self.requests.get(
            v2base.TASKS_URL,
            json={"tasks": [v2base.task(), v2base.task("b", type="import", status="failure")]},
        )
        code, out, err = self.run_glance("task-list", "--type", "import", "--page-size", "5")
        self.assertEqual(0, code, err)
        self.assertEqual(
            [
                ["ID", "Type", "Status", "Owner"],
                [v2base.TASK_ID, "api_image_import", "success", "admin"],
                ["b", "import", "failure", "admin"],
            ],
            tables.table(out),
        )
        self.assertEqual(
            {"type": ["import"], "sort_key": ["status"], "sort_dir": ["desc"], "limit": ["5"]},
            self.requests.last_request.qs,
        )

    def test_list_bad_sort_key(self):
        code, _, err = self.run_glance("task-list", "--sort-key", "owner")
        self.assertEqual(2, code)
        self.assertIn("invalid choice: 'owner'", err)
        self.assertEqual([], self.requests.request_history)

    def test_show(self):
        self.requests.get(v2base.TASKS_URL + "/" + v2base.TASK_ID, json=v2base.task(message=""))
        code, out, _ = self.run_glance("task-show", v2base.TASK_ID)
        self.assertEqual(0, code)
        shown = dict(tables.table(out)[1:])
        self.assertEqual(["id", "input", "message", "owner", "status", "type"], sorted(shown))
        self.assertEqual('{"image_id": "%s"}' % base.IMAGE_ID, shown["input"])

    def test_show_unknown(self):
        self.json_error(
            "GET",
            v2base.TASKS_URL + "/nope",
            404,
            "Not Found",
            "Task with identifier nope not found",
        )
        code, _, err = self.run_glance("task-show", "nope")
        self.assertEqual(1, code)
        self.assertIn("HTTP 404 Not Found: Task with identifier nope not found", err)
        self.assertEqual(1, len(err.splitlines()))

    def test_create(self):
        self.requests.get(base.ENDPOINT + "/v2/schemas/task", json=v2base.SCHEMAS["task"])
        post = self.requests.post(
            v2base.TASKS_URL, status_code=201, json=v2base.task(type="import", status="pending")
        )
        code, out, err = self.run_glance(
            "task-create", "--type", "import", "--input", '{"import_from": "x"}'
        )
        self.assertEqual(0, code, err)
        self.assertEqual(
            {"type": "import", "input": {"import_from": "x"}}, post.last_request.json()
        )
        self.assertEqual("pending", dict(tables.table(out)[1:])["status"])

    def test_create_bad_input(self):
        code, out, err = self.run_glance("task-create", "--type", "import", "--input", "{nope")
        self.assertEqual(1, code)
        self.assertEqual(1, len(err.splitlines()))
        self.assertTrue(err.startswith("glance: error: --input is not valid JSON: "))
        self.expect_error(
            ["task-create", "--input", "{}"], "Unable to create task. Specify task type and input."
        )
        self.assertEqual([], self.requests.request_history)
