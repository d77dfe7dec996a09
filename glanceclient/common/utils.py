"""Helpers the library shares with its callers: text made safe to show,
and the iterable-with-length that image data comes in.

nova constructs :class:`IterableWithLength` itself, and the names
services import from this module stay here (see UPSTREAM_SURFACE.md); what
only the front ends use lives in :mod:`glanceclient.cli`.
"""

from __future__ import annotations

import collections.abc
import re
import typing as ty

#: What a terminal would obey rather than show: C0 and C1 controls (line
#: breaks, ESC sequences), DEL, Unicode line separators and the
#: bidirectional overrides that reorder what is shown.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    return "\\x%02x" % code if code < 0x100 else "\\u%04x" % code


def safe_text(text: str) -> str:
    """Return ``text`` safe to show in a terminal: control characters,
    line breaks included, are escaped (``\\n``, ``\\x1b``).

    Every value that comes from a server or a user goes through this
    before it is printed, in tables, messages and errors alike.
    """
    if text.isprintable():  # the common case, checked in C
        return text
    return _UNSAFE.sub(_escape, text)


class IterableWithLength:
    """An iterable that also knows its length (image data and its size).

    nova builds these itself around files it serves; ``images.data()``
    returns one. Iterating closes the underlying iterator when done.

    :param iterable: the chunks.
    :param length: the total size in bytes.
    """

    def __init__(self, iterable: collections.abc.Iterable[ty.Any], length: int) -> None:
        self.iterable = iterable
        self.length = length

    def __iter__(self) -> collections.abc.Iterator[ty.Any]:
        try:
            yield from self.iterable
        finally:
            close = getattr(self.iterable, "close", None)
            if close is not None:
                close()

    def __next__(self) -> ty.Any:
        if not isinstance(self.iterable, collections.abc.Iterator):
            self.iterable = iter(self.iterable)
        return next(self.iterable)

    next = __next__  # upstream's spelling

    def __len__(self) -> int:
        return self.length


# Upstream's helpers that other projects use (nova's unit tests), kept in
# their own module and offered here, where upstream had them.
from glanceclient.common._compat import RequestIdProxy as RequestIdProxy  # noqa: E402
from glanceclient.common._compat import _extract_request_id as _extract_request_id  # noqa: E402
