"""Shared machinery of the benchmark scripts (stdlib only).

- where things live: the checkout, the project's venv, the benchmark venvs
  (``$GLANCECLIENT_BENCH_CACHE``, default ``~/.cache/python-glanceclient``;
  never under /tmp, where stevedore turns its entry-point cache off);
- building and reusing those venvs;
- running a command and measuring its wall time and peak RSS (``wait4``);
- timing contestants alternately, then reporting medians and the median of
  per-round ratios (the machine's speed drifts, so only figures taken side
  by side are compared);
- markdown tables, and a JSON dump of raw figures in bench/results/.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
from pathlib import Path
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
PROJECT_VENV = Path(os.environ.get("GLANCECLIENT_BENCH_PROJECT_VENV", str(ROOT / ".venv")))
CACHE = Path(
    os.environ.get(
        "GLANCECLIENT_BENCH_CACHE",
        os.path.join(os.path.expanduser("~"), ".cache", "python-glanceclient"),
    )
)
UPSTREAM_GLANCECLIENT = "4.13.0"
DEFAULT_OSC = "10.5.0"


def log(msg: str) -> None:
    """Progress goes to stderr; tables go to stdout."""
    print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ venvs


def _refuse_tmp(path: Path) -> None:
    real = os.path.realpath(path)
    tmp = os.path.realpath(tempfile.gettempdir())
    if real == tmp or real.startswith((tmp + os.sep, "/tmp/")):
        raise SystemExit(
            "refusing to build a benchmark venv under %s: stevedore turns "
            "its entry-point cache off there and skews timings; set "
            "GLANCECLIENT_BENCH_CACHE elsewhere" % real
        )


def base_python() -> str:
    """The interpreter the project's venv was made from, else ours.

    Every venv of the benchmarks is made from the same interpreter so that
    start-up costs compare.
    """
    cfg = PROJECT_VENV / "pyvenv.cfg"
    if cfg.exists():
        for line in cfg.read_text().splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "executable" and os.path.exists(value.strip()):
                return value.strip()
        for line in cfg.read_text().splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "home":
                for name in ("python3", "python"):
                    cand = os.path.join(value.strip(), name)
                    if os.path.exists(cand):
                        return cand
    return getattr(sys, "_base_executable", None) or sys.executable


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def dist_version(python: Path | str, dist: str) -> str | None:
    """Installed version of ``dist`` in the environment of ``python``."""
    if not os.path.exists(python):
        return None
    proc = subprocess.run(
        [
            str(python),
            "-c",
            "import importlib.metadata as m, sys\n"
            "try:\n print(m.version(sys.argv[1]))\n"
            "except m.PackageNotFoundError:\n pass",
            dist,
        ],
        capture_output=True,
        text=True,
        env=clean_env(),
    )
    return proc.stdout.strip() or None


def frozen(python: Path | str, exclude: Sequence[str] = ()) -> list[str]:
    """``name==version`` lines of what ``python``'s environment holds."""
    skip = {_norm(x) for x in exclude}
    proc = subprocess.run(
        [
            str(python),
            "-c",
            "import importlib.metadata as m\n"
            "for d in m.distributions():\n"
            ' print("%s==%s" % (d.metadata["Name"], d.version))',
        ],
        capture_output=True,
        text=True,
        env=clean_env(),
        check=True,
    )
    out = set()
    for line in proc.stdout.splitlines():
        name = line.split("==")[0]
        if name and _norm(name) not in skip:
            out.add(line)
    return sorted(out)


def _norm(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(str(path) + ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _pip(venv: Path, args: list[str], logfile: Path, env: dict[str, str] | None = None) -> None:
    cmd = [
        str(venv_python(venv)),
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "-q",
    ] + args
    with open(logfile, "a") as fh:
        fh.write("$ %s\n" % " ".join(cmd))
        fh.flush()
        proc = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env or clean_env())
    if proc.returncode:
        tail = Path(logfile).read_text().splitlines()[-15:]
        raise RuntimeError("pip install failed in %s:\n%s" % (venv, "\n".join(tail)))


def ensure_venv(
    venv: Path,
    requirements: list[str],
    constraints: list[str] | None = None,
    check: Callable[[Path], bool] | None = None,
) -> Path:
    """Create ``venv`` with ``requirements`` unless it is already there.

    A venv made by these scripts carries a marker naming what it was made
    with and is remade when that changes. A venv without a marker is
    reused when ``check(venv)`` says it fits.
    """
    _refuse_tmp(venv)
    spec = {"requirements": requirements, "python": base_python()}
    marker = venv / ".bench-spec.json"
    with _locked(venv):
        if venv_python(venv).exists():
            if marker.exists():
                try:
                    if json.loads(marker.read_text()) == spec:
                        return venv
                except ValueError:
                    pass
            elif check is not None and check(venv):
                marker.write_text(json.dumps(spec))
                return venv
        logfile = venv.with_name(venv.name + "-build.log")
        logfile.write_text("")
        log("bench: building %s (%s); log in %s" % (venv, " ".join(requirements), logfile))
        started = time.monotonic()
        if venv.exists():
            shutil.rmtree(venv)
        subprocess.run([base_python(), "-m", "venv", str(venv)], check=True, env=clean_env())
        args = list(requirements)
        if constraints:
            cfile = venv / "bench-constraints.txt"
            cfile.write_text("\n".join(constraints) + "\n")
            args = ["-c", str(cfile)] + args
        if requirements:
            _pip(venv, args, logfile)
        marker.write_text(json.dumps(spec))
        log("bench: built %s in %.0f s" % (venv, time.monotonic() - started))
    return venv


def upstream_venv() -> Path:
    """The venv of upstream python-glanceclient (its own, never ours)."""
    venv = Path(os.environ.get("GLANCECLIENT_BENCH_UPSTREAM_VENV", str(CACHE / "bench-upstream")))
    req = "python-glanceclient==%s" % UPSTREAM_GLANCECLIENT
    return ensure_venv(
        venv,
        [req],
        check=lambda v: (
            dist_version(venv_python(v), "python-glanceclient") == UPSTREAM_GLANCECLIENT
        ),
    )


def project_constraints() -> list[str] | None:
    """Pins of the project's venv, so benchmark venvs get the same versions."""
    py = project_python()
    if py is None:
        return None
    return frozen(py, exclude=["python-glanceclient"])


def ours_venv() -> Path:
    """A venv holding a plain (not editable) install of this checkout.

    Made like the upstream venv: only the package and its requirements,
    pinned to the project venv's versions. An editable install puts a
    setuptools import finder in a .pth file, which every interpreter start
    in that venv pays for; this venv measures what users would install.
    """
    venv = Path(os.environ.get("GLANCECLIENT_BENCH_OURS_VENV", str(CACHE / "bench-ours")))
    ensure_venv(venv, [])
    with _locked(venv):
        install_project_snapshot(venv, project_constraints())
    return venv


def project_python() -> Path | None:
    py = venv_python(PROJECT_VENV)
    return py if py.exists() else None


def project_script(name: str) -> Path | None:
    path = PROJECT_VENV / "bin" / name
    return path if path.exists() else None


def project_fingerprint() -> str:
    """A hash of what an install of the project would contain."""
    digest = hashlib.sha256()
    files = [ROOT / "setup.cfg", ROOT / "setup.py", ROOT / "requirements.txt"]
    pkg = ROOT / "glanceclient"
    files += sorted(
        p
        for p in pkg.rglob("*")
        if p.is_file() and "tests" not in p.relative_to(pkg).parts and "__pycache__" not in p.parts
    )
    for path in files:
        if path.exists():
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def install_project_snapshot(venv: Path, constraints: list[str] | None = None) -> str:
    """Install a copy of the checkout's package (not editable) into ``venv``.

    A copy, so that the build (pbr writes AUTHORS, ChangeLog, egg-info)
    never touches the shared checkout; reinstalled only when the package's
    files change. Returns the fingerprint installed.
    """
    fp = project_fingerprint()
    marker = venv / ".bench-project.txt"
    if marker.exists() and marker.read_text() == fp:
        return fp
    src = venv.with_name(venv.name + "-src")
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    for name in (
        "setup.cfg",
        "setup.py",
        "requirements.txt",
        "README.md",
        "README.rst",
        "LICENSE",
        "pyproject.toml",
    ):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, src / name)
    shutil.copytree(
        ROOT / "glanceclient",
        src / "glanceclient",
        ignore=shutil.ignore_patterns("__pycache__", "tests"),
    )
    logfile = venv.with_name(venv.name + "-build.log")
    log("bench: installing the project (%s) into %s" % (fp, venv))
    env = clean_env({"PBR_VERSION": "0.0.1.dev0"})
    cfile = venv / "bench-constraints.txt"
    if constraints:
        cfile.write_text("\n".join(constraints) + "\n")
    args = ["--force-reinstall", "--no-deps", str(src)]
    _pip(venv, args, logfile, env=env)
    # Pull in any requirement of ours that the base venv lacks, with the
    # same pins as the base.
    args = [str(src)] + (["-c", str(cfile)] if cfile.exists() else [])
    _pip(venv, args, logfile, env=env)
    marker.write_text(fp)
    return fp


# --------------------------------------------------------------- running


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The caller's environment less what would change a child's behaviour.

    Drops ``OS_*`` (credentials, clouds), ``PYTHON*`` (paths, start-up
    files) and ``VIRTUAL_ENV``.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OS_", "PYTHON"))
        and k not in ("VIRTUAL_ENV", "PIP_REQUIRE_VIRTUALENV")
    }
    env.update(extra or {})
    return env


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
                env=env if env is not None else clean_env(),
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
    ``forbid_stderr``: strings its stderr must not hold.
    ``parse``: turns stdout into metrics (for in-process timings); the
    metric named by ``value`` is then what is compared instead of wall.
    """

    name: str
    argv: list[str]
    env: dict[str, str] | None = None
    expect: tuple[str, ...] = ()
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
        if result.rc != 0:
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
        log("bench: %s warm-up: %s" % (label, c.name))
        try:
            c.measure(server, record=True, warmup=True)
        except ContestantFailed as e:
            c.failed = str(e)
            log("bench:   FAILED: %s" % e)
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
                log("bench:   FAILED: %s" % c.failed)
        if rnd in (0, runs - 1) or time.monotonic() - started > 5:
            log("bench: %s round %d/%d" % (label, rnd + 1, runs))
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
        base_python(),
        *load,
    )
