"""The progress bar of uploads and downloads."""

from __future__ import annotations

import io

import testtools

from glanceclient.cli import progress
from glanceclient.tests.unit import base


class Clock:
    """Seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class ProgressBarTest(testtools.TestCase):
    def test_bytes_rate_and_time_left(self):
        # The frames changed with #20: bytes, rate and time left follow the
        # percent (it used to be the bar and the percent alone).
        out, clock = base.Terminal(), Clock()
        bar = progress.ProgressBar(1000 * progress.MIB, out, clock)
        for _ in range(1000):
            clock.now += 0.01  # 100 MiB/s
            bar.update(progress.MIB)
        bar.finish()
        bar.finish()
        frames = out.getvalue().split("\r")[1:]
        self.assertEqual(101, len(frames))  # 0% to 100%
        self.assertEqual(
            "[%s]  10%%  100.0MiB / 1000.0MiB  100.0MiB/s  ETA 0:09" % ("=" * 3 + ">").ljust(40),
            frames[10],
        )
        self.assertEqual(
            "[%s] 100%%  1000.0MiB / 1000.0MiB  100.0MiB/s  ETA 0:00\n" % ("=" * 40),
            frames[-1],
        )

    def test_redrawn_twice_a_second_when_the_percent_stays(self):
        out, clock = base.Terminal(), Clock()
        bar = progress.ProgressBar(100 * progress.MIB, out, clock)
        for _ in range(10):
            clock.now += 0.25
            bar.update(1024)
        # At the first update (0.25 s), then every 0.5 s: 0.75, 1.25, 1.75, 2.25.
        self.assertEqual(5, len(out.getvalue().split("\r")[1:]))
        self.assertTrue(out.getvalue().endswith("  0%  9.0KiB / 100.0MiB  4.0KiB/s  ETA 7:06:38"))

    def test_unknown_size_counts_bytes_and_rate(self):
        out, clock = base.Terminal(), Clock()
        bar = progress.ProgressBar(None, out, clock)
        for _ in range(5):
            clock.now += 0.1
            bar.update(progress.MIB // 2)
        self.assertEqual(
            ["512.0KiB  5.0MiB/s", "1.0MiB  5.0MiB/s", "2.0MiB  5.0MiB/s"],
            out.getvalue().split("\r")[1:],
        )

    def test_nothing_drawn_off_a_terminal(self):
        # A log gets no carriage-return frames (#20).
        out = io.StringIO()
        with progress.ProgressBar(10, out) as bar:
            bar.update(5)
            bar.update(5)
        self.assertEqual("", out.getvalue())

    def test_block_ends_the_line_on_an_error(self):
        out = base.Terminal()
        with testtools.ExpectedException(OSError), progress.ProgressBar(10, out, Clock()) as bar:
            bar.update(5)
            raise OSError("broken")
        self.assertTrue(out.getvalue().endswith("  50%  5B / 10B  0B/s  ETA -:--\n"))

    def test_reader_and_iterator(self):
        out = base.Terminal()
        reader = progress.ReaderWithProgress(io.BytesIO(b"abcd"), progress.ProgressBar(4, out))
        self.assertEqual(b"ab", reader.read(2))
        self.assertEqual(b"cd", reader.read1(10))
        self.assertEqual(b"", reader.read())
        self.assertIn("100%  4B / 4B", out.getvalue())
        self.assertTrue(out.getvalue().endswith("\n"))
        out = base.Terminal()
        chunks = list(progress.iterate([b"a", b"b"], progress.ProgressBar(2, out)))
        self.assertEqual([b"a", b"b"], chunks)
        self.assertIn("100%  2B / 2B", out.getvalue())
        self.assertTrue(out.getvalue().endswith("\n"))

    def test_nothing_drawn_nothing_ended(self):
        out = base.Terminal()
        progress.ProgressBar(10, out).finish()
        self.assertEqual("", out.getvalue())

    def test_durations(self):
        self.assertEqual(
            ["0:00", "0:59", "1:00", "59:59", "1:00:00", "26:03:04"],
            [progress.format_duration(s) for s in (0, 59.4, 59.6, 3599, 3600, 93784)],
        )
