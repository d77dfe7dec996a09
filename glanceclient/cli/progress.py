"""A progress bar on stderr for uploads and downloads (``--progress``).

It is drawn only on a terminal: with stderr redirected to a file or a
pipe (a log), nothing is written. It shows how much has moved, the rate
and, when the size is known, the bar and the time left::

    [=========>                              ]  24%  61.4MiB / 256.0MiB  52.3MiB/s  ETA 0:03

It is redrawn when the percent changes (the MiB count, when the size is
unknown), and otherwise at most every :data:`REDRAW` seconds, so that
following a transfer costs nothing next to the transfer itself. Used as a
context manager, it ends its line when the block ends, however it ends:
an error printed next starts on a line of its own.
"""

from __future__ import annotations

import collections.abc
import sys
import time
import typing as ty

from glanceclient.cli.output import format_size

WIDTH = 40
MIB = 1024 * 1024
#: Seconds between redraws when the percent does not change.
REDRAW = 0.5


def format_duration(seconds: float) -> str:
    """``m:ss``, or ``h:mm:ss`` from an hour on."""
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return "%d:%02d:%02d" % (hours, minutes, secs) if hours else "%d:%02d" % (minutes, secs)


class ProgressBar:
    """Draws the progress of a transfer on one stderr line.

    :param total: bytes expected; ``None`` shows a running count instead.
    :param stream: where to draw (default: ``sys.stderr``), only if it is
        a terminal.
    :param clock: seconds, for the rate (default :func:`time.monotonic`).
    """

    def __init__(
        self,
        total: int | None,
        stream: ty.TextIO | None = None,
        clock: collections.abc.Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total if total and total > 0 else None
        self.stream = stream or sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        #: Whether anything is drawn: only on a terminal.
        self.enabled = bool(isatty and isatty())
        self.done = 0
        self._clock = clock
        self._started = clock()
        self._drawn_at: float | None = None
        self._shown: int | None = None
        self._finished = False

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.finish()

    def update(self, count: int) -> None:
        """Count ``count`` more bytes transferred."""
        self.done += count
        if not self.enabled or self._finished:
            return
        step = self.done * 100 // self.total if self.total else self.done // MIB
        now = self._clock()
        if step != self._shown or self._drawn_at is None or now - self._drawn_at >= REDRAW:
            self._shown, self._drawn_at = step, now
            self.stream.write("\r" + self.render(now))
            self.stream.flush()
        if self.total is not None and self.done >= self.total:
            self.finish()

    def render(self, now: float | None = None) -> str:
        """What the bar shows now."""
        elapsed = (self._clock() if now is None else now) - self._started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        speed = "%s/s" % format_size(rate)
        if self.total is None:
            return "%s  %s" % (format_size(self.done), speed)
        percent = min(100, self.done * 100 // self.total)
        filled = WIDTH * percent // 100
        arrow = ">" if 0 < filled < WIDTH else ""
        bar = ("=" * max(0, filled - len(arrow)) + arrow).ljust(WIDTH)
        left = max(0, self.total - self.done)
        eta = format_duration(left / rate) if rate > 0 else "-:--"
        return "[%s] %3d%%  %s / %s  %s  ETA %s" % (
            bar,
            percent,
            format_size(self.done),
            format_size(self.total),
            speed,
            eta,
        )

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
