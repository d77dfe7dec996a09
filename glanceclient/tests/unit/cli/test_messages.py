"""The lines glance writes on stderr."""

from __future__ import annotations

import io

import fixtures
import testtools

from glanceclient.cli import messages


class MessagesTest(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.err = self.useFixture(fixtures.MonkeyPatch("sys.stderr", io.StringIO())).new_value

    def test_each_kind_is_one_prefixed_line_with_controls_escaped(self):
        messages.error("bad\nname\x1b[31m")
        messages.warning("careful")
        messages.note("came from node a")
        self.assertEqual(
            "glance: error: bad\\nname\\x1b[31m\n"
            "glance: warning: careful\n"
            "glance: came from node a\n",
            self.err.getvalue(),
        )
