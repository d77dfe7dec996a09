#!/usr/bin/env python3
"""Run every benchmark and write bench/results/latest.md.

Each script runs as its own process (cli, edge, metadefs, osc, sdk,
sdk_images, images_cli, sizes, fleet, fleet_report, cache_download, memory,
in that order), with its default number of rounds unless --runs or --quick
says otherwise. The report starts with the goals of all scripts in one
table, then each script's own section.

Usage: python bench/run_all.py [--only cli,osc] [--runs N | --quick]
                               [--output PATH]
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
import time

import benchlib as bl
import benchvenvs as bv

SCRIPTS = (
    "cli",
    "edge",
    "metadefs",
    "osc",
    "sdk",
    "sdk_images",
    "images_cli",
    "sizes",
    "fleet",
    "fleet_report",
    "cache_download",
    "memory",
)
QUICK_RUNS = {
    "cli": 5,
    "edge": 2,
    "metadefs": 5,
    "osc": 3,
    "sdk": 2,
    "sdk_images": 2,
    "images_cli": 2,
    "sizes": 3,
    "fleet": 2,
    "fleet_report": 2,
    "cache_download": 2,
    "memory": 1,
}


def git(*args: str) -> str:
    proc = subprocess.run(["git", "-C", str(bv.ROOT)] + list(args), capture_output=True, text=True)
    return proc.stdout.strip()


def versions() -> str:
    parts = []
    try:
        up = bv.venv_python(bv.upstream_venv())
        parts.append(
            "python-glanceclient (upstream) %s" % bv.dist_version(up, "python-glanceclient")
        )
    except (RuntimeError, SystemExit) as e:
        parts.append("upstream venv unavailable (%s)" % e)
    py = bv.project_python()
    if py is not None:
        for dist in (
            "python-openstackclient",
            "openstacksdk",
            "keystoneauth1",
            "osc-lib",
            "cliff",
            "requests",
        ):
            parts.append("%s %s" % (dist, bv.dist_version(py, dist) or "-"))
    return ", ".join(parts)


def goals(names: list[str]) -> str:
    rows = []
    for name in names:
        path = bl.RESULTS / ("%s.json" % name)
        if not path.exists():
            continue
        for r in json.loads(path.read_text()).get("ratios", []):
            if r.get("goal") is None:
                continue
            ratio = r.get("ratio")
            # A goal is a ratio, or a count of requests.
            count = r.get("unit") == "requests"
            shown, goal = ("%d", "<= %d") if count else ("%.3fx", "<= %.2fx")
            rows.append(
                [
                    name,
                    r["pair"],
                    "n/a" if ratio is None else shown % ratio,
                    goal % r["goal"],
                    r["verdict"].replace("|", "/"),
                ]
            )
    return bl.table(["script", "pair", "ratio", "goal", "verdict"], rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument(
        "--only", default=",".join(SCRIPTS), help="comma-separated scripts (default: all)"
    )
    p.add_argument("--runs", type=int, help="rounds for every script")
    p.add_argument(
        "--quick", action="store_true", help="few rounds: a smoke test, not figures to quote"
    )
    p.add_argument("--output", default=str(bl.RESULTS / "latest.md"))
    args = p.parse_args(argv)
    names = [n for n in args.only.split(",") if n]
    unknown = set(names) - set(SCRIPTS)
    if unknown:
        p.error("unknown scripts: %s" % ", ".join(sorted(unknown)))
    # Build the venvs first so that no script's timing window waits on pip.
    bv.upstream_venv()
    sections, failed = [], []
    started = time.monotonic()
    for name in names:
        cmd = [sys.executable, str(bv.BENCH / ("%s.py" % name))]
        if args.runs:
            cmd += ["--runs", str(args.runs)]
        elif args.quick:
            cmd += ["--runs", str(QUICK_RUNS[name])]
        bv.log("run_all: %s" % " ".join(cmd))
        t0 = time.monotonic()
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        bv.log("run_all: %s took %.0f s" % (name, time.monotonic() - t0))
        if proc.returncode:
            failed.append(name)
            sections.append(
                "## %s\n\nFAILED with exit status %d.\n\n%s\n"
                % (name, proc.returncode, proc.stdout)
            )
        else:
            sections.append(proc.stdout)
    dirty = git("status", "--porcelain", "--", "glanceclient", "setup.cfg", "requirements.txt")
    head = [
        "# Benchmarks: python-glanceclient (this project) vs alternatives",
        "",
        "- when: %s (%.0f s in all)%s"
        % (
            datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            time.monotonic() - started,
            ", QUICK run: smoke test only" if args.quick else "",
        ),
        "- checkout: %s%s"
        % (
            git("rev-parse", "--short", "HEAD") or "?",
            " plus uncommitted changes to the package" if dirty else "",
        ),
        "- machine: %s" % bl.machine_line(),
        "- versions: %s" % versions(),
        "- method: every figure is a median over alternating rounds against "
        "one fake Glance (bench/fake_glance.py) on loopback; ratios are "
        "medians of per-round ratios. The machine is shared and its speed "
        "drifts: compare ratios, not absolute times across runs.",
        "",
        "## Goals",
        "",
        goals(names),
        "",
    ]
    text = "\n".join(head) + "\n" + "\n".join(sections)
    with open(args.output, "w") as fh:
        fh.write(text)
    print(text)
    bv.log("run_all: wrote %s" % args.output)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
