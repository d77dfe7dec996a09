"""Check that no Python module of the project is over 500 lines.

Covers the package with its tests, the benchmarks and the tools: a test
module or a fake server grows like any other. A module over the limit is
split by concern; the only exceptions are listed below, each with the
change that removes it, and an exception that no longer applies is an
error too, so that the list only shrinks.

    python tools/check_module_sizes.py     prints what is wrong, exits 1 if anything is
"""

from __future__ import annotations

import pathlib
import sys

LIMIT = 500
TREES = ("glanceclient", "bench", "tools")

#: Modules over the limit, each with the change that removes it (none today).
KNOWN: dict[str, str] = {}


def problems(top: pathlib.Path) -> list[str]:
    """What is wrong with the tree at ``top``, one line each."""
    found = []
    over = set()
    for tree in TREES:
        for path in sorted((top / tree).rglob("*.py")):
            name = path.relative_to(top).as_posix()
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines <= LIMIT:
                continue
            over.add(name)
            if name not in KNOWN:
                found.append("%s: %d lines, over %d: split it by concern" % (name, lines, LIMIT))
    for name in sorted(set(KNOWN) - over):
        found.append("%s: within %d lines now: remove it from KNOWN" % (name, LIMIT))
    return found


def main() -> int:
    found = problems(pathlib.Path(__file__).resolve().parent.parent)
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
