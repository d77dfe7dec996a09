"""The progress bar of uploads and downloads."""

from __future__ import annotations

import io

import testtools

from glanceclient.cli import progress


class ProgressBarTest(testtools.TestCase):
    def test_redrawn_only_when_the_percent_changes(self):
        out = io.StringIO()
        bar = progress.ProgressBar(1000, out)
        for _ in range(1000):
            bar.update(1)
        bar.finish()
        bar.finish()
        frames = out.getvalue().split("\r")[1:]
        self.assertEqual(101, len(frames))  # 0% to 100%
        self.assertEqual("[%s]  10%%" % ("=" * 3 + ">").ljust(40), frames[10])
        self.assertEqual("[%s] 100%%\n" % ("=" * 40), frames[-1])

    def test_unknown_size_counts_mib(self):
        out = io.StringIO()
        bar = progress.ProgressBar(None, out)
        for _ in range(5):
            bar.update(progress.MIB // 2)
        self.assertEqual(["[0 MiB]", "[1 MiB]", "[2 MiB]"], out.getvalue().split("\r")[1:])

    def test_reader_and_iterator(self):
        out = io.StringIO()
        reader = progress.ReaderWithProgress(io.BytesIO(b"abcd"), progress.ProgressBar(4, out))
        self.assertEqual(b"ab", reader.read(2))
        self.assertEqual(b"cd", reader.read())
        self.assertEqual(b"", reader.read())
        self.assertTrue(out.getvalue().endswith("100%\n"))
        out = io.StringIO()
        chunks = list(progress.iterate([b"a", b"b"], progress.ProgressBar(2, out)))
        self.assertEqual([b"a", b"b"], chunks)
        self.assertTrue(out.getvalue().endswith("100%\n"))

    def test_nothing_drawn_nothing_ended(self):
        out = io.StringIO()
        progress.ProgressBar(10, out).finish()
        self.assertEqual("", out.getvalue())
