"""``glance image-list``, ``-show``, ``-create``, ``-update``, ``-delete``,
``-deactivate``, ``-reactivate`` and ``-tasks`` through the real main()."""

from __future__ import annotations

import json
import os

from glanceclient.cli import schema_options
from glanceclient.tests import tables
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2 import base as v2base
from glanceclient.tests.unit.v2.commands import base as cbase

IMAGES_URL = cbase.IMAGES_URL
IMAGE_URL = cbase.IMAGE_URL


class ImageListTest(cbase.CommandTest):
    def test_default_columns_and_query(self):
        self.requests.get(
            IMAGES_URL,
            json={"images": [cbase.image(), cbase.image(id=base.OTHER_ID, name=None)]},
        )
        status, out, err = self.run_glance("image-list")
        self.assertEqual(0, status, err)
        self.assertEqual(
            [["ID", "Name"], [base.IMAGE_ID, "cirros"], [base.OTHER_ID, ""]], tables.table(out)
        )
        self.assertEqual(
            {"limit": ["200"], "sort_key": ["name"], "sort_dir": ["asc"]},
            self.requests.last_request.qs,
        )

    def test_verbose_and_stores_columns(self):
        self.requests.get(IMAGES_URL, json={"images": [cbase.image(stores="s1,s2")]})
        status, out, _ = self.run_glance("--verbose", "image-list", "--include-stores")
        self.assertEqual(0, status)
        self.assertEqual(
            [
                [
                    "ID",
                    "Name",
                    "Disk_format",
                    "Container_format",
                    "Size",
                    "Status",
                    "Owner",
                    "Stores",
                ],
                [base.IMAGE_ID, "cirros", "raw", "bare", "3", "active", "p1", "s1,s2"],
            ],
            tables.table(out),
        )

    def test_filters_and_sorting(self):
        self.requests.get(IMAGES_URL, json={"images": []})
        status, out, err = self.run_glance(
            "image-list",
            "--visibility",
            "public",
            "--owner",
            "p1",
            "--tag",
            "a",
            "--tag",
            "b",
            "--property-filter",
            "os_distro=ubuntu",
            "--hidden",
            "--hash",
            "abc",
            "--sort-key",
            "size",
            "--sort-dir",
            "desc",
            "--page-size",
            "5",
        )
        self.assertEqual(0, status, err)
        query = self.requests.last_request.qs
        self.assertEqual(["public"], query["visibility"])
        self.assertEqual(["p1"], query["owner"])
        self.assertEqual(["a", "b"], query["tag"])
        self.assertEqual(["ubuntu"], query["os_distro"])
        self.assertEqual(["true"], query["os_hidden"])
        self.assertEqual(["abc"], query["os_hash_value"])
        self.assertEqual(["size"], query["sort_key"])
        self.assertEqual(["desc"], query["sort_dir"])
        self.assertEqual(["5"], query["limit"])

    def test_sort_and_limit(self):
        self.requests.get(
            IMAGES_URL,
            json={"images": [cbase.image(), cbase.image(id=base.OTHER_ID)], "next": "/v2/x"},
        )
        status, out, _ = self.run_glance("image-list", "--sort", "name:desc,size", "--limit", "1")
        self.assertEqual(0, status)
        self.assertEqual(2, len(tables.table(out)))
        self.assertEqual(["name:desc,size"], self.requests.last_request.qs["sort"])
        self.assertEqual(1, len(self.requests.request_history))

    def test_sort_with_sort_key_is_refused(self):
        result = self.run_glance("image-list", "--sort", "name", "--sort-key", "size")
        self.assert_failed(result, "--sort cannot be used with --sort-key or --sort-dir.")
        self.assertEqual([], self.requests.request_history)

    def test_bad_property_filter(self):
        result = self.run_glance("image-list", "--property-filter", "novalue")
        self.assert_failed(result, "--property-filter takes KEY=VALUE, not 'novalue'.")

    def test_bad_sort_key_is_a_usage_error(self):
        status, _, err = self.run_glance("image-list", "--sort-key", "nope")
        self.assertEqual(2, status)
        self.assertIn("invalid choice", err)


class ImageShowTest(cbase.CommandTest):
    def test_property_value_table(self):
        self.requests.get(IMAGE_URL, json=cbase.image(tags=["a", "b"], size=3 * 1024 * 1024))
        status, out, err = self.run_glance("image-show", base.IMAGE_ID)
        self.assertEqual(0, status, err)
        shown = tables.properties(out)
        self.assertEqual('["a", "b"]', shown["tags"])
        self.assertEqual("3145728", shown["size"])
        self.assertEqual("", shown["checksum"])
        for hidden in ("self", "file", "schema"):
            self.assertNotIn(hidden, shown)
        self.assertEqual(sorted(shown), list(shown))

    def test_human_readable_and_wrapping(self):
        self.requests.get(IMAGE_URL, json=cbase.image(size=3 * 1024 * 1024, description="x" * 25))
        status, out, _ = self.run_glance(
            "image-show", "--human-readable", "--max-column-width", "10", base.IMAGE_ID
        )
        self.assertEqual(0, status)
        shown = tables.properties(out)
        self.assertEqual("3.0MiB", shown["size"])
        rows = tables.table(out)
        at = rows.index(["description", "x" * 10])
        self.assertEqual([["", "x" * 10], ["", "x" * 5]], rows[at + 1 : at + 3])

    def test_by_name(self):
        self.requests.get(IMAGES_URL, json={"images": [cbase.image()]})
        self.requests.get(IMAGE_URL, json=cbase.image())
        status, out, _ = self.run_glance("image-show", "cirros")
        self.assertEqual(0, status)
        self.assertEqual(["eq:cirros"], self.requests.request_history[0].qs["name"])

    def test_unknown_and_ambiguous_names(self):
        self.requests.get(IMAGES_URL, json={"images": []})
        self.assert_failed(
            self.run_glance("image-show", "nope"), "No image with a name or ID of 'nope' exists."
        )
        self.requests.get(
            IMAGES_URL, json={"images": [cbase.image(), cbase.image(id=base.OTHER_ID)]}
        )
        self.assert_failed(
            self.run_glance("image-show", "cirros"),
            "More than one image is named 'cirros'; use an ID: %s, %s."
            % (base.IMAGE_ID, base.OTHER_ID),
        )

    def test_unknown_id(self):
        self.json_error("GET", IMAGE_URL, 404, "Not Found", "No image found with ID x")
        status, out, err = self.run_glance("image-show", base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assertIn("HTTP 404 Not Found: No image found with ID x", err)
        self.assertEqual(1, len(err.splitlines()))


class ImageCreateTest(cbase.CommandTest):
    def receive(self, request, context) -> str:
        body = request.body
        self.uploaded.append(body if isinstance(body, bytes) else b"".join(body))
        return ""

    def setUp(self):
        super().setUp()
        self.create = self.requests.post(
            IMAGES_URL, json=cbase.image(status="queued"), status_code=201
        )
        self.uploaded: list[bytes] = []
        self.put = self.requests.put(IMAGE_URL + "/file", status_code=204, text=self.receive)
        self.requests.get(IMAGE_URL, json=cbase.image())

    def test_schema_options_and_properties(self):
        status, out, err = self.run_glance(
            "image-create",
            "--name",
            "cirros",
            "--min-ram",
            "512",
            "--protected",
            "True",
            "--tags",
            "a",
            "b",
            "--hidden",
            "false",
            "--os-distro",
            "cirros",
            "--property",
            "hw_rng=yes",
            "--property",
            "k=v=w",
        )
        self.assertEqual(0, status, err)
        self.assertEqual(
            {
                "name": "cirros",
                "min_ram": 512,
                "protected": True,
                "tags": ["a", "b"],
                "os_hidden": False,
                "os_distro": "cirros",
                "hw_rng": "yes",
                "k": "v=w",
            },
            self.create.last_request.json(),
        )
        self.assertFalse(self.put.called)
        self.assertEqual("queued", tables.properties(out)["status"])

    def test_keeps_the_fetched_schema(self):
        served = dict(
            cbase.SCHEMA, properties={**cbase.SCHEMA["properties"], "hw_x": {"type": "string"}}
        )
        self.requests.get(cbase.SCHEMA_URL, json=served)
        self.assertEqual(0, self.run_glance("image-create", "--name", "x")[0])
        self.assertIn("hw_x", schema_options.load()["properties"])
        status, out, _ = self.run_glance("help", "image-create")
        self.assertIn("--hw-x <HW_X>", out)
        self.assertEqual(0, self.run_glance("image-create", "--hw-x", "1")[0])
        self.assertEqual({"hw_x": "1"}, self.create.last_request.json())

    def test_get_schema_option(self):
        served = dict(
            cbase.SCHEMA, properties={**cbase.SCHEMA["properties"], "hw_y": {"type": "integer"}}
        )
        self.requests.get(cbase.SCHEMA_URL, json=served)
        self.requests.get(IMAGES_URL, json={"images": []})
        for name in ("metadefs/namespace", "metadefs/resource_type"):
            self.requests.get(base.ENDPOINT + "/v2/schemas/" + name, json=v2base.SCHEMAS[name])
        self.assertEqual(0, self.run_glance("--get-schema", "image-list")[0])
        self.assertIn("hw_y", schema_options.load()["properties"])
        for name in ("metadefs/namespace", "metadefs/resource_type"):
            self.assertEqual(v2base.SCHEMAS[name], schema_options.load(name))

    def test_schema_violation_is_one_line(self):
        status, out, err = self.run_glance("image-create", "--visibility", "everyone")
        self.assertEqual(1, status)
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertIn("everyone", err)
        self.assertFalse(self.create.called)

    def test_bad_boolean_and_integer_are_usage_errors(self):
        self.assertEqual(2, self.run_glance("image-create", "--protected", "maybe")[0])
        self.assertEqual(2, self.run_glance("image-create", "--min-ram", "lots")[0])
        self.assertFalse(self.create.called)

    def test_bad_property(self):
        self.assert_failed(
            self.run_glance("image-create", "--property", "novalue"),
            "--property takes KEY=VALUE, not 'novalue'.",
        )

    def test_with_file(self):
        path = os.path.join(self.tmp, "data")
        with open(path, "wb") as f:
            f.write(b"abc")
        status, out, err = self.run_glance(
            "image-create", "--disk-format", "raw", "--container-format", "bare", "--file", path
        )
        self.assertEqual(0, status, err)
        self.assertEqual([b"abc"], self.uploaded)
        self.assertEqual("3", self.put.last_request.headers["x-openstack-image-size"])
        self.assertEqual(("GET", "/v2/images/" + base.IMAGE_ID), self.paths()[-1])
        self.assertEqual("active", tables.properties(out)["status"])

    def test_from_stdin(self):
        self.stdin(b"piped")
        status, out, err = self.run_glance(
            "image-create", "--disk-format", "raw", "--container-format", "bare"
        )
        self.assertEqual(0, status, err)
        self.assertEqual([b"piped"], self.uploaded)
        self.assertNotIn("x-openstack-image-size", self.put.last_request.headers)

    def test_dev_null_stdin_is_no_data(self):
        with open(os.devnull, "rb") as null:
            self.useFixture(cbase.fixtures.MonkeyPatch("sys.stdin", null))
            status, _, err = self.run_glance("image-create", "--name", "x")
        self.assertEqual(0, status, err)
        self.assertFalse(self.put.called)

    def test_data_needs_formats(self):
        self.stdin(b"x")
        self.assert_failed(
            self.run_glance("image-create", "--disk-format", "raw"),
            "Must provide --container-format when using stdin.",
        )
        path = os.path.join(self.tmp, "data")
        open(path, "wb").close()
        self.assert_failed(
            self.run_glance("image-create", "--file", path),
            "Must provide --container-format, --disk-format when using --file.",
        )
        self.assertFalse(self.create.called)

    def test_missing_file(self):
        path = os.path.join(self.tmp, "missing")
        self.assert_failed(
            self.run_glance("image-create", "--file", path),
            "Unable to read image data from %s: No such file or directory" % path,
        )
        self.assertFalse(self.create.called)

    def test_size_mismatch(self):
        path = os.path.join(self.tmp, "data")
        with open(path, "wb") as f:
            f.write(b"abc")
        self.assert_failed(
            self.run_glance(
                "image-create",
                "--disk-format",
                "raw",
                "--container-format",
                "bare",
                "--file",
                path,
                "--size",
                "4",
            ),
            "Size mismatch: --size is 4 bytes, but %s has 3." % path,
        )
        self.assertFalse(self.create.called)

    def test_store(self):
        self.requests.get(
            base.ENDPOINT + "/v2/info/stores", json={"stores": [{"id": "s1"}, {"id": "s2"}]}
        )
        self.stdin(b"x")
        args = ("image-create", "--disk-format", "raw", "--container-format", "bare")
        self.assert_failed(
            self.run_glance(*args, "--store", "s3"),
            "Store s3 is not valid for this cloud; valid stores: s1, s2.",
        )
        self.assertFalse(self.create.called)
        self.stdin(b"x")
        self.assertEqual(0, self.run_glance(*args, "--store", "s2")[0])
        self.assertEqual("s2", self.put.last_request.headers["x-image-meta-store"])

    def test_store_without_data(self):
        self.assert_failed(
            self.run_glance("image-create", "--store", "s1"),
            "--store needs image data: give --file, or pipe the data to stdin.",
        )

    def test_failed_upload_names_the_image(self):
        self.json_error("PUT", IMAGE_URL + "/file", 413, "Request Entity Too Large", "quota")
        self.stdin(b"x")
        status, out, err = self.run_glance(
            "image-create", "--disk-format", "raw", "--container-format", "bare"
        )
        self.assertEqual(1, status)
        self.assertIn(
            "Image %s was created, but uploading its data failed: HTTP 413" % base.IMAGE_ID, err
        )
        self.assertEqual(1, len(err.splitlines()))

    def test_interrupted_upload_names_the_image(self):
        self.requests.put(IMAGE_URL + "/file", exc=KeyboardInterrupt)
        self.stdin(b"x")
        status, _out, err = self.run_glance(
            "image-create", "--disk-format", "raw", "--container-format", "bare"
        )
        self.assertEqual(130, status, err)
        self.assertIn("Image %s was created; its data was not uploaded." % base.IMAGE_ID, err)
        self.assertTrue(err.endswith("glance: error: interrupted (SIGINT)\n"), err)


class ImageUpdateTest(cbase.CommandTest):
    def test_patch(self):
        self.requests.get(IMAGE_URL, json=cbase.image(old="x"))
        patch = self.requests.patch(IMAGE_URL, json=cbase.image(name="new"))
        status, out, err = self.run_glance(
            "image-update",
            "--name",
            "new",
            "--property",
            "k=v",
            "--remove-property",
            "old",
            base.IMAGE_ID,
        )
        self.assertEqual(0, status, err)
        self.assertEqual(
            [
                {"op": "remove", "path": "/old"},
                {"op": "add", "path": "/name", "value": "new"},
                {"op": "add", "path": "/k", "value": "v"},
            ],
            patch.last_request.json(),
        )
        self.assertEqual("new", tables.properties(out)["name"])

    def test_no_id_or_tags_options(self):
        status, _, err = self.run_glance("image-update", "--tags", "a", base.IMAGE_ID)
        self.assertEqual(2, status)
        self.assertIn("unrecognized arguments", err)


class ImageDeleteTest(cbase.CommandTest):
    def test_several_one_fails(self):
        self.requests.delete(IMAGE_URL, status_code=204)
        self.json_error("DELETE", IMAGES_URL + "/" + base.OTHER_ID, 409, "Conflict", "in use")
        self.requests.get(IMAGES_URL, json={"images": []})
        status, out, err = self.run_glance("image-delete", base.IMAGE_ID, base.OTHER_ID, "gone")
        self.assertEqual(1, status)
        lines = err.splitlines()
        self.assertEqual(2, len(lines), err)
        self.assertIn(
            "Unable to delete image %s: HTTP 409 Conflict: in use" % base.OTHER_ID, lines[0]
        )
        self.assertIn("Unable to delete image gone: No image with a name or ID of 'gone'", lines[1])
        self.assertEqual(2, len([r for r in self.requests.request_history if r.method == "DELETE"]))

    def test_all_good(self):
        self.requests.delete(IMAGE_URL, status_code=204)
        self.assertEqual((0, "", ""), self.run_glance("image-delete", base.IMAGE_ID))


class ImageActionsTest(cbase.CommandTest):
    def test_deactivate_reactivate(self):
        for action in ("deactivate", "reactivate"):
            self.requests.post(IMAGE_URL + "/actions/" + action, status_code=204)
            self.assertEqual((0, "", ""), self.run_glance("image-" + action, base.IMAGE_ID))
            self.assertEqual(
                ("POST", "/v2/images/%s/actions/%s" % (base.IMAGE_ID, action)), self.paths()[-1]
            )

    def test_wrong_role(self):
        self.json_error(
            "POST", IMAGE_URL + "/actions/deactivate", 403, "Forbidden", "You are not authorized"
        )
        status, _, err = self.run_glance("image-deactivate", base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assertIn("HTTP 403 Forbidden: You are not authorized", err)


class ImageTasksTest(cbase.CommandTest):
    TASK = {
        "id": "t1",
        "image_id": base.IMAGE_ID,
        "message": "Copied 1 MiB",
        "status": "success",
        "updated_at": "2026-11-25T10:00:00Z",
        "result": {"image_id": base.IMAGE_ID},
    }

    def test_columns(self):
        self.mock_versions()
        self.requests.get(IMAGE_URL + "/tasks", json={"tasks": [self.TASK]})
        status, out, err = self.run_glance("image-tasks", base.IMAGE_ID)
        self.assertEqual(0, status, err)
        self.assertEqual(
            [
                ["Message", "Status", "Updated at"],
                ["Copied 1 MiB", "success", "2026-11-25T10:00:00Z"],
            ],
            tables.table(out),
        )
        status, out, _ = self.run_glance("-v", "image-tasks", base.IMAGE_ID)
        header, row = tables.table(out)
        self.assertEqual("Result", header[7])
        self.assertEqual(json.dumps(self.TASK["result"]), row[7])
        # Upstream's order; Task Id shows the task's "id".
        self.assertEqual(
            [
                "Image Id",
                "Task Id",
                "Message",
                "Status",
                "Updated at",
                "User Id",
                "Request Id",
                "Result",
                "Owner",
                "Input",
                "Expires at",
            ],
            header,
        )
        self.assertEqual([base.IMAGE_ID, "t1", "Copied 1 MiB", "success"], row[:4])
