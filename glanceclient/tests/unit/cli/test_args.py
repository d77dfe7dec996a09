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


class DeclaredBehaviourTest(testtools.TestCase):
    def test_notes_follow_the_docstring_and_checks_run_in_order(self):
        @args.note("First note.")
        @args.note("Second note.")
        @args.usage_check(lambda ns: "no --b" if not ns.b else None)
        @args.usage_check(lambda ns: "no --a" if not ns.a else None)
        def do_thing() -> None:
            """Do a thing.

            At length.
            """

        # Python 3.13 strips the docstring's indentation when compiling it.
        docstring = do_thing.__doc__.strip()
        self.assertTrue(
            docstring.startswith("Do a thing.\n\n") and docstring.endswith("At length.")
        )
        self.assertEqual(docstring + "\n\nFirst note.\n\nSecond note.", args.description(do_thing))
        self.assertEqual("no --b", args.usage_problem(do_thing, argparse.Namespace(a=0, b=0)))
        self.assertEqual("no --a", args.usage_problem(do_thing, argparse.Namespace(a=0, b=1)))
        self.assertIsNone(args.usage_problem(do_thing, argparse.Namespace(a=1, b=1)))
        self.assertIsNone(args.usage_problem(lambda: None, argparse.Namespace()))
