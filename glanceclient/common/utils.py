"""Helpers the library shares with its callers: text made safe to show,
and the iterable-with-length that image data comes in.

nova constructs :class:`IterableWithLength` itself, and the names
services import from this module stay here (see UPSTREAM_SURFACE.md); what
only the front ends use lives in :mod:`glanceclient.cli`.
"""

from __future__ import annotations

import collections.abc
import typing as ty

# Escapes what a terminal would obey. It lives with the errors' text, which
# needs it too and imports nothing of the package; its name stays here too.
from glanceclient.exc.text import safe_text as safe_text


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
