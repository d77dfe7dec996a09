"""Declaring the argparse arguments of a ``do_<command>`` function.

There is one way to declare an argument, :func:`arg`, and one way to
combine several into a reusable set, :func:`group`::

    PAGING = group(arg("--limit", type=int), arg("--page-size", type=int))

    @PAGING
    @arg("image", metavar="<IMAGE_ID>")
    def do_image_thing(gc, args): ...

An argument that can only be made when the parser is built (its choices or
default read at that time) is declared with a callable:
``@arg(add_things)`` calls ``add_things(parser)`` then.
"""

from __future__ import annotations

import argparse
import typing as ty

F = ty.TypeVar("F", bound=ty.Callable[..., ty.Any])

#: Where ``@arg`` keeps a command function's argparse arguments.
ARGUMENTS = "arguments"


def arg(*args: ty.Any, **kwargs: ty.Any) -> ty.Callable[[F], F]:
    """Declare an argparse argument of a ``do_<command>`` function.

    ``@arg(add)``, with a callable ``add``, declares options made only when
    the command's parser is built: ``add(parser)`` is called then.
    """

    def decorate(func: F) -> F:
        # Decorators apply bottom-up; insert first to keep reading order.
        func.__dict__.setdefault(ARGUMENTS, []).insert(0, (args, kwargs))
        return func

    return decorate


def group(*declarations: ty.Callable[[F], F]) -> ty.Callable[[F], F]:
    """Several :func:`arg` declarations as one decorator, in their order."""

    def decorate(func: F) -> F:
        for declare in reversed(declarations):
            func = declare(func)
        return func

    return decorate


#: The attribute of a command's parser that holds the main parser's option
#: strings and destinations (see :func:`reserve`).
_RESERVED = "_glanceclient_reserved"


def reserve(command: argparse.ArgumentParser, main: argparse.ArgumentParser) -> None:
    """Note on a command's parser the options of the main parser (the
    global ones), which the options made when the parser is built must not
    shadow (:func:`reserved`).

    :param command: the command's subparser, before its arguments are added.
    :param main: the parser of the global options.
    """
    noted = (
        frozenset(main._option_string_actions),
        frozenset(action.dest for action in main._actions),
    )
    setattr(command, _RESERVED, noted)


def reserved(parser: argparse.ArgumentParser) -> tuple[frozenset[str], frozenset[str]]:
    """The option strings and destinations :func:`reserve` noted on a
    command's parser (none if it noted nothing)."""
    noted: tuple[frozenset[str], frozenset[str]] = getattr(
        parser, _RESERVED, (frozenset(), frozenset())
    )
    return noted


def add_arguments(parser: argparse.ArgumentParser, func: ty.Callable[..., ty.Any]) -> None:
    """Add the arguments ``func`` declares to ``parser``, in reading order;
    those made when the parser is built come last, so that they can see
    (and keep clear of) every other one."""
    later = []
    for args, kwargs in getattr(func, ARGUMENTS, []):
        if args and callable(args[0]):
            later.append(args[0])
        else:
            parser.add_argument(*args, **kwargs)
    for add in later:
        add(parser)


#: Where a command function keeps the paragraphs its help adds to its
#: docstring, and the checks of its command line argparse cannot make.
NOTES = "notes"
USAGE_CHECKS = "usage_checks"


def note(text: str) -> ty.Callable[[F], F]:
    """Add a paragraph to a command's help, after its docstring."""

    def decorate(func: F) -> F:
        func.__dict__.setdefault(NOTES, []).insert(0, text)
        return func

    return decorate


def usage_check(
    check: ty.Callable[[argparse.Namespace], str | None],
) -> ty.Callable[[F], F]:
    """Declare a check of a command's parsed arguments, run before the
    command: ``check(args)`` returns what is wrong, or None. It may also
    settle what argparse read ambiguously."""

    def decorate(func: F) -> F:
        func.__dict__.setdefault(USAGE_CHECKS, []).insert(0, check)
        return func

    return decorate


def description(func: ty.Callable[..., ty.Any]) -> str:
    """A command's help text: its docstring, then its notes."""
    return "\n\n".join([(func.__doc__ or "").strip(), *getattr(func, NOTES, [])])


def usage_problem(func: ty.Callable[..., ty.Any], args: argparse.Namespace) -> str | None:
    """The first problem a command's usage checks find, if any."""
    checks: list[ty.Callable[[argparse.Namespace], str | None]] = getattr(func, USAGE_CHECKS, [])
    for check in checks:
        problem = check(args)
        if problem:
            return problem
    return None
