"""The ``glance-reference`` directive: the ``glance`` command's reference,
generated from its argparse parser so that it cannot drift from the code.

It documents the global options (without the keystoneauth1 authentication
options, which depend on the auth plugin) and, for each command, its usage,
description and arguments, with Sphinx's ``program`` and ``option``
directives.
"""

from __future__ import annotations

import argparse
import re
import typing as ty

from docutils import nodes
from docutils import statemachine
from sphinx.util.docutils import SphinxDirective

_RST_SPECIAL = re.compile(r"([\\*`|_])")


def _escape(text: str) -> str:
    return _RST_SPECIAL.sub(r"\\\1", text)


def _signature(action: argparse.Action) -> str:
    if not action.option_strings:
        return str(action.metavar or action.dest)
    if action.nargs == 0:
        return ", ".join(action.option_strings)
    metavar = action.metavar or action.dest.upper()
    if action.choices and not action.metavar:
        metavar = "{" + ",".join(str(c) for c in action.choices) + "}"
    return ", ".join("%s %s" % (option, metavar) for option in action.option_strings)


def _option_lines(parser: argparse.ArgumentParser) -> ty.Iterator[str]:
    formatter = parser._get_formatter()
    for action in parser._actions:
        if action.help == argparse.SUPPRESS or isinstance(action, argparse._SubParsersAction):
            continue
        yield ".. option:: " + _signature(action)
        yield ""
        help_text = formatter._expand_help(action) if action.help else ""
        for line in help_text.splitlines() or [""]:
            yield "   " + _escape(line)
        yield ""


class GlanceReference(SphinxDirective):
    has_content = False

    def _parse(self, lines: ty.Iterable[str], source: str) -> list[nodes.Node]:
        content = statemachine.StringList()
        for line in lines:
            content.append(line, source)
        holder = nodes.section()
        self.state.nested_parse(content, 0, holder)
        return list(holder.children)

    def _section(self, title: str, body: list[nodes.Node]) -> nodes.section:
        section = nodes.section(ids=[nodes.make_id("glance " + title)])
        section += nodes.title(text=title)
        section.extend(body)
        return section

    def run(self) -> list[nodes.Node]:
        from unittest import mock

        from glanceclient import shell

        glance = shell.GlanceShell()
        # The image options from the shipped schema alone, not from a copy
        # some server left in the builder's cache.
        with mock.patch.dict("os.environ", {"XDG_CACHE_HOME": "/nonexistent"}):
            parser = glance.build_parser([], with_auth=False)
        result: list[nodes.Node] = []
        usage = parser.format_usage().strip()
        lines = [".. program:: glance", "", "::", ""]
        lines += ["   " + line for line in usage.splitlines()]
        lines += ["", _escape(parser.description or ""), ""]
        lines += list(_option_lines(parser))
        result.append(self._section("Global options", self._parse(lines, "<glance>")))
        for name, command in sorted(glance.subparsers.items()):
            lines = [".. program:: glance " + name, "", "::", ""]
            lines += ["   " + line for line in command.format_usage().strip().splitlines()]
            lines.append("")
            for paragraph in (command.description or "").split("\n\n"):
                lines += [_escape(" ".join(paragraph.split())), ""]
            lines += list(_option_lines(command))
            result.append(self._section("glance " + name, self._parse(lines, "<glance %s>" % name)))
        return result


def setup(app: ty.Any) -> dict[str, ty.Any]:
    app.add_directive("glance-reference", GlanceReference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
