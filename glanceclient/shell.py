"""The ``glance`` command: options, dispatch and errors.

Start-up is kept cheap because every call pays for it: one command imports
its own module only (:data:`glanceclient.v2.shell.COMMANDS`);
keystoneauth1's plugin loading is imported only when credentials must be
loaded or their options shown, and nothing that talks HTTP for ``help``,
``--version`` or ``bash-completion``: the function-level imports below are
there for that. The client is built from the options by
:mod:`glanceclient.cli.connection`.
"""

from __future__ import annotations

import argparse
import logging
import sys
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.cli import args as cli_args
from glanceclient.cli import connection
from glanceclient.cli import errors
from glanceclient.cli import formats
from glanceclient.cli import messages
from glanceclient.cli import options
from glanceclient.cli import upstream_options
from glanceclient.cli.connection import DEFAULT_TIMEOUT
from glanceclient.cli.parser import Parser
from glanceclient.common import config
from glanceclient.v2 import shell as v2_shell

Command = ty.Callable[..., int]


def _seconds(text: str) -> float | None:
    """``--timeout``: a number of seconds above 0."""
    try:
        return config.check_timeout(text, name=None)
    except exc.InvalidArgument as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _token(text: str) -> str:
    """``--os-auth-token``: a token HTTP can carry (never quoted back)."""
    try:
        config.check_header("X-Auth-Token", text)
    except exc.InvalidArgument as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    return text


def _endpoint(text: str) -> str:
    """``--os-image-url``: an http or https URL without query or fragment."""
    try:
        return config.check_endpoint(text)
    except exc.InvalidEndpoint as e:
        raise argparse.ArgumentTypeError(str(e)) from None


class _VersionAction(argparse.Action):
    """``--version``: print the installed version (read only when asked)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: ty.Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help=_("Show the version and exit."))

    def __call__(self, parser: argparse.ArgumentParser, *args: ty.Any) -> None:
        from glanceclient import version

        sys.stdout.write(version.version_string() + "\n")
        parser.exit()


#: The options that take a value and default to an OS_* variable:
#: flag, metavar, variables (first set wins), help.
ENV_OPTIONS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    (
        "--os-image-url",
        "<url>",
        ("OS_IMAGE_URL",),
        _("Glance API URL to use instead of the catalog's."),
    ),
    (
        "--os-auth-token",
        "<token>",
        ("OS_AUTH_TOKEN",),
        _("Token to send; with --os-image-url no catalog is used."),
    ),
    ("--os-cloud", "<name>", ("OS_CLOUD",), _("Cloud from clouds.yaml to use.")),
    ("--os-region-name", "<region>", ("OS_REGION_NAME",), _("Catalog region.")),
    (
        "--os-interface",
        "<interface>",
        ("OS_INTERFACE", "OS_ENDPOINT_TYPE"),
        _("Catalog interface: public, internal or admin."),
    ),
    ("--os-cacert", "<file>", ("OS_CACERT",), _("CA bundle to verify TLS with.")),
    ("--os-cert", "<file>", ("OS_CERT",), _("Client certificate.")),
    ("--os-key", "<file>", ("OS_KEY",), _("Client certificate key.")),
)


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """The options every command shares; each defaults to its OS_* variable."""
    parser.add_argument("-h", "--help", action="store_true", help=_("Show help and exit."))
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument(
        "-d",
        "--debug",
        action="store_true",
        default=options.env_flag("GLANCECLIENT_DEBUG"),
        help=_("Log requests and answers (tokens redacted) and show tracebacks."),
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help=_("Show more columns in listings (image-list, image-tasks)."),
    )
    parser.add_argument(
        "--get-schema",
        action="store_true",
        help=_(
            "Fetch the server's image, namespace and resource type schemas "
            "and keep them: the options of image-create, image-update, "
            "md-namespace-create, md-namespace-update and "
            "md-resource-type-associate come from them from then on."
        ),
    )
    for flag, metavar, names, text in ENV_OPTIONS:
        check = {"--os-image-url": _endpoint, "--os-auth-token": _token}.get(flag)
        checked: dict[str, ty.Any] = {"type": check} if check else {}
        parser.add_argument(
            flag,
            metavar=metavar,
            default=options.env(*names),
            help="%s (env %s)" % (text, names[0]),
            **checked,
        )
    parser.add_argument(
        "--os-image-api-version",
        metavar="<version>",
        default=options.env("OS_IMAGE_API_VERSION", default="2"),
        help=_("Image API major version; only 2 exists (env OS_IMAGE_API_VERSION)."),
    )
    parser.add_argument(
        "-k",
        "--insecure",
        action="store_true",
        default=options.env_flag("GLANCECLIENT_INSECURE"),
        help=_("Do not verify the server's TLS certificate."),
    )
    parser.add_argument(
        "--os-image-node-url-map",
        metavar="<prefix=URL>",
        action="append",
        help=_(
            "Send requests meant for node reference URLs starting with prefix "
            "to URL instead (repeatable; env OS_IMAGE_NODE_URL_MAP, space-separated; "
            "clouds.yaml image_node_url_map)."
        ),
    )
    parser.add_argument(
        "--allow-http-nodes",
        action="store_true",
        default=options.env_flag("OS_IMAGE_ALLOW_HTTP_NODES"),
        help=_(
            "Send requests (and the token) to http:// nodes of the nodes list even "
            "when the endpoint is https://; by default they get none (env "
            "OS_IMAGE_ALLOW_HTTP_NODES; clouds.yaml image_allow_http_nodes)."
        ),
    )
    parser.add_argument(
        "--os-image-nodes",
        metavar="<URLs>",
        action="append",
        help=_(
            "The Glance API nodes of the deployment, for --all-nodes, cache-report "
            "and cache-orphans: root URLs separated by commas or spaces (repeatable; "
            "env OS_IMAGE_NODES; clouds.yaml image_nodes)."
        ),
    )
    parser.add_argument(
        "--timeout",
        metavar="<seconds>",
        type=_seconds,
        help=_(
            "Seconds to wait for an answer (default: the cloud's api_timeout "
            "with --os-cloud, else %(default)d)."
        )
        % {"default": DEFAULT_TIMEOUT},
    )
    upstream_options.add(parser)


def add_auth_options(parser: argparse.ArgumentParser, argv: list[str]) -> None:
    """Add ``--os-auth-type`` and the options of the auth type it names.

    keystoneauth1 describes the options; they are added here rather than by
    its ``register_auth_argparse_arguments`` so that every one is spelled
    with dashes (``--os-application-credential-id``), as OpenStack users
    type them; keystoneauth1's own spelling stays as an alias.

    :raises keystoneauth1.exceptions.NoMatchingPlugin: unknown auth type.
    """
    from keystoneauth1 import loading

    default = options.env("OS_AUTH_TYPE", "OS_AUTH_PLUGIN", default="password")
    flags = ("--os-auth-type", "--os-auth-plugin")
    pre = Parser(add_help=False)
    pre.add_argument(*flags, default=default)
    auth_type = pre.parse_known_args(argv)[0].os_auth_type
    parser.add_argument(
        *flags,
        metavar="<name>",
        default=default,
        help=_(
            "Authentication type: password (default), token, v3applicationcredential... "
            "(env OS_AUTH_TYPE)."
        ),
    )
    loader: ty.Any = loading.get_plugin_loader(auth_type)
    group = parser.add_argument_group(
        _("Authentication options"),
        _("Options of the %(type)s auth type; each defaults to its OS_* variable.")
        % {"type": auth_type},
    )
    for opt in loader.get_options():
        spellings = [flag.replace("_", "-") for flag in opt.argparse_args]
        spellings += [flag for flag in opt.argparse_args if flag not in spellings]
        group.add_argument(
            *spellings,
            dest="os_" + opt.dest,
            default=opt.argparse_default,
            metavar="<%s>" % opt.dest.replace("_", "-"),
            help=opt.help,
        )


def load(name: str) -> Command:
    """The function of the command ``name`` (its module imported now)."""
    import importlib  # cheap, and only when a command is looked up

    module, _sep, function = v2_shell.COMMANDS[name].partition(":")
    func: Command = getattr(importlib.import_module(v2_shell.PACKAGE + "." + module), function)
    return func


class GlanceShell:
    """Parses a command line, builds the client, runs one command."""

    def __init__(self) -> None:
        self.parser: argparse.ArgumentParser | None = None
        self.subparsers: dict[str, argparse.ArgumentParser] = {}

    @staticmethod
    def main_parser() -> argparse.ArgumentParser:
        """The parser of the global options, without the commands."""
        parser = Parser(
            prog="glance",
            description=_("Manage images and image caches of OpenStack Glance."),
            epilog=_("See 'glance help <command>' for help on a command."),
            add_help=False,
        )
        add_global_options(parser)
        return parser

    def build_parser(
        self,
        argv: list[str],
        with_auth: bool,
        only: str | None = None,
        *,
        listing: bool = False,
        parser: argparse.ArgumentParser | None = None,
    ) -> argparse.ArgumentParser:
        """The full parser; with ``only``, that command's subparser alone;
        with ``listing``, the commands without their arguments (enough to
        list them, as ``glance help`` does).

        :param parser: the :meth:`main_parser` to complete (made here if
            None).
        """
        if parser is None:
            parser = self.main_parser()
        if with_auth:
            add_auth_options(parser, argv)
        sub = parser.add_subparsers(metavar="<command>", dest="command")
        for name in sorted(v2_shell.COMMANDS) if only is None else [only]:
            func = load(name)
            description = cli_args.description(func)
            command = sub.add_parser(
                name,
                help=description.partition("\n")[0],
                description=description,
                formatter_class=argparse.RawDescriptionHelpFormatter,
                add_help=False,
                command=name,
            )
            command.add_argument("-h", "--help", action="help", help=_("Show help and exit."))
            if not listing:
                cli_args.reserve(command, parser)
                cli_args.add_arguments(command, func)
            command.set_defaults(func=func)
            self.subparsers[name] = command
        helper = sub.add_parser(
            "help", help=_("Show help on glance or one command."), add_help=False
        )
        helper.add_argument("topic", metavar="<command>", nargs="?")
        sub.add_parser(
            "bash-completion", help=_("Print the words bash completion offers."), add_help=False
        )
        self.parser = parser
        return parser

    def main(self, argv: list[str]) -> int:
        argv = upstream_options.normalize(argv)
        # The global options first, to know what else the parser needs; the
        # same parser is then completed (its options are made once).
        parser = self.main_parser()
        early, rest = parser.parse_known_args(argv)
        debug = early.debug
        try:
            # Before the parser is built: its debug lines show with --debug.
            if debug:
                logging.basicConfig(
                    level=logging.DEBUG, handlers=[messages.debug_handler()], force=True
                )
            else:
                # Library warnings would break the one-line error rule. Not
                # DEBUG either: keystoneauth1 reads a whole JSON body to log
                # it, before the size cap and the deadline can apply.
                logging.basicConfig(
                    handlers=[logging.NullHandler()], level=logging.WARNING, force=True
                )
            wants_help = early.help or not rest or rest[0] in ("help", "bash-completion")
            # An option the pre-parser does not know is an auth option.
            with_auth = (
                wants_help
                or rest[0].startswith("-")
                or not (early.os_cloud or (early.os_image_url and early.os_auth_token))
            )
            # Building one subparser instead of all saves start-up time:
            # the command's, or the one 'glance help <command>' shows.
            topic = rest[1] if rest[:1] == ["help"] and len(rest) > 1 else None
            only = topic if topic in v2_shell.COMMANDS else None
            if not wants_help and rest[0] in v2_shell.COMMANDS:
                only = rest[0]
            listing = only is None and (rest in ([], ["help"]))
            parser = self.build_parser(argv, with_auth, only, listing=listing, parser=parser)
            if early.help and not rest:
                parser.print_help()
                return 0
            args = parser.parse_args(argv)
            formats.configure(args)
            upstream_options.resolve(args)
            if args.command == "help":
                return self.do_help(args.topic)
            if args.command == "bash-completion":
                return self.do_bash_completion()
            if args.command is None:
                messages.error(_("a command is required; see 'glance help'."))
                return 2
            problem = cli_args.usage_problem(args.func, args)
            if problem:
                self.subparsers[args.command].error(problem)
            gc = connection.make_client(args)
            if args.get_schema:
                # Loaded for --get-schema only (start-up); a command whose
                # options come from a schema imports it itself.
                from glanceclient.cli import schema_options

                schema_options.refresh(gc)
            status: int = args.func(gc, args)
            if args.collect_timing:
                upstream_options.print_timings(gc.http_client.session)
            return status
        except formats.ColumnError as e:  # a usage error found when printing
            messages.error(errors.one_line(e))
            return 2
        except Exception as e:  # the command line's last line of defence
            if debug:
                messages.debug_traceback()
            messages.error(errors.one_line(e))
            from glanceclient.v2 import inventory

            return 2 if isinstance(e, inventory.InventoryError) else 1

    def do_help(self, topic: str | None) -> int:
        assert self.parser is not None
        if topic is None:
            self.parser.print_help()
            return 0
        if topic not in self.subparsers:
            raise exc.CommandError(_("'%(name)s' is not a glance command.") % {"name": topic})
        self.subparsers[topic].print_help()
        return 0

    def do_bash_completion(self) -> int:
        assert self.parser is not None
        words = set(self.subparsers) | {"help", "bash-completion"}
        for action in self.parser._actions:
            words.update(action.option_strings)
        for command in self.subparsers.values():
            for action in command._actions:
                words.update(action.option_strings)
        sys.stdout.write(" ".join(sorted(words)) + "\n")
        return 0


def main(argv: list[str] | None = None) -> int:
    """Run ``glance`` with ``argv`` (default: the process's arguments).

    Without ``argv`` (the ``glance`` command: the process ends after this
    call), the objects left at the end are frozen (:func:`gc.freeze`): the
    interpreter's last garbage collection at exit would walk every one of
    them to free memory the process gives back anyway, a tenth of a short
    command's time. A caller that passes ``argv`` goes on living: nothing
    is frozen for it.

    :returns: the exit status: 0, 1 for an error, 2 for a usage error, 128
        and the signal's number after SIGINT (Ctrl-C), SIGTERM or SIGHUP.
    """
    import signal

    from glanceclient.cli import interrupts

    with interrupts.Interrupts():
        try:
            return GlanceShell().main(sys.argv[1:] if argv is None else argv)
        except KeyboardInterrupt as e:
            signum = getattr(e, "signum", signal.SIGINT)
            messages.error(_("interrupted (%(signal)s)") % {"signal": signal.Signals(signum).name})
            return 128 + signum
        finally:
            if argv is None:
                import gc

                gc.freeze()


if __name__ == "__main__":
    sys.exit(main())
