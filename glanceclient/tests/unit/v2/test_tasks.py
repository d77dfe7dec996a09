"""The tasks controller through the real keystoneauth1 Session and
requests-mock."""

from __future__ import annotations

import inspect

from glanceclient import exc
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2 import base as v2base


class TasksTest(v2base.ControllerTestCase):
    def test_list_pages(self):
        self.requests.get(
            v2base.TASKS_URL,
            [
                {
                    "json": {
                        "tasks": [v2base.task("a"), v2base.task("b")],
                        "next": "/v2/tasks?marker=b",
                    }
                },
                {
                    "json": {"tasks": [v2base.task("c")]},
                    "headers": {"x-openstack-request-id": "req-2"},
                },
            ],
        )
        listing = self.gc.tasks.list(page_size=2, filters={"type": "import", "status": "success"})
        self.assertTrue(inspect.isgenerator(listing))
        self.assertEqual(["a", "b", "c"], [t.id for t in listing])
        first, second = self.requests.request_history
        self.assertEqual({"type": ["import"], "status": ["success"], "limit": ["2"]}, first.qs)
        self.assertEqual({"marker": ["b"], "limit": ["2"]}, second.qs)
        self.assertEqual([None, "req-2"], listing.request_ids)

    def test_list_limit_and_sort(self):
        self.requests.get(
            v2base.TASKS_URL, json={"tasks": [v2base.task("a"), v2base.task("b"), v2base.task("c")]}
        )
        found = list(self.gc.tasks.list(limit=2, sort_key="type", sort_dir="asc", marker="z"))
        self.assertEqual(["a", "b"], [t.id for t in found])
        self.assertEqual(
            {"sort_key": ["type"], "sort_dir": ["asc"], "marker": ["z"], "limit": ["2"]},
            self.requests.last_request.qs,
        )
        self.assertNotIn("self", found[0])

    def test_list_bad_sort(self):
        self.assertRaises(ValueError, self.gc.tasks.list, sort_key="owner")
        self.assertRaises(ValueError, self.gc.tasks.list, sort_dir="sideways")
        self.assertEqual([], self.requests.request_history)

    def test_get(self):
        self.answer("GET", v2base.TASKS_URL + "/" + v2base.TASK_ID, v2base.task())
        found = self.gc.tasks.get(v2base.TASK_ID)
        self.assertEqual("api_image_import", found.type)
        self.assertEqual([base.REQUEST_ID], found.request_ids)

    def test_get_unknown(self):
        self.requests.get(v2base.TASKS_URL + "/nope", status_code=404)
        self.assertRaises(exc.HTTPNotFound, self.gc.tasks.get, "nope")

    def test_create(self):
        self.mock_schema("task")
        post = self.answer(
            "POST", v2base.TASKS_URL, v2base.task(status="pending", type="import"), 201
        )
        made = self.gc.tasks.create(type="import", input={"import_from": "http://x"})
        self.assertEqual(
            {"type": "import", "input": {"import_from": "http://x"}}, post.last_request.json()
        )
        self.assertEqual("pending", made.status)

    def test_create_invalid(self):
        self.mock_schema("task")
        self.assertRaises(TypeError, self.gc.tasks.create, type="bake", input={})
        self.assertRaises(TypeError, self.gc.tasks.create, type="import", input="x")
        self.assertNotIn("POST", [r.method for r in self.requests.request_history])
