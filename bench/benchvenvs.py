"""Where the benchmarks' things live, and their venvs (stdlib only).

- the checkout, the project's venv, the benchmark venvs
  (``$GLANCECLIENT_BENCH_CACHE``, default ``~/.cache/python-glanceclient``;
  never under /tmp, where stevedore turns its entry-point cache off);
- building and reusing those venvs, each pinned to the project venv's
  package versions; a plain install of a snapshot of the checkout.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
import contextlib
import fcntl
import hashlib
import json
import os
from pathlib import Path
import shutil
import subprocess
import sys
import tempfile
import time

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PROJECT_VENV = Path(os.environ.get("GLANCECLIENT_BENCH_PROJECT_VENV", str(ROOT / ".venv")))
CACHE = Path(
    os.environ.get(
        "GLANCECLIENT_BENCH_CACHE",
        os.path.join(os.path.expanduser("~"), ".cache", "python-glanceclient"),
    )
)
UPSTREAM_GLANCECLIENT = "4.13.0"
DEFAULT_OSC = "10.5.0"


def neutral_cwd() -> str:
    """A working directory for the processes timed: never the checkout,
    whose ``glanceclient/`` would shadow the installed package of any
    ``python -c`` (its ``''`` on sys.path is the working directory)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    return str(CACHE)


def log(msg: str) -> None:
    """Progress goes to stderr; tables go to stdout."""
    print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ venvs


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
        cwd=neutral_cwd(),
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
        cwd=neutral_cwd(),
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
