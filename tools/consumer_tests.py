"""Get another project's own glanceclient tests ready to run against this
package: nova 34.0.0's ``nova/tests/unit/image/test_glance.py``.

nova's released wheel carries its tests. They run in a virtualenv of their
own, built once from the package index with every version pinned
(``tools/consumers/nova.txt``), and reused: a stamp written after a
successful install names the pins and the Python it was built for, and a
virtualenv without a matching stamp is wiped and built again. This
package's wheel is then installed over it, in place of upstream
python-glanceclient, as a deployment would install it, and ``pip check``
confirms that nova's requirements still hold.

    python tools/consumer_tests.py WHEEL

prints the virtualenv and the directory to run stestr from (its
``.stestr.conf`` points at nova's tests), one per line; tools/run-tests
runs them and counts their results with its own. Only the standard
library is used. Needs Python 3.11 or later (nova's own requirement).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import pathlib
import shutil
import subprocess
import sys

ENV_VAR = "GLANCECLIENT_CONSUMER_VENV"
DEFAULT_DIR = pathlib.Path("~/.cache/python-glanceclient/consumer-nova-venv")
PINS = pathlib.Path(__file__).resolve().parent / "consumers" / "nova.txt"
STAMP_NAME = ".glanceclient-consumer-stamp"
#: The test module run, below nova's installed package.
TESTS = "nova/tests/unit/image"


def venv_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get(ENV_VAR) or DEFAULT_DIR).expanduser()


def stamp_text() -> str:
    digest = hashlib.sha256(PINS.read_bytes()).hexdigest()
    return "%s python %d.%d\n" % (digest, *sys.version_info[:2])


def run(*argv: str | pathlib.Path) -> None:
    """Run a command, its output on stderr (stdout is this script's answer)."""
    subprocess.run([str(a) for a in argv], check=True, stdout=sys.stderr)


def ensure_venv(path: pathlib.Path) -> pathlib.Path:
    """Build the pinned virtualenv unless a complete one is there."""
    stamp = path / STAMP_NAME
    if stamp.exists() and stamp.read_text() == stamp_text():
        return path
    shutil.rmtree(path, ignore_errors=True)
    run(sys.executable, "-m", "venv", path)
    # Exactly the pinned set, nothing resolved anew.
    run(path / "bin" / "pip", "install", "-q", "--no-deps", "-r", PINS)
    stamp.write_text(stamp_text())
    return path


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: consumer_tests.py WHEEL", file=sys.stderr)
        return 2
    if sys.version_info < (3, 11):
        print("nova 34.0.0 needs Python 3.11 or later", file=sys.stderr)
        return 1
    wheel = pathlib.Path(argv[0]).resolve()
    path = venv_dir()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(str(path) + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ensure_venv(path)
        pip = path / "bin" / "pip"
        run(pip, "install", "-q", "--no-deps", "--force-reinstall", wheel)
        run(pip, "check")
        python = path / "bin" / "python"
        where = "import nova, os; print(os.path.dirname(os.path.dirname(nova.__file__)))"
        site = subprocess.run(
            [python, "-c", where],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        work = path / "run"
        work.mkdir(exist_ok=True)
        (work / ".stestr.conf").write_text(
            "[DEFAULT]\ntest_path=%s/%s\ntop_dir=%s\n" % (site, TESTS, site)
        )
    print(path)
    print(work)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
