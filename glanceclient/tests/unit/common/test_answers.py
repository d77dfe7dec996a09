"""Reading answers: streamed bodies."""

from __future__ import annotations

from glanceclient.common import answers
from glanceclient.tests.unit import base


class IterBodyTest(base.TestCase):
    def test_streamed_body(self):
        client = self.make_client()
        data = bytes(range(256)) * 1000
        self.requests.get(base.ENDPOINT + "/v2/images/x/file", content=data)
        response = client.http_client.request("GET", "/v2/images/x/file", stream=True)
        chunks = list(answers.iter_body(response, 1000))
        self.assertEqual(256, len(chunks))
        self.assertEqual(data, b"".join(chunks))
