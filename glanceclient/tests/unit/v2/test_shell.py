"""The static table of glance's commands (glanceclient/v2/shell.py)."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import textwrap

import testtools

from glanceclient.tests.unit import base
from glanceclient.v2 import commands
from glanceclient.v2 import shell as v2_shell


class CommandTableTest(testtools.TestCase):
    def test_the_table_names_every_command_function_and_nothing_else(self):
        found = {}
        for info in pkgutil.iter_modules(commands.__path__):
            module = importlib.import_module("%s.%s" % (v2_shell.PACKAGE, info.name))
            for name, func in vars(module).items():
                if name.startswith("do_") and getattr(func, "__module__", "") == module.__name__:
                    found[name[3:].replace("_", "-")] = "%s:%s" % (info.name, name)
        self.assertEqual(found, v2_shell.COMMANDS)

    def test_one_command_imports_its_command_module_alone(self):
        # (and the helpers it uses, such as v2/commands/common.py)
        probe = textwrap.dedent(
            """\
            import sys
            from glanceclient import shell
            from glanceclient.v2 import shell as v2_shell
            shell.main(sys.argv[1:])
            modules = {"%s.%s" % (v2_shell.PACKAGE, v.partition(":")[0])
                       for v in v2_shell.COMMANDS.values()}
            print(",".join(sorted(modules.intersection(sys.modules))))
            """
        )

        def loaded(*argv: str) -> str:
            result = subprocess.run(
                [sys.executable, "-c", probe, *argv],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            return result.stdout.strip().splitlines()[-1]

        token = ["--os-image-url", "http://127.0.0.1:9", "--os-auth-token", "t", "--timeout", "0.5"]
        self.assertEqual(
            "glanceclient.v2.commands.cache",
            loaded(*token, "cache-nodes-list", base.IMAGE_ID),
        )
        self.assertEqual("glanceclient.v2.commands.members", loaded(*token, "help", "member-list"))
