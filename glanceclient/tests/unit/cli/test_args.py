"""Declaring a command's arguments: @arg, group() and add_arguments()."""

from __future__ import annotations

import argparse

import testtools

from glanceclient.cli import args


class ArgumentsTest(testtools.TestCase):
    def test_declared_in_reading_order_groups_then_callables(self):
        def add_late(parser: argparse.ArgumentParser) -> None:
            parser.add_argument("--late", default="made when the parser is built")

        paging = args.group(args.arg("--limit", type=int), args.arg("--page-size", type=int))

        @args.arg("--first")
        @paging
        @args.arg(add_late)
        @args.arg("image")
        def do_thing() -> None:
            """Not run."""

        parser = argparse.ArgumentParser()
        args.add_arguments(parser, do_thing)
        self.assertEqual(
            ["first", "limit", "page_size", "image", "late"],
            [action.dest for action in parser._actions[1:]],
        )
        parsed = parser.parse_args(["--limit", "3", "some-id"])
        self.assertEqual(3, parsed.limit)
        self.assertEqual("made when the parser is built", parsed.late)

    def test_a_function_without_arguments_adds_none(self):
        parser = argparse.ArgumentParser()
        args.add_arguments(parser, lambda: None)
        self.assertEqual(["help"], [action.dest for action in parser._actions])
