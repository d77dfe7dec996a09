"""Tests of the ``openstack cache ...`` commands (glanceclient.osc.v2.cache)."""

from __future__ import annotations

import io
import json

import fixtures
from osc_lib import exceptions
from osc_lib.test import base as osc_base

from glanceclient import shell as glance_shell
from glanceclient.osc.v2 import cache
from glanceclient.tests.unit import base
from glanceclient.tests.unit.osc import base as osc_test

NODES_URL = base.ENDPOINT + "/v2/cache/nodes/" + base.IMAGE_ID
NODES = ["http://node_2:60999", "http://node_10:60999", "http://node_1:60999"]
FORBIDDEN = base.error_body(
    "403 Forbidden", "You are not authorized to complete list_cached_nodes action."
)


class TestListCacheNodes(osc_test.TestCommand):
    def setUp(self) -> None:
        super().setUp()
        self.cmd = cache.ListCacheNodes(self.app, None)
        self.versions = self.mock_versions()

    def test_parser_needs_an_image(self) -> None:
        self.assertRaises(osc_base.ParserException, self.check_parser, self.cmd, [], [])

    def test_nodes_of_an_id_sorted(self) -> None:
        nodes = self.requests.get(NODES_URL, json=NODES)
        parsed = self.check_parser(self.cmd, [base.IMAGE_ID], [("image", base.IMAGE_ID)])

        columns, rows = self.cmd.take_action(parsed)

        self.assertEqual(("Node Reference URL",), columns)
        self.assertEqual([(node,) for node in sorted(NODES)], list(rows))
        # An ID is used as it is: one listing, nothing else.
        self.assertEqual(0, self.versions.call_count)
        self.assertEqual(1, nodes.call_count)
        self.assertEqual(1, len(self.requests.request_history))
        self.assertEqual(base.TOKEN, nodes.last_request.headers["X-Auth-Token"])
        self.assertEqual("application/json", nodes.last_request.headers["Accept"])

    def test_nodes_of_a_name(self) -> None:
        images = self.requests.get(
            base.ENDPOINT + "/v2/images", json={"images": [{"id": base.IMAGE_ID}]}
        )
        self.requests.get(NODES_URL, json={"cached_nodes": ["http://node_1:60999"]})
        parsed = self.check_parser(self.cmd, ["cirros"], [("image", "cirros")])

        columns, rows = self.cmd.take_action(parsed)

        self.assertEqual([("http://node_1:60999",)], list(rows))
        self.assertEqual(["eq:cirros"], images.last_request.qs["name"])

    def test_cached_nowhere(self) -> None:
        self.requests.get(NODES_URL, json=[])
        parsed = self.check_parser(self.cmd, [base.IMAGE_ID], [("image", base.IMAGE_ID)])

        self.assertEqual((("Node Reference URL",), []), self.cmd.take_action(parsed))

    def test_json_output(self) -> None:
        self.requests.get(NODES_URL, json=NODES)

        out = self.run_command(
            self.cmd,
            [base.IMAGE_ID, "-f", "json"],
            [("image", base.IMAGE_ID), ("formatter", "json")],
        )

        self.assertEqual([{"Node Reference URL": node} for node in sorted(NODES)], json.loads(out))

    def test_value_output_sorted_descending(self) -> None:
        self.requests.get(NODES_URL, json=NODES)

        out = self.run_command(
            self.cmd,
            [base.IMAGE_ID, "-f", "value", "-c", "Node Reference URL"]
            + ["--sort-column", "Node Reference URL", "--sort-descending"],
            [("columns", ["Node Reference URL"]), ("sort_columns", ["Node Reference URL"])],
        )

        self.assertEqual(sorted(NODES, reverse=True), out.splitlines())

    def test_csv_output(self) -> None:
        self.requests.get(NODES_URL, json=["http://node_1:60999"])

        out = self.run_command(self.cmd, [base.IMAGE_ID, "-f", "csv"], [("formatter", "csv")])

        self.assertEqual(['"Node Reference URL"', '"http://node_1:60999"'], out.splitlines())

    def test_forbidden_is_a_command_error(self) -> None:
        self.requests.get(
            NODES_URL,
            status_code=403,
            text=FORBIDDEN,
            headers={"x-openstack-request-id": base.REQUEST_ID},
        )
        parsed = self.check_parser(self.cmd, [base.IMAGE_ID], [("image", base.IMAGE_ID)])

        e = self.assertRaises(exceptions.CommandError, self.cmd.take_action, parsed)

        self.assertEqual(
            "HTTP 403 Forbidden: You are not authorized to complete list_cached_nodes "
            "action. (GET %s, request id %s)" % (NODES_URL, base.REQUEST_ID),
            str(e),
        )
        self.assertNotIn(base.TOKEN, str(e))

    def test_caching_not_enabled(self) -> None:
        self.versions = self.mock_versions(base.WITHOUT_CACHE)
        nodes = self.requests.get(
            NODES_URL, status_code=404, text="Caching via API is not supported at this site."
        )
        parsed = self.check_parser(self.cmd, [base.IMAGE_ID], [("image", base.IMAGE_ID)])

        e = self.assertRaises(exceptions.CommandError, self.cmd.take_action, parsed)

        self.assertIn("Image caching is not enabled", str(e))
        self.assertEqual((1, 1), (nodes.call_count, self.versions.call_count))

    def test_server_too_old(self) -> None:
        self.versions = self.mock_versions(base.OLD_WITH_CACHE)
        self.requests.get(NODES_URL, status_code=404, text="The resource could not be found.")
        parsed = self.check_parser(self.cmd, [base.IMAGE_ID], [("image", base.IMAGE_ID)])

        e = self.assertRaises(exceptions.CommandError, self.cmd.take_action, parsed)

        self.assertIn("needs Image API version 2.18", str(e))

    def test_no_image_of_that_name(self) -> None:
        self.requests.get(base.ENDPOINT + "/v2/images", json={"images": []})
        parsed = self.check_parser(self.cmd, ["nope"], [("image", "nope")])

        e = self.assertRaises(exceptions.CommandError, self.cmd.take_action, parsed)

        self.assertEqual("No image with a name or ID of 'nope' exists.", str(e))

    def test_connection_refused(self) -> None:
        self.requests.get(NODES_URL, exc=base.refused())
        parsed = self.check_parser(self.cmd, [base.IMAGE_ID], [("image", base.IMAGE_ID)])

        e = self.assertRaises(exceptions.CommandError, self.cmd.take_action, parsed)

        self.assertIn("Unable to connect to " + base.ENDPOINT, str(e))


class TestErrorsMatchGlance(osc_test.TestCommand):
    """``openstack cache nodes list`` words errors exactly as ``glance``."""

    def glance_error(self, *argv: str) -> str:
        stderr = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch("sys.stderr", stderr))
        self.useFixture(fixtures.MonkeyPatch("sys.stdout", io.StringIO()))
        status = glance_shell.main(
            ["--os-image-url", base.ENDPOINT, "--os-auth-token", base.TOKEN, *argv]
        )
        self.assertEqual(1, status)
        prefix = "glance: error: "
        line = stderr.getvalue().strip()
        self.assertTrue(line.startswith(prefix), line)
        return line[len(prefix) :]

    def osc_error(self, cmd: object, *argv: str) -> str:
        parsed = self.check_parser(cmd, list(argv), [])
        return str(self.assertRaises(exceptions.CommandError, cmd.take_action, parsed))

    def test_forbidden(self) -> None:
        self.mock_versions()
        self.requests.get(NODES_URL, status_code=403, text=FORBIDDEN)
        self.assertEqual(
            self.glance_error("cache-nodes-list", base.IMAGE_ID),
            self.osc_error(cache.ListCacheNodes(self.app, None), base.IMAGE_ID),
        )

    def test_conflict(self) -> None:
        self.mock_versions()
        self.requests.get(
            NODES_URL,
            status_code=409,
            text=base.error_body("409 Conflict", "Centralized caching is not<br />\nenabled"),
        )
        self.assertEqual(
            self.glance_error("cache-nodes-list", base.IMAGE_ID),
            self.osc_error(cache.ListCacheNodes(self.app, None), base.IMAGE_ID),
        )

    def test_tls_failure(self) -> None:
        self.requests.get(NODES_URL, exc=base.ssl_failure("certificate has expired"))
        osc = self.osc_error(cache.ListCacheNodes(self.app, None), base.IMAGE_ID)
        self.assertEqual(self.glance_error("cache-nodes-list", base.IMAGE_ID), osc)
        self.assertEqual(
            "TLS failure with %s: the server's certificate has expired; the server needs a "
            "renewed certificate (--insecure skips verification)." % NODES_URL,
            osc,
        )

    def test_prune_on_old_server(self) -> None:
        self.mock_versions(base.OLD_WITH_CACHE)
        self.requests.post(base.ENDPOINT + "/v2/cache/prune", status_code=405, text="No.")
        self.assertEqual(
            self.glance_error("cache-prune"), self.osc_error(cache.PruneCache(self.app, None))
        )


class TestCleanCache(osc_test.TestCommand):
    def setUp(self) -> None:
        super().setUp()
        self.cmd = cache.CleanCache(self.app, None)
        self.mock_versions()

    def test_clean(self) -> None:
        clean = self.requests.post(base.ENDPOINT + "/v2/cache/clean", status_code=200)
        parsed = self.check_parser(self.cmd, [], [])

        self.assertIsNone(self.cmd.take_action(parsed))

        self.assertEqual(1, clean.call_count)
        self.assertEqual(1, len(self.requests.request_history))
        self.assertEqual("", self.fake_stdout.make_string())

    def test_takes_no_argument(self) -> None:
        self.assertRaises(osc_base.ParserException, self.check_parser, self.cmd, ["x"], [])

    def test_help_says_it_acts_on_one_node(self) -> None:
        help_text = self.cmd.get_parser("openstack cache clean").format_help()
        self.assertIn("--os-endpoint", help_text)
        self.assertIn("node that receives the request", " ".join(help_text.split()))

    def test_server_error(self) -> None:
        self.requests.post(base.ENDPOINT + "/v2/cache/clean", status_code=500, text="boom")
        parsed = self.check_parser(self.cmd, [], [])

        e = self.assertRaises(exceptions.CommandError, self.cmd.take_action, parsed)

        self.assertTrue(str(e).startswith("HTTP 500 Internal Server Error: boom"), str(e))


class TestPruneCache(osc_test.TestCommand):
    def setUp(self) -> None:
        super().setUp()
        self.cmd = cache.PruneCache(self.app, None)
        self.mock_versions()

    def test_prune(self) -> None:
        prune = self.requests.post(
            base.ENDPOINT + "/v2/cache/prune",
            json={"total_files_pruned": 3, "total_bytes_pruned": 4096},
        )
        parsed = self.check_parser(self.cmd, [], [])

        columns, values = self.cmd.take_action(parsed)

        self.assertEqual(("total_files_pruned", "total_bytes_pruned"), columns)
        self.assertEqual((3, 4096), values)
        self.assertEqual(1, prune.call_count)
        self.assertEqual(1, len(self.requests.request_history))

    def test_prune_shell_output(self) -> None:
        self.requests.post(
            base.ENDPOINT + "/v2/cache/prune",
            json={"total_files_pruned": 0, "total_bytes_pruned": 0},
        )

        out = self.run_command(self.cmd, ["-f", "json"], [("formatter", "json")])

        self.assertEqual({"total_files_pruned": 0, "total_bytes_pruned": 0}, json.loads(out))

    def test_malformed_answer(self) -> None:
        self.requests.post(base.ENDPOINT + "/v2/cache/prune", json={"pruned": "all"})
        parsed = self.check_parser(self.cmd, [], [])

        e = self.assertRaises(exceptions.CommandError, self.cmd.take_action, parsed)

        self.assertIn("malformed prune result", str(e))

    def test_help_says_it_acts_on_one_node(self) -> None:
        help_text = " ".join(self.cmd.get_parser("openstack cache prune").format_help().split())
        self.assertIn("node that receives the request", help_text)
        self.assertIn("--os-endpoint", help_text)
