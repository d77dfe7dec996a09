#!/usr/bin/env python3
"""Fleet commands: --check over dead nodes, and fan-out against one node.

Two measures, on fake Glance fleets (``fake_glance.py --fleet-delays ...
--hanging N``), our ``glance`` from a plain install:

- ``glance cache-nodes-list --check --probe-timeout 2 <id>`` over 20 nodes,
  5 of which accept connections and never answer. Goal: at most the probe
  timeout plus 1 s, shown as a ratio to that budget (<= 1.00x).
- ``glance cache-clean --node ...`` over 8 nodes whose answers take 50 to
  400 ms, against ``glance cache-clean`` sent to the slowest of them alone.
  Goal: <= 1.5x.

Usage: python bench/fleet.py [--runs N]
"""

from __future__ import annotations

import sys

import benchlib as bl
import cli
import fake_glance as fg

PROBE_TIMEOUT = 2.0
CHECK_NODES, CHECK_HANGING = 20, 5
FAN_OUT_DELAYS = tuple(0.05 * (i + 1) for i in range(8))


class Fleets:
    """Both fake fleets at once, started and stopped together."""

    def __init__(self) -> None:
        self.check = fg.FakeServers(
            fleet_delays=(0.0,) * (CHECK_NODES - CHECK_HANGING), hanging=CHECK_HANGING
        )
        self.fan_out = fg.FakeServers(fleet_delays=FAN_OUT_DELAYS)

    def __enter__(self) -> Fleets:
        self.check.start()
        try:
            self.fan_out.start()
        except BaseException:
            self.check.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.fan_out.stop()
        self.check.stop()

    def reset_log(self) -> None:
        self.check.reset_log()
        self.fan_out.reset_log()

    def requests_seen(self) -> list[str]:
        return self.check.requests_seen() + self.fan_out.requests_seen()


def _glance(
    name: str, srv: fg.FakeServers, args: list[str], expect: tuple[str, ...]
) -> bl.Contestant:
    venv, why = cli.ours_installed_venv()
    argv = ["--os-image-url", srv.glance_url, "--os-auth-token", srv.token]
    c = bl.Contestant(
        name, [str(venv / "bin" / "glance") if venv else "glance"] + argv + args, expect=expect
    )
    c.missing = why
    return c


def build(fleets: Fleets) -> list[bl.Contestant]:
    check, fan = fleets.check, fleets.fan_out
    image = fg.docs.image_ids(1)[0]
    nodes = [a for url in fan.fleet_urls for a in ("--node", url)]
    slowest = fan.fleet_urls[-1]
    single = _glance("glance cache-clean, slowest node alone", fan, ["cache-clean"], ())
    single.argv[single.argv.index("--os-image-url") + 1] = slowest
    return [
        _glance(
            "glance cache-nodes-list --check, %d nodes (%d hanging)" % (CHECK_NODES, CHECK_HANGING),
            check,
            ["cache-nodes-list", "--check", "--probe-timeout", str(PROBE_TIMEOUT), image],
            ("| unreachable |", "| ok "),
        ),
        _glance(
            "glance cache-clean --node x%d (50-400 ms)" % len(fan.fleet_urls),
            fan,
            ["cache-clean"] + nodes,
            ("| ok ",),
        ),
        single,
    ]


def report(cs: list[bl.Contestant], runs: int) -> tuple[str, list[dict]]:
    check, fan_out, single = cs
    budget = PROBE_TIMEOUT + 1.0
    rows, data = [], []
    if check.ok and check.runs:
        ratio = bl.median(check.values()) / budget
        verdict = "meets goal" if ratio <= 1.0 else "MISSES goal"
        shown = "%.3fx" % ratio
    else:
        ratio, verdict, shown = None, "not measured: %s" % bl.why_absent(check), "n/a"
    label = "--check over %d nodes (%d hanging) / (probe timeout %.0f s + 1 s)" % (
        CHECK_NODES,
        CHECK_HANGING,
        PROBE_TIMEOUT,
    )
    rows.append([label, shown, "<= 1.00x", verdict.replace("|", "/")])
    data.append({"pair": label, "ratio": ratio, "goal": 1.0, "verdict": verdict})
    fan_rows, fan_data = bl.ratio_rows(
        [
            ("fan-out over 8 nodes / slowest node alone", fan_out, single, 1.5),
        ]
    )
    out = [
        "## fleet: --check and fan-out",
        "",
        "Fake Glance fleets on loopback: %d nodes of which %d accept "
        "connections and never answer (probe timeout %.0f s); 8 nodes "
        "answering after 50, 100, ... 400 ms. Whole processes, fork to "
        "exit; %d alternating rounds after one warm-up each."
        % (CHECK_NODES, CHECK_HANGING, PROBE_TIMEOUT, runs),
        "",
        bl.timing_table(cs),
        "",
        bl.table(["measure", "ratio", "goal", "verdict"], rows),
        "",
        fan_rows,
        "",
        "HTTP requests per command (steady state):",
        "",
        bl.requests_section(cs),
        "",
    ]
    return "\n".join(out), data + fan_data


def main(argv: list[str] | None = None) -> int:
    p = bl.parser(__doc__.split("\n")[0], runs=6)
    args = p.parse_args(argv)
    return bl.measure("fleet", args.runs, Fleets(), build, lambda cs: report(cs, args.runs))


if __name__ == "__main__":
    sys.exit(main())
