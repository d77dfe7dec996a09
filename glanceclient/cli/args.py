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
