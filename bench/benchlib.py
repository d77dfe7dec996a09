"""Shared machinery of the benchmark scripts (stdlib only).

- (where things live and the venvs are in benchvenvs.py);
- running a command and measuring its wall time and peak RSS (``wait4``);
- timing contestants alternately, then reporting medians and the median of
  per-round ratios (the machine's speed drifts, so only figures taken side
  by side are compared);
- markdown tables, and a JSON dump of raw figures in bench/results/.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from collections.abc import Sequence
import dataclasses
import json
import os
from pathlib import Path
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import benchvenvs as bv

RESULTS = bv.BENCH / "results"


# --------------------------------------------------------------- running


@dataclasses.dataclass
class Run:
    wall: float  # seconds, fork to reap
    rc: int
    maxrss_kib: int
    stdout: str
    stderr: str
    metrics: dict = dataclasses.field(default_factory=dict)


# Peak RSS needs a go-between. A child's ru_maxrss includes the high-water
# RSS of the memory it started with: fork (or vfork) hands it this process's
# pages, and exec keeps the figure, so a child of a 200 MB parent reports
# 200 MB even for /bin/true. This launcher, started without site (about
# 8.5 MB, less than any Python process here), forks the command, waits
# for it and writes its exit status and ru_maxrss to a pipe. It adds its
# own start-up to the wall time, so only memory.py uses it.
MEASURE_RSS = False
_LAUNCHER = """
import os, sys
fd = int(sys.argv[1])
pid = os.fork()
if pid == 0:
    try:
        os.execv(sys.argv[2], sys.argv[2:])
    except OSError as e:
        os.write(2, ("launcher: %s\\n" % e).encode())
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
os.write(fd, b"%d %d" % (os.waitstatus_to_exitcode(status), usage.ru_maxrss))
"""


def run(argv: Sequence[str], env: dict[str, str] | None = None, timeout: float = 300.0) -> Run:
    """Run ``argv``; return its wall time, exit code, peak RSS and output.

    The peak RSS is only right when ``MEASURE_RSS`` is set (see above);
    otherwise it is -1.
    """
    argv = list(argv)
    rfd = wfd = -1
    if MEASURE_RSS:
        rfd, wfd = os.pipe()
        argv = [sys.executable, "-I", "-S", "-c", _LAUNCHER, str(wfd)] + argv
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        try:
            proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=env if env is not None else bv.clean_env(),
                cwd=bv.neutral_cwd(),
                pass_fds=(wfd,) if MEASURE_RSS else (),
            )
        finally:
            if MEASURE_RSS:
                os.close(wfd)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, _ = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        maxrss = -1
        if MEASURE_RSS:
            with os.fdopen(rfd, "rb") as fh:
                report = fh.read().split()
            if len(report) == 2:
                proc.returncode, maxrss = int(report[0]), int(report[1])
        out.seek(0)
        err.seek(0)
        return Run(
            wall,
            proc.returncode,
            maxrss,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )


@dataclasses.dataclass
class Contestant:
    """One command to time.

    ``expect``: strings its stdout must hold for a run to count;
    ``statuses``: the exit statuses that count (a fan-out over dead nodes
    exits 1 by design);
    ``forbid_stderr``: strings its stderr must not hold.
    ``parse``: turns stdout into metrics (for in-process timings); the
    metric named by ``value`` is then what is compared instead of wall.
    """

    name: str
    argv: list[str]
    env: dict[str, str] | None = None
    expect: tuple[str, ...] = ()
    statuses: tuple[int, ...] = (0,)
    forbid_stderr: tuple[str, ...] = ()
    parse: Callable[[str], dict] | None = None
    value: str = "wall"
    note: str = ""
    warmup_argv: list[str] | None = None  # a cheaper warm-up, if any
    missing: str = ""  # set: not run, and why
    failed: str = ""  # set during the run: dropped, and why
    runs: list[Run] = dataclasses.field(default_factory=list)
    first_requests: list[str] | None = None
    requests: list[str] | None = None

    def measure(self, server=None, record: bool = False, warmup: bool = False) -> Run:
        if warmup and self.warmup_argv is not None:
            result = run(self.warmup_argv, self.env)
            problem = self.check(result)
            if problem:
                raise ContestantFailed(problem)
            return result
        if record and server is not None:
            server.reset_log()
        result = run(self.argv, self.env)
        if record and server is not None:
            seen = server.requests_seen()
            if self.first_requests is None:
                self.first_requests = seen
            else:
                self.requests = seen
        problem = self.check(result)
        if problem:
            raise ContestantFailed(problem)
        if self.parse is not None:
            try:
                result.metrics = self.parse(result.stdout)
            except (ValueError, KeyError, TypeError) as e:
                raise ContestantFailed("bad output (%s): %s" % (e, _tail(result.stdout)))
        # A process may time work of its own that is not to count (such as
        # repeated calls made for an in-process figure): 'excluded'.
        result.metrics.setdefault("wall", result.wall - result.metrics.get("excluded", 0.0))
        result.metrics["maxrss_kib"] = result.maxrss_kib
        return result

    def check(self, result: Run) -> str:
        if result.rc not in self.statuses:
            return "exit status %d: %s" % (result.rc, _tail(result.stderr or result.stdout))
        for want in self.expect:
            if want not in result.stdout:
                return "output lacks %r: %s" % (want, _tail(result.stdout))
        for bad in self.forbid_stderr:
            if bad in result.stderr:
                return "stderr says %r: %s" % (bad, _tail(result.stderr))
        return ""

    @property
    def ok(self) -> bool:
        return not self.missing and not self.failed

    def values(self, metric: str | None = None) -> list[float]:
        key = metric or self.value
        return [r.metrics[key] for r in self.runs]


class ContestantFailed(Exception):
    pass


def _tail(text: str, lines: int = 4) -> str:
    text = text.strip().splitlines()
    return " | ".join(text[-lines:])[-400:] if text else "(no output)"


def alternate(contestants: Sequence[Contestant], runs: int, server=None, label: str = "") -> None:
    """Warm each contestant up once, then time ``runs`` rounds.

    Each round runs every contestant once; the order rotates from round to
    round so that no contestant always follows the same one. With a
    ``server``, the requests of the warm-up run and of the first timed run
    are recorded. A contestant that fails is dropped with the reason.
    """
    live = [c for c in contestants if c.ok]
    for c in live:
        bv.log("bench: %s warm-up: %s" % (label, c.name))
        try:
            c.measure(server, record=True, warmup=True)
        except ContestantFailed as e:
            c.failed = str(e)
            bv.log("bench:   FAILED: %s" % e)
    live = [c for c in live if c.ok]
    if not live:
        return
    started = time.monotonic()
    for rnd in range(runs):
        shift = rnd % len(live)
        order = live[shift:] + live[:shift]
        for c in order:
            if not c.ok:
                continue
            try:
                c.runs.append(c.measure(server, record=(rnd == 0)))
            except ContestantFailed as e:
                c.failed = "round %d: %s" % (rnd + 1, e)
                c.runs.clear()
                bv.log("bench:   FAILED: %s" % c.failed)
        if rnd in (0, runs - 1) or time.monotonic() - started > 5:
            bv.log("bench: %s round %d/%d" % (label, rnd + 1, runs))
            started = time.monotonic()


# ----------------------------------------------------------------- stats


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def quartiles(values: Sequence[float]) -> tuple[float, float]:
    if len(values) < 2:
        v = values[0] if values else float("nan")
        return v, v
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], q[2]


def paired_ratio(a: Contestant, b: Contestant, metric: str | None = None) -> float | None:
    """Median over rounds of a's value / b's value in the same round."""
    if not (a.ok and b.ok and a.runs and b.runs):
        return None
    va, vb = a.values(metric), b.values(metric)
    ratios = [x / y for x, y in zip(va, vb, strict=False) if y > 0]
    return median(ratios) if ratios else None


def why_absent(c: Contestant) -> str:
    return c.missing or c.failed or "no runs"


# ---------------------------------------------------------------- output


def fmt_time(seconds: float) -> str:
    if seconds != seconds:  # NaN
        return "-"
    if seconds >= 1:
        return "%.3f s" % seconds
    if seconds >= 0.001:
        return "%.1f ms" % (seconds * 1e3)
    return "%.0f us" % (seconds * 1e6)


def fmt_mib(kib: float) -> str:
    return "-" if kib != kib else "%.0f MiB" % (kib / 1024)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(x) for x in row) + " |" for row in rows]
    return "\n".join(lines)


def timing_table(
    contestants: Sequence[Contestant], metric: str | None = None, what: str = "wall"
) -> str:
    rows = []
    for c in contestants:
        if c.ok and c.runs:
            vals = c.values(metric)
            lo, hi = quartiles(vals)
            reqs = c.requests if c.requests is not None else c.first_requests
            rows.append(
                [
                    c.name,
                    fmt_time(median(vals)),
                    "%s - %s" % (fmt_time(lo), fmt_time(hi)),
                    str(len(vals)),
                    "-" if reqs is None else str(len(reqs)),
                ]
            )
        else:
            rows.append([c.name, "n/a", "", "0", "**%s**" % why_absent(c).replace("|", "/")])
    return table(["contestant", "median %s" % what, "p25 - p75", "runs", "HTTP requests"], rows)


def ratio_rows(
    pairs: Sequence[tuple[str, Contestant, Contestant, float | None]], metric: str | None = None
) -> tuple[str, list[dict]]:
    """Rows of ``A / B`` ratios with an optional goal (``A <= goal x B``)."""
    rows, data = [], []
    for label, a, b, goal in pairs:
        ratio = paired_ratio(a, b, metric)
        if ratio is None:
            missing = a if not (a.ok and a.runs) else b
            verdict = "not measured: %s missing (%s)" % (missing.name, why_absent(missing))
            shown = "n/a"
        else:
            shown = "%.3fx" % ratio
            verdict = "" if goal is None else ("meets goal" if ratio <= goal else "MISSES goal")
        rows.append(
            [label, shown, "" if goal is None else "<= %.2fx" % goal, verdict.replace("|", "/")]
        )
        data.append({"pair": label, "ratio": ratio, "goal": goal, "verdict": verdict})
    return table(["pair (median of per-round ratios)", "ratio", "goal", "verdict"], rows), data


def requests_section(contestants: Sequence[Contestant]) -> str:
    lines = []
    for c in contestants:
        if c.first_requests is None and c.requests is None:
            continue
        steady = c.requests if c.requests is not None else c.first_requests
        lines.append("- %s: %s" % (c.name, _fmt_reqs(steady)))
        if (
            c.first_requests is not None
            and c.requests is not None
            and c.first_requests != c.requests
        ):
            lines.append("  - first (warm-up) run differed: %s" % _fmt_reqs(c.first_requests))
    return "\n".join(lines)


def _fmt_reqs(reqs: list[str] | None) -> str:
    if not reqs:
        return "(none)"
    if len(reqs) > 8:
        head = ", ".join("`%s`" % r for r in reqs[:4])
        return "%d requests: %s, ... `%s`" % (len(reqs), head, reqs[-1])
    return ", ".join("`%s`" % r for r in reqs)


def measure(
    name: str,
    runs: int,
    servers,
    build: Callable[..., list[Contestant]],
    report: Callable[[list[Contestant]], tuple[str, list[dict]]],
) -> int:
    """The common body of every script: start ``servers``, alternate the
    contestants ``build(servers)`` makes for ``runs`` rounds, print
    ``report(contestants)`` and save the raw figures as ``name``."""
    with servers as srv:
        contestants = build(srv)
        alternate(contestants, runs, srv, name)
    md, data = report(contestants)
    print(md)
    save(name, {"machine": machine_line(), "ratios": data, "contestants": raw(contestants)})
    return 0


def save(name: str, payload: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / ("%s.json" % name)
    path.write_text(json.dumps(payload, indent=1, default=str))
    return path


def raw(contestants: Sequence[Contestant]) -> list[dict]:
    return [
        {
            "name": c.name,
            "argv": c.argv,
            "missing": c.missing,
            "failed": c.failed,
            "note": c.note,
            "requests": c.requests,
            "first_requests": c.first_requests,
            "runs": [
                {"wall": r.wall, "maxrss_kib": r.maxrss_kib, "metrics": r.metrics} for r in c.runs
            ],
        }
        for c in contestants
    ]


def parser(description: str, runs: int) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument(
        "--runs", type=int, default=runs, help="timed rounds after one warm-up (default %d)" % runs
    )
    return p


def machine_line() -> str:
    load = os.getloadavg()
    return "%s, %d cores, Python %s (%s), load %.2f %.2f %.2f" % (
        platform.platform(),
        os.cpu_count() or 0,
        platform.python_version(),
        bv.base_python(),
        *load,
    )
