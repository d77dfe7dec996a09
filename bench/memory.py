#!/usr/bin/env python3
"""Peak RSS of every command the other benchmarks run.

The peak resident set size of each command comes from ``wait4`` in a small
launcher that forks it (see benchlib.MEASURE_RSS for why not directly). Commands: those of cli.py,
the 10,000-node runs of sizes.py, those of osc.py, and the one-image
processes of sdk.py; alternated like the timings, medians reported.

Usage: python bench/memory.py [--runs N]
"""

from __future__ import annotations

import sys

import benchlib as bl
import cli
import fake_glance as fg
import osc
import sdk
import sizes


def build(srv: fg.FakeServers) -> dict[str, list[bl.Contestant]]:
    return {
        "cli": cli.build(srv),
        "sizes": sizes.build(srv, (10000,), ("glance", "sdk", "upstream", "one-liner")),
        "osc": osc.build(srv),
        "sdk": sdk.build(srv, (1,), interleaved=False),
    }


def report(groups: dict[str, list[bl.Contestant]], runs: int) -> tuple[str, list[dict]]:
    rows = []
    for group, cs in groups.items():
        for c in cs:
            if c.ok and c.runs:
                rss = c.values("maxrss_kib")
                rows.append(
                    [
                        group,
                        c.name,
                        bl.fmt_mib(bl.median(rss)),
                        "%s - %s" % (bl.fmt_mib(min(rss)), bl.fmt_mib(max(rss))),
                    ]
                )
            else:
                rows.append([group, c.name, "n/a", "**%s**" % bl.why_absent(c).replace("|", "/")])
    table = bl.table(["script", "command", "median peak RSS", "min - max"], rows)
    c, s, o, k = (groups[x] for x in ("cli", "sizes", "osc", "sdk"))
    ratios, data = bl.ratio_rows(
        [
            ("ours glance / upstream glance (3 nodes)", c[0], c[2], None),
            ("ours glance / requests one-liner (3 nodes)", c[0], c[3], None),
            ("ours glance / upstream glance (10,000 nodes)", s[0], s[2], None),
            ("ours SDK / raw requests (1 image)", k[0], k[2], None),
            ("ours SDK / openstacksdk (1 image)", k[0], k[1], None),
            ("cache nodes list / cached image list", o[0], o[1], None),
            ("--version with plugin / without", o[3], o[2], None),
        ],
        "maxrss_kib",
    )
    floor = bl.run(["/bin/true"]).maxrss_kib
    out = [
        "## memory: peak RSS per command",
        "",
        "ru_maxrss of each command, read by a small launcher that forks "
        "it (a child of the benchmark process itself would report at "
        "least the benchmark's own peak RSS, which fork hands down); "
        "the launcher puts a floor of %s under every figure (what "
        "/bin/true reports). %d alternating rounds after one warm-up "
        "each." % (bl.fmt_mib(floor), runs),
        "",
        table,
        "",
        ratios.replace(
            "pair (median of per-round ratios)", "RSS pair (median of per-round ratios)"
        ),
        "",
    ]
    return "\n".join(out), data


def main(argv: list[str] | None = None) -> int:
    args = bl.parser(__doc__.split("\n")[0], runs=3).parse_args(argv)
    bl.MEASURE_RSS = True
    groups: dict = {}

    def build_all(srv: fg.FakeServers) -> list[bl.Contestant]:
        groups.update(build(srv))
        return [c for cs in groups.values() for c in cs]

    return bl.measure(
        "memory",
        args.runs,
        fg.FakeServers(nodes=3),
        build_all,
        lambda every: report(groups, args.runs),
    )


if __name__ == "__main__":
    sys.exit(main())
