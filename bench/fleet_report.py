#!/usr/bin/env python3
"""A 200-node inventory: the cache report and the listing of every node.

A fake fleet (``fake_glance.py --fleet-delays ... --hanging 10
--cache-images 50``): 190 Glance nodes whose caches hold 50 images each,
and 10 that accept connections and never answer, all named by
``OS_IMAGE_NODES``. Our ``glance`` from a plain install:

- ``glance cache-report --all-nodes --node-timeout 2 --format json``;
- ``glance cache-list --all-nodes --node-timeout 2``;
- ``glance --version``, timed beside them: the start-up every command pays
  on this machine at this moment, for scale.

Both exit 1 (ten nodes fail their rows). Goals: each at most the node
timeout plus 2 s, shown as a ratio to that budget (<= 1.00x); the report's
peak RSS at most 100 MiB (measured after the timings, through the
launcher of benchlib.MEASURE_RSS).

Usage: python bench/fleet_report.py [--runs N]
"""

from __future__ import annotations

import json
import sys

import benchlib as bl
import benchvenvs as bv
import cli
import fake_glance as fg

NODE_TIMEOUT = 2.0
LIVE, HANGING, CACHED = 190, 10, 50
BUDGET = NODE_TIMEOUT + 2.0
RSS_GOAL_MIB = 100


def _report_rows(stdout: str) -> dict:
    rows = json.loads(stdout)
    ok = [r for r in rows if r.get("status") == "ok"]
    if len(rows) != LIVE + HANGING + 1 or len(ok) != LIVE:
        raise ValueError("%d rows, %d ok" % (len(rows), len(ok)))
    if any(r["images"] != CACHED for r in ok):
        raise ValueError("a node does not list %d images" % CACHED)
    return {}


def build(srv: fg.FakeServers) -> list[bl.Contestant]:
    venv, why = cli.ours_installed_venv()
    glance = str(venv / "bin" / "glance") if venv else "glance"
    env = bv.clean_env(
        {
            "OS_IMAGE_URL": srv.glance_url,
            "OS_AUTH_TOKEN": srv.token,
            "OS_IMAGE_NODES": ",".join(srv.fleet_urls + srv.hanging_urls),
        }
    )
    timeout = ["--node-timeout", "%g" % NODE_TIMEOUT]
    contestants = [
        bl.Contestant(
            "glance cache-report --all-nodes --format json",
            [glance, "cache-report", "--all-nodes", *timeout, "--format", "json"],
            env=env,
            statuses=(1,),
            parse=_report_rows,
        ),
        bl.Contestant(
            "glance cache-list --all-nodes",
            [glance, "cache-list", "--all-nodes", *timeout],
            env=env,
            statuses=(1,),
            expect=("| cached ",),
        ),
    ]
    floor = bl.Contestant("glance --version (start-up, for scale)", [glance, "--version"], env=env)
    contestants.append(floor)
    for c in contestants:
        c.missing = why
    return contestants


def peak_rss(report: bl.Contestant, runs: int) -> list[int]:
    """The report's peak RSS (KiB), ``runs`` times, through the launcher."""
    if not report.ok:
        return []
    bl.MEASURE_RSS = True
    try:
        found = []
        for _ in range(runs):
            result = bl.run(report.argv, report.env)
            if report.check(result):
                return []
            found.append(result.maxrss_kib)
        return found
    finally:
        bl.MEASURE_RSS = False


def report(cs: list[bl.Contestant], rss: list[int], runs: int) -> tuple[str, list[dict]]:
    rows, data = [], []
    for c in cs[:2]:
        label = "%s / (node timeout %.0f s + 2 s)" % (c.name, NODE_TIMEOUT)
        if c.ok and c.runs:
            ratio = bl.median(c.values()) / BUDGET
            verdict = "meets goal" if ratio <= 1.0 else "MISSES goal"
            shown = "%.3fx" % ratio
        else:
            ratio, verdict, shown = None, "not measured: %s" % bl.why_absent(c), "n/a"
        rows.append([label, shown, "<= 1.00x", verdict.replace("|", "/")])
        data.append({"pair": label, "ratio": ratio, "goal": 1.0, "verdict": verdict})
    label = "cache-report peak RSS"
    if rss:
        peak = bl.median(rss)
        verdict = "meets goal" if peak <= RSS_GOAL_MIB * 1024 else "MISSES goal"
        rows.append([label, bl.fmt_mib(peak), "<= %d MiB" % RSS_GOAL_MIB, verdict])
        data.append({"pair": label, "maxrss_kib": peak, "goal_mib": RSS_GOAL_MIB})
    else:
        rows.append([label, "n/a", "<= %d MiB" % RSS_GOAL_MIB, "not measured"])
    out = [
        "## fleet_report: a 200-node inventory",
        "",
        "A fake fleet on loopback named by OS_IMAGE_NODES: %d nodes whose "
        "caches list %d images each and %d that accept connections and never "
        "answer; --node-timeout %.0f. Whole processes, fork to exit; %d "
        "alternating rounds after one warm-up each; peak RSS of the report "
        "over %d more runs." % (LIVE, CACHED, HANGING, NODE_TIMEOUT, runs, len(rss)),
        "",
        bl.timing_table(cs),
        "",
        bl.table(["measure", "figure", "goal", "verdict"], rows),
        "",
    ]
    return "\n".join(out), data


def main(argv: list[str] | None = None) -> int:
    args = bl.parser(__doc__.split("\n")[0], runs=5).parse_args(argv)
    servers = fg.FakeServers(
        fleet_delays=(0.0,) * LIVE, hanging=HANGING, cache_images=CACHED, lifetime=1800.0
    )
    with servers as srv:
        contestants = build(srv)
        bl.alternate(contestants, args.runs, srv, "fleet_report")
        rss = peak_rss(contestants[0], max(3, args.runs // 2))
    md, data = report(contestants, rss, args.runs)
    print(md)
    bl.save(
        "fleet_report",
        {"machine": bl.machine_line(), "ratios": data, "contestants": bl.raw(contestants)},
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
