"""The ``glance cache-*`` commands: the real main() with argv, stdout, stderr
and exit status captured, the server answered through requests-mock (or,
for hostile record fields, by a server on 127.0.0.1)."""

from __future__ import annotations

import json
import textwrap

import requests

from glanceclient import shell
from glanceclient.tests import tables
from glanceclient.tests.fakeglance import routes as fakeglance
from glanceclient.tests.unit import base


class CacheNodesListTest(base.ShellTestCase):
    def setUp(self):
        super().setUp()
        self.mock_versions()

    def test_by_id_sorted_table(self):
        self.requests.get(base.NODES_URL, json=["http://node_b:60999", "http://node_a:60999"])
        status, out, err = self.run_glance("cache-nodes-list", base.IMAGE_ID)
        self.assertEqual(0, status, err)
        self.assertEqual("", err)
        self.assertEqual(
            textwrap.dedent("""\
                +---------------------+
                | Node Reference URL  |
                +---------------------+
                | http://node_a:60999 |
                | http://node_b:60999 |
                +---------------------+
            """),
            out,
        )
        self.assertEqual(
            ["/v2/cache/nodes/" + base.IMAGE_ID], [r.path for r in self.requests.request_history]
        )

    def test_cached_nowhere_is_an_empty_table(self):
        self.requests.get(base.NODES_URL, json=[])
        status, out, _ = self.run_glance("cache-nodes-list", base.IMAGE_ID)
        self.assertEqual(0, status)
        self.assertIn("| Node Reference URL |", out)
        self.assertEqual(4, len(out.splitlines()))

    def test_by_name(self):
        self.requests.get(
            base.IMAGES_URL, json={"images": [{"id": base.IMAGE_ID, "name": "cirros"}]}
        )
        self.requests.get(base.NODES_URL, json=["http://n1"])
        status, out, _ = self.run_glance("cache-nodes-list", "cirros")
        self.assertEqual(0, status)
        self.assertIn("| http://n1 ", out)

    def test_unknown_name(self):
        self.requests.get(base.IMAGES_URL, json={"images": []})
        status, out, err = self.run_glance("cache-nodes-list", "nope")
        self.assertEqual(1, status)
        self.assertEqual("", out)
        self.assert_one_error_line(err, "No image with a name or ID of 'nope' exists.")

    def test_ambiguous_name(self):
        self.requests.get(
            base.IMAGES_URL, json={"images": [{"id": base.IMAGE_ID}, {"id": base.OTHER_ID}]}
        )
        status, _, err = self.run_glance("cache-nodes-list", "dup")
        self.assertEqual(1, status)
        self.assert_one_error_line(
            err,
            "More than one image is named 'dup'; use an ID: %s, %s."
            % (base.IMAGE_ID, base.OTHER_ID),
        )

    def test_server_errors_are_one_line(self):
        cases = [
            (403, "Forbidden", "You are not authorized to complete list_cached_nodes action."),
            (404, "Not Found", "Image %s not found." % base.IMAGE_ID),
            (409, "Conflict", "Centralized caching is not enabled"),
            (401, "Unauthorized", "The request you have made requires authentication."),
            (500, "Internal Server Error", "Oops<br /><br />\n\n"),
        ]
        for status_code, title, message in cases:
            self.json_error("GET", base.NODES_URL, status_code, title, message)
            status, out, err = self.run_glance("cache-nodes-list", base.IMAGE_ID)
            self.assertEqual(1, status)
            self.assertEqual("", out)
            self.assert_one_error_line(
                err,
                "HTTP %d %s: %s (GET %s, request id %s)"
                % (
                    status_code,
                    title,
                    message.replace("<br />", "").strip(),
                    base.NODES_URL,
                    base.REQUEST_ID,
                ),
            )

    def test_connection_refused(self):
        self.requests.get(base.NODES_URL, exc=base.refused())
        status, _, err = self.run_glance("cache-nodes-list", base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assert_one_error_line(
            err, "Unable to connect to %s: Connection refused." % base.NODES_URL
        )

    def test_default_timeout(self):
        self.requests.get(base.NODES_URL, json=[])
        self.assertEqual(0, self.run_glance("cache-nodes-list", base.IMAGE_ID)[0])
        self.assertEqual(shell.DEFAULT_TIMEOUT, self.requests.last_request.timeout)

    def test_timeout(self):
        self.requests.get(base.NODES_URL, exc=requests.exceptions.ReadTimeout("slow"))
        status, _, err = self.run_glance("--timeout", "2.5", "cache-nodes-list", base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assert_one_error_line(err, "%s did not answer within 2.5 seconds." % base.NODES_URL)

    def test_malformed_answer(self):
        self.requests.get(base.NODES_URL, json={"what": 1})
        status, _, err = self.run_glance("cache-nodes-list", base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assert_one_error_line(
            err, "The server at %s answered a malformed node list: {'what': 1}" % base.NODES_URL
        )


class RequestsPerCommandTest(base.ShellTestCase):
    """What each command sends on the happy path: the request that does the
    work, after the name lookup when a name was given; no version list."""

    def check(self, argv, *expected):
        self.mock_versions()
        self.requests.get(base.IMAGES_URL, json={"images": [{"id": base.IMAGE_ID}]})
        self.requests.get(base.NODES_URL, json=[])
        self.requests.get(base.CACHE_URL, json={"cached_images": [], "queued_images": []})
        self.requests.put(base.CACHE_URL + "/" + base.IMAGE_ID, status_code=202)
        for image in (base.IMAGE_ID, base.OTHER_ID):
            self.requests.delete(base.CACHE_URL + "/" + image, status_code=204)
        self.requests.delete(base.CACHE_URL, status_code=204)
        self.requests.post(base.CACHE_URL + "/clean", text="")
        self.requests.post(
            base.CACHE_URL + "/prune", json={"total_files_pruned": 0, "total_bytes_pruned": 0}
        )
        before = len(self.requests.request_history)
        status, _, err = self.run_glance(*argv)
        self.assertEqual(0, status, err)
        sent = self.requests.request_history[before:]
        self.assertEqual(list(expected), [(r.method, r.path) for r in sent])

    def test_each_command(self):
        image = "/v2/cache/" + base.IMAGE_ID
        nodes = ("GET", "/v2/cache/nodes/" + base.IMAGE_ID)
        self.check(["cache-nodes-list", base.IMAGE_ID], nodes)
        self.check(["cache-nodes-list", "cirros"], ("GET", "/v2/images"), nodes)
        self.check(["cache-list"], ("GET", "/v2/cache"))
        self.check(["cache-queue", base.IMAGE_ID], ("PUT", image))
        self.check(["cache-delete", base.IMAGE_ID], ("DELETE", image))
        self.check(["cache-clear", "--target", "cache"], ("DELETE", "/v2/cache"))
        self.check(["cache-clean"], ("POST", "/v2/cache/clean"))
        self.check(["cache-prune"], ("POST", "/v2/cache/prune"))

    def test_several_images_one_request_each(self):
        self.check(
            ["cache-delete", base.IMAGE_ID, base.OTHER_ID, base.IMAGE_ID],
            ("DELETE", "/v2/cache/" + base.IMAGE_ID),
            ("DELETE", "/v2/cache/" + base.OTHER_ID),
            ("DELETE", "/v2/cache/" + base.IMAGE_ID),
        )


class PerNodeCommandsTest(base.ShellTestCase):
    def setUp(self):
        super().setUp()
        self.mock_versions()

    def test_cache_list(self):
        self.requests.get(base.CACHE_URL, json=base.CACHE_LISTING)
        # The names beside the IDs (#22): one listing of those IDs; an ID it
        # does not name (a deleted image) shows a dash.
        names = self.requests.get(
            base.IMAGES_URL, json={"images": [{"id": base.IMAGE_ID, "name": "cirros"}]}
        )
        status, out, _ = self.run_glance("cache-list")
        self.assertEqual(0, status)
        self.assertEqual(
            {"id": ["in:%s,%s" % (base.IMAGE_ID, base.OTHER_ID)], "limit": ["2"]},
            names.last_request.qs,
        )
        self.assertEqual(
            [
                [
                    "ID",
                    "Name",
                    "State",
                    "Last Accessed (UTC)",
                    "Last Modified (UTC)",
                    "Size",
                    "Hits",
                ],
                [
                    base.IMAGE_ID,
                    "cirros",
                    "cached",
                    "2025-11-25T12:00:00",
                    "2025-11-25T11:00:00",
                    "1572864",
                    "4",
                ],
                [base.OTHER_ID, "-", "queued", "-", "-", "-", "-"],
            ],
            tables.table(out),
        )
        status, out, _ = self.run_glance("cache-list", "--human-readable")
        self.assertIn("| 1.5MiB ", out)

    def test_queue_several_one_fails(self):
        missing = "deadbeef-0000-4000-8000-000000000000"
        ok_1 = self.requests.put(base.CACHE_URL + "/" + base.IMAGE_ID, status_code=202)
        self.json_error(
            "PUT", base.CACHE_URL + "/" + missing, 404, "Not Found", "Image %s not found." % missing
        )
        ok_2 = self.requests.put(base.CACHE_URL + "/" + base.OTHER_ID, status_code=202)
        status, out, err = self.run_glance("cache-queue", base.IMAGE_ID, missing, base.OTHER_ID)
        self.assertEqual(1, status)
        self.assertEqual("", out)
        self.assertEqual(1, ok_1.call_count)
        self.assertEqual(1, ok_2.call_count)
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertIn("glance: error: Unable to queue image %s: HTTP 404 Not Found" % missing, err)

    def test_queue_node_wide_error_stops(self):
        self.json_error(
            "PUT",
            base.CACHE_URL + "/" + base.IMAGE_ID,
            403,
            "Forbidden",
            "You are not authorized to complete cache_image action.",
        )
        other = self.requests.put(base.CACHE_URL + "/" + base.OTHER_ID, status_code=202)
        status, _, err = self.run_glance("cache-queue", base.IMAGE_ID, base.OTHER_ID)
        self.assertEqual(1, status)
        self.assertEqual(0, other.call_count)
        self.assertEqual(1, len(err.splitlines()))

    def test_delete_all_good(self):
        deletes = [
            self.requests.delete(base.CACHE_URL + "/" + i, status_code=204)
            for i in (base.IMAGE_ID, base.OTHER_ID)
        ]
        status, out, err = self.run_glance("cache-delete", base.IMAGE_ID, base.OTHER_ID)
        self.assertEqual((0, "", ""), (status, out, err))
        self.assertEqual([1, 1], [r.call_count for r in deletes])

    def test_clear_targets(self):
        route = self.requests.delete(base.CACHE_URL, status_code=204)
        self.assertEqual(0, self.run_glance("cache-clear")[0])
        self.assertNotIn("x-image-cache-clear-target", route.last_request.headers)
        self.assertEqual(0, self.run_glance("cache-clear", "--target", "queue")[0])
        self.assertEqual("queue", route.last_request.headers["x-image-cache-clear-target"])

    def test_clear_bad_target_is_a_usage_error(self):
        route = self.requests.delete(base.CACHE_URL, status_code=204)
        status, _, err = self.run_glance("cache-clear", "--target", "all")
        self.assertEqual(2, status)
        self.assertIn("invalid choice: 'all'", err)
        self.assertEqual(0, route.call_count)

    def test_clean(self):
        route = self.requests.post(base.CACHE_URL + "/clean", status_code=200)
        self.assertEqual((0, "", ""), self.run_glance("cache-clean"))
        self.assertEqual(1, route.call_count)

    def test_prune(self):
        self.requests.post(
            base.CACHE_URL + "/prune", json={"total_files_pruned": 3, "total_bytes_pruned": 4096}
        )
        status, out, _ = self.run_glance("cache-prune")
        self.assertEqual(0, status)
        self.assertIn("| total_bytes_pruned | 4096  |", out)
        self.assertIn("| total_files_pruned | 3     |", out)

    def test_help_says_per_node(self):
        for command in (
            "cache-list",
            "cache-queue",
            "cache-delete",
            "cache-clear",
            "cache-clean",
            "cache-prune",
        ):
            status, out, _ = self.run_glance("help", command, token_args=False)
            self.assertEqual(0, status)
            self.assertIn(
                "acts on the Glance API node that receives the request", " ".join(out.split())
            )
        _, out, _ = self.run_glance("help", "cache-nodes-list", token_args=False)
        self.assertNotIn("receives the request", out)


class HostileCacheListTest(base.ShellTestCase):
    """Hostile fields of a cache listing from a server on 127.0.0.1."""

    def setUp(self):
        super().setUp()
        self.requests.stop()  # to the loopback server below
        self.routes: fakeglance.Routes = {}
        self.server = self.useFixture(fakeglance.FakeGlance(self.routes))

    def glance(self, *argv: str) -> tuple[int, str, str]:
        return self.run_glance(
            "--os-image-url", self.server.url, "--os-auth-token", "t", *argv, token_args=False
        )

    def test_cache_list_fields(self):
        self.routes[("GET", "/v2/cache")] = (
            200,
            b'{"cached_images": [{"image_id": "i1", "last_accessed": NaN, '
            b'"last_modified": 1e400, "size": NaN, "hits": Infinity}, '
            b'{"image_id": "i2", "last_accessed": 1e300, "last_modified": -1e300, '
            b'"size": 1' + b"0" * 400 + b', "hits": 1}], "queued_images": []}',
        )
        status, out, err = self.glance("cache-list")
        self.assertEqual(0, status, err)
        self.assertIn("| i1 | -    | cached | nan", out)  # no name (#22 added the column)
        self.assertIn("| i2 | -    | cached | 1e+300", out)
        # JSON stays JSON: what no JSON number can hold is text.
        status, out, err = self.glance("cache-list", "-f", "json")
        self.assertEqual(0, status, err)
        rows = json.loads(out, parse_constant=self.fail)
        self.assertEqual(
            ["nan", "inf", "nan", "inf"],
            [rows[0][k] for k in ("last_accessed_utc", "last_modified_utc", "size", "hits")],
        )
        self.assertEqual(10**400, rows[1]["size"])
