"""The fleet tables both front ends show, and their options."""

from __future__ import annotations

import argparse

import testtools

from glanceclient import exc
from glanceclient.cli import fleet as cli_fleet
from glanceclient.v2 import fleet

A = "http://a:9292"
URL = "http://node_a:60999/v2/cache/clean"
B = "http://b:9292"


class TablesTest(testtools.TestCase):
    def test_nodes_sorted(self):
        self.assertEqual((("Node Reference URL",), [(A,), (B,)]), cli_fleet.nodes_table([B, A]))

    def test_check_keeps_the_latency_a_number_each_front_end_formats_it(self):
        states = [
            fleet.NodeStatus(A, "http://10.0.0.1:9292", "ok", 12.345),
            fleet.NodeStatus(B, B, "unreachable", None, "refused"),
        ]
        table = cli_fleet.check_table(states, mapped=False)
        self.assertEqual(("Node Reference URL", "Status", "Latency (ms)"), table.columns)
        self.assertEqual([(A, "ok", 12.345), (B, "unreachable", None)], table.rows)
        shown = table.formatted(cli_fleet.LATENCY_COLUMN, lambda ms: "-" if ms is None else ms)
        self.assertEqual([(A, "ok", 12.345), (B, "unreachable", "-")], shown.rows)
        mapped = cli_fleet.check_table(states, mapped=True)
        self.assertEqual("Mapped URL", mapped.columns[1])
        self.assertEqual("http://10.0.0.1:9292", mapped.rows[0][1])

    def test_results_node_first_result_last_status_one_if_any_failed(self):
        results = [
            fleet.NodeResult(A, A, None, {"total_files_pruned": 2, "total_bytes_pruned": 9}, None),
            fleet.NodeResult(B, B, None, None, exc.HTTPForbidden("no")),
        ]
        table = cli_fleet.results_table(
            [(r, cli_fleet.prune_cells(r.value)) for r in results],
            cli_fleet.PRUNE_COLUMNS,
            mapped=False,
        )
        # How a node fared: Result in a table; Status, Error and Error Detail
        # in the data formats; None, not a dash, where a node gave no number
        # (#22).
        self.assertEqual(
            ("Node", "Files Pruned", "Bytes Pruned", "Result", "Status", "Error", "Error Detail"),
            table.titles(),
        )
        self.assertEqual((A, 2, 9, "ok", "ok", None, None), table.rows[0])
        self.assertEqual(
            (B, None, None, "HTTP 403 Forbidden: no", "failed", "HTTP 403 Forbidden: no"),
            table.rows[1][:6],
        )
        self.assertEqual("HTTP 403 Forbidden: no", table.rows[1][6]["message"])
        self.assertEqual(
            (("Node", "Files Pruned", "Bytes Pruned", "Result"), [(A, 2, 9, "ok")]),
            cli_fleet.Table(table.columns, table.rows[:1]).shaped(data=False),
        )
        self.assertEqual(
            ("Node", "Files Pruned", "Bytes Pruned", "Status", "Error", "Error Detail"),
            table.shaped(data=True)[0],
        )
        self.assertEqual(1, cli_fleet.exit_status(results))
        self.assertEqual(0, cli_fleet.exit_status(results[:1]))


class ReasonTest(testtools.TestCase):
    def test_each_kind_of_failure(self):
        for error, expected in (
            (
                exc.ConnectionRefused("Unable to connect to %s: Connection refused." % URL),
                "connection refused",
            ),
            (
                exc.Unreachable("Unable to connect to %s: Name or service not known." % URL),
                "unreachable",
            ),
            (exc.Timeout("%s did not answer within 600 seconds." % URL), "timed out"),
            (
                exc.SSLError("TLS failure with %s: ..." % URL, url=URL, reason="expired"),
                "TLS failure: expired",
            ),
            (exc.CommunicationError("The connection to %s broke." % URL), "connection failed"),
            (exc.InvalidResponse("The server answered garbage.", url=URL), "malformed answer"),
            (
                exc.HTTPNotFound("Image not found.", method="POST", url=URL, request_id="req-1"),
                "HTTP 404 Not Found: Image not found.",
            ),
            (
                exc.HTTPServiceUnavailable(None, method="POST", url=URL),
                "HTTP 503 Service Unavailable",
            ),
        ):
            self.assertEqual(expected, cli_fleet.reason(error), error)
            self.assertNotIn(URL, cli_fleet.reason(error))

    def test_long_server_message_is_cut(self):
        reason = cli_fleet.reason(exc.HTTPBadRequest("x" * 500, method="PUT", url=URL))
        self.assertEqual("HTTP 400 Bad Request: " + "x" * 97 + "...", reason)

    def test_control_characters_escaped(self):
        reason = cli_fleet.reason(exc.HTTPBadRequest("bad\x1b[2J\nthing", method="PUT", url=URL))
        self.assertEqual("HTTP 400 Bad Request: bad\\x1b[2J thing", reason)

    def test_detail(self):
        error = exc.HTTPForbidden("No.", method="POST", url=URL, request_id="req-1")
        self.assertEqual(
            {
                "message": "HTTP 403 Forbidden: No. (POST %s, request id req-1)" % URL,
                "method": "POST",
                "url": URL,
                "request_id": "req-1",
            },
            cli_fleet.detail(error),
        )

    def test_verbose_result_is_the_whole_message(self):
        bad = fleet.NodeResult(A, A, None, None, exc.ConnectionRefused("Unable to connect."))
        self.assertEqual(
            "Unable to connect.",
            cli_fleet.results_table([(bad, ())], mapped=False, verbose=True).rows[0][1],
        )
        self.assertEqual(
            "connection refused", cli_fleet.results_table([(bad, ())], mapped=False).rows[0][1]
        )


class OptionsTest(testtools.TestCase):
    def test_node_options(self):
        parser = argparse.ArgumentParser()
        cli_fleet.add_node_options(parser)
        parsed = parser.parse_args(["--node", A + "/", "--max-parallel", "2"])
        self.assertEqual([A], parsed.node)
        self.assertEqual(2, parsed.max_parallel)
        self.assertRaises(SystemExit, parser.parse_args, ["--node", A, "--all-nodes"])
        self.assertRaises(argparse.ArgumentTypeError, cli_fleet.node_argument, A + "/v2?x")
