"""The fleet tables both front ends show, and their options."""

from __future__ import annotations

import argparse

import testtools

from glanceclient import exc
from glanceclient.cli import fleet as cli_fleet
from glanceclient.v2 import fleet

A = "http://a:9292"
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
        self.assertEqual(("Node", "Files Pruned", "Bytes Pruned", "Result"), table.columns)
        self.assertEqual((A, 2, 9, "ok"), table.rows[0])
        self.assertEqual((B, "-", "-"), table.rows[1][:3])
        self.assertIn("no", table.rows[1][3])
        self.assertEqual(1, cli_fleet.exit_status(results))
        self.assertEqual(0, cli_fleet.exit_status(results[:1]))


class OptionsTest(testtools.TestCase):
    def test_node_options(self):
        parser = argparse.ArgumentParser()
        cli_fleet.add_node_options(parser, all_nodes=True)
        parsed = parser.parse_args(["--node", A + "/", "--max-parallel", "2"])
        self.assertEqual([A], parsed.node)
        self.assertEqual(2, parsed.max_parallel)
        self.assertRaises(SystemExit, parser.parse_args, ["--node", A, "--all-nodes"])
        self.assertRaises(argparse.ArgumentTypeError, cli_fleet.node_argument, A + "/v2?x")
