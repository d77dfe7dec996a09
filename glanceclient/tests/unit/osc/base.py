"""Shared pieces of the OSC plugin tests.

Commands run against the real client, the real keystoneauth1 Session and
the real HTTP layer, with requests-mock answering; OpenStackClient's own
shell is used to build a real ClientManager from a command line.
"""

from __future__ import annotations

import io
import os
import typing as ty
from unittest import mock

import fixtures
from osc_lib.test import base as osc_base

from glanceclient.tests.unit import base


def isolate_environment(test: fixtures.TestWithFixtures) -> None:
    """Hide the developer's OS_* variables and clouds.yaml from a test."""
    for name in list(os.environ):
        if name.startswith(("OS_", "OPENSTACK_")):
            test.useFixture(fixtures.EnvironmentVariable(name))
    test.useFixture(fixtures.EnvironmentVariable("XDG_CONFIG_HOME"))
    test.useFixture(fixtures.TempHomeDir())


class TestCommand(base.TestCase, osc_base.TestCommand):
    """An osc-lib command test whose ``image_cache`` client is real.

    ``self.client`` talks to :data:`base.ENDPOINT` with :data:`base.TOKEN`
    through a keystoneauth1 Session that requests-mock answers.
    """

    def setUp(self) -> None:
        super().setUp()
        isolate_environment(self)
        self.client = self.make_client()
        self.app.client_manager.image_cache = self.client

    def run_command(self, cmd: ty.Any, arglist: list[str], verifylist: list[tuple[str, ty.Any]]):
        """Parse ``arglist``, check it, and run the whole command (output
        included); returns what was written to stdout."""
        parsed_args = self.check_parser(cmd, arglist, verifylist)
        self.assertEqual(0, cmd.run(parsed_args))
        return self.fake_stdout.make_string()


def osc_app(argv: list[str], command_class: ty.Any = None) -> ty.Any:
    """OpenStackClient's shell, as ``openstack <argv> <command>`` sets it up.

    Runs its option parsing, configuration, plugin and command loading
    (``initialize_app``) and, given a command class, its authentication
    step (``prepare_to_run_command``); neither its logging set-up nor the
    command. The ClientManager a command would get is ``.client_manager``.
    """
    from openstackclient import shell as osc_shell
    from osc_lib import logs

    app = osc_shell.OpenStackShell()
    app.options, remainder = app.parser.parse_known_args(argv)
    configurator = mock.create_autospec(logs.LogConfigurator, instance=True)
    configurator.dump_trace = False
    app.log_configurator = configurator
    app.initialize_app(remainder)
    if command_class is not None:
        app.prepare_to_run_command(command_class(app, None))
    return app


def openstack(
    test: fixtures.TestWithFixtures, argv: list[str], stderr: ty.TextIO | None = None
) -> tuple[int, str, str]:
    """Run ``openstack <argv>`` in this process: OpenStackClient's shell,
    from option parsing to the command's exit status, without its logging
    set-up (which would take over the root logger of the test run).

    :param stderr: standard error (default: a StringIO, not a terminal).
    :returns: the exit status, standard output and standard error.
    """
    from openstackclient import shell as osc_shell
    from osc_lib import logs

    out, err = io.StringIO(), stderr or io.StringIO()
    test.useFixture(fixtures.MonkeyPatch("sys.stdout", out))
    test.useFixture(fixtures.MonkeyPatch("sys.stderr", err))
    configurator = mock.create_autospec(logs.LogConfigurator, instance=True)
    configurator.dump_trace = False
    test.useFixture(fixtures.MockPatch("osc_lib.logs.LogConfigurator", return_value=configurator))
    status = osc_shell.OpenStackShell().run(argv)
    return status, out.getvalue(), err.getvalue()
