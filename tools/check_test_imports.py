"""Check that no module under glanceclient/tests imports a test module.

What tests share (base classes, data, readers, fake servers) lives in
helper modules (``base.py``, ``tables.py``, ``fakeglance/``...), never in a
``test_*`` module: a test module imported by another runs its tests twice
or ties two tests' files together. Imports inside functions count.

    python tools/check_test_imports.py     prints each offending import, exits 1 if any
"""

from __future__ import annotations

import ast
import pathlib
import sys

TESTS = pathlib.Path("glanceclient") / "tests"


def _is_test_module(top: pathlib.Path, dotted: str) -> bool:
    path = top.joinpath(*dotted.split("."))
    return path.name.startswith("test_") and path.with_suffix(".py").is_file()


def problems(top: pathlib.Path) -> list[str]:
    """Each import of a test module, as ``file:line: module``."""
    found = []
    for path in sorted((top / TESTS).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module] + ["%s.%s" % (node.module, a.name) for a in node.names]
            else:
                continue
            for name in names:
                if name.startswith("glanceclient.tests.") and _is_test_module(top, name):
                    where = path.relative_to(top).as_posix()
                    found.append("%s:%d: imports %s" % (where, node.lineno, name))
    return found


def main() -> int:
    found = problems(pathlib.Path(__file__).resolve().parent.parent)
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
