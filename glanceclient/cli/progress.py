"""A progress bar on stderr for uploads and downloads (``--progress``).

The bar is redrawn only when what it shows changes (a percent, or a MiB
when the size is unknown), so that following a transfer costs nothing
next to the transfer itself.
"""

from __future__ import annotations

import collections.abc
import sys
import typing as ty

WIDTH = 40
MIB = 1024 * 1024


class ProgressBar:
    """Draws ``[=====>     ]  45%`` on one stderr line.

    :param total: bytes expected; ``None`` shows a running count instead.
    :param stream: where to draw (default: ``sys.stderr``).
    """

    def __init__(self, total: int | None, stream: ty.TextIO | None = None) -> None:
        self.total = total if total and total > 0 else None
        self.stream = stream or sys.stderr
        self.done = 0
        self._shown: int | None = None
        self._finished = False

    def update(self, count: int) -> None:
        """Count ``count`` more bytes transferred."""
        self.done += count
        step = self.done * 100 // self.total if self.total else self.done // MIB
        if step != self._shown:
            self._shown = step
            self.stream.write("\r" + self.render())
            self.stream.flush()
        if self.total is not None and self.done >= self.total:
            self.finish()

    def render(self) -> str:
        """What the bar shows now."""
        if self.total is None:
            return "[%d MiB]" % (self.done // MIB)
        percent = min(100, self.done * 100 // self.total)
        filled = WIDTH * percent // 100
        arrow = ">" if 0 < filled < WIDTH else ""
        bar = ("=" * max(0, filled - len(arrow)) + arrow).ljust(WIDTH)
        return "[%s] %3d%%" % (bar, percent)

    def finish(self) -> None:
        """End the bar's line (once, and only if something was drawn)."""
        if self._shown is not None and not self._finished:
            self._finished = True
            self.stream.write("\n")
            self.stream.flush()


class ReaderWithProgress:
    """A binary file whose reads move a progress bar.

    :param source: the file to read.
    :param bar: the bar to move.
    """

    def __init__(self, source: ty.BinaryIO, bar: ProgressBar) -> None:
        self.source = source
        self.bar = bar

    def fileno(self) -> int:
        """The file's descriptor (the client sizes a regular file by it)."""
        return self.source.fileno()

    def tell(self) -> int:
        """Where the file is read from."""
        return self.source.tell()

    def read(self, size: int = -1) -> bytes:
        """Read like the file does, and count what was read."""
        return self._counted(self.source.read(size))

    def read1(self, size: int = -1) -> bytes:
        """One read of the file (see :meth:`io.BufferedReader.read1`), counted."""
        return self._counted(getattr(self.source, "read1", self.source.read)(size))

    def _counted(self, data: bytes) -> bytes:
        if data:
            self.bar.update(len(data))
        else:
            self.bar.finish()
        return data


def iterate(
    chunks: collections.abc.Iterable[bytes], bar: ProgressBar
) -> collections.abc.Iterator[bytes]:
    """Yield ``chunks``, moving ``bar`` as they pass."""
    for chunk in chunks:
        bar.update(len(chunk))
        yield chunk
    bar.finish()
