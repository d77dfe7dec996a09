"""Tokens HTTP cannot carry: refused, saying why, and never quoted, in a
message, a repr or a chained traceback."""

from __future__ import annotations

import traceback

from keystoneauth1 import session as ksa_session

import glanceclient
from glanceclient import exc
from glanceclient.tests.unit import base


class TokenTest(base.TestCase):
    def test_unsendable_token(self):
        # Refused when the client is built, never quoted (it was refused
        # at the first call, quoted whole).
        e = self.assertRaises(
            exc.InvalidArgument, glanceclient.Client, "2", endpoint=base.ENDPOINT, token="t\u0394k"
        )
        self.assertEqual(
            "The token cannot be sent: it holds a character outside Latin-1, which HTTP cannot "
            "carry.",
            str(e),
        )
        self.assertEqual([], self.requests.request_history)

    def test_token_with_a_line_break_or_control_character(self):
        # Refused when the client is built, saying why, never quoting it.
        secret = "gAAAAABsecret"
        for token in (secret + "\r", secret + "\r\n", "\n" + secret, secret + "\x1b[2J"):
            for kwargs in ({"token": token}, {"identity_headers": {"X-Auth-Token": token}}):
                e = self.assertRaises(
                    exc.InvalidArgument, glanceclient.Client, "2", endpoint=base.ENDPOINT, **kwargs
                )
                self.assertEqual(
                    "The token cannot be sent: it holds a line break, a space or another "
                    "control character (was it read from a file with CRLF line ends?).",
                    str(e),
                )
        self.assertEqual([], self.requests.request_history)

    def test_token_of_a_session_is_never_quoted(self):
        # A session's own token plugin: requests refuses the header, and
        # the error does not quote it.
        from keystoneauth1 import token_endpoint

        self.mock_versions()
        auth = token_endpoint.Token(base.ENDPOINT, "gAAAAABsecret\r\n")
        client = glanceclient.Client(
            "2", endpoint=base.ENDPOINT, session=ksa_session.Session(auth=auth)
        )
        e = self.assertRaises(exc.InvalidArgument, client.cache.list_nodes, base.IMAGE_ID)
        self.assertIn("cannot be sent: a header (the token?) holds a line break", str(e))
        self.assertNotIn("secret", "".join(traceback.format_exception(e)) + repr(e))
        self.assertEqual([], self.requests.request_history)
