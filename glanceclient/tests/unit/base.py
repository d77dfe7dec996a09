"""Shared pieces of the unit tests: a real keystoneauth1 Session under the
requests-mock fixture, and version documents shaped like Glance's."""

from __future__ import annotations

import json

import fixtures
from requests_mock.contrib import fixture as rm_fixture
import testtools

import glanceclient

ENDPOINT = "http://glance.example.test:9292"
TOKEN = "tok-3f9c1e0a77b2"
IMAGE_ID = "8d7ff3f4-7b32-4a6e-9f62-3d1e2f9b0c11"
REQUEST_ID = "req-4a1d36e2-0c33-4e4f-8a1b-9a0f3c5e7d21"


def versions_document(*versions: str, current: str | None = None) -> dict:
    """A /versions body listing ``versions`` (``"2.18"`` ...), newest CURRENT."""
    current = current or max(versions, key=lambda v: tuple(int(p) for p in v.split(".")))
    return {
        "versions": [
            {
                "id": "v" + v,
                "status": "CURRENT" if v == current else "SUPPORTED",
                "links": [{"rel": "self", "href": ENDPOINT + "/v2/"}],
            }
            for v in versions
        ]
    }


#: What a Glance 33.0.0 node with a cache lists.
WITH_CACHE = versions_document(
    "2.18", "2.17", "2.16", "2.15", "2.14", "2.13", "2.12", "2.9", "2.1", "2.0"
)
#: What a node without ``image_cache_dir`` lists.
WITHOUT_CACHE = versions_document("2.17", "2.15", "2.13", "2.12", "2.9", "2.1", "2.0")
#: A node with a cache, from before the nodes route (2.16 era).
OLD_WITH_CACHE = versions_document("2.16", "2.15", "2.14", "2.13", "2.9", "2.0")


def refused() -> Exception:
    """What requests raises when nothing listens on the port."""
    import requests

    return requests.exceptions.ConnectionError(
        "HTTPConnectionPool(host='glance.example.test', port=9292): Max retries exceeded "
        "(Caused by NewConnectionError('Failed to establish a new connection: "
        "[Errno 111] Connection refused'))"
    )


def ssl_failure(reason: str, verify_error: bool = True) -> Exception:
    """What requests raises when OpenSSL says ``reason`` in a TLS handshake
    (a failed verification, else another error such as an alert)."""
    import ssl

    import requests
    from urllib3 import connectionpool
    from urllib3 import exceptions as urllib3_exc

    if verify_error:
        cause: ssl.SSLError = ssl.SSLCertVerificationError(
            1,
            "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: %s (_ssl.c:1006)" % reason,
        )
    else:
        cause = ssl.SSLError(1, "%s (_ssl.c:2580)" % reason)
    pool = connectionpool.HTTPSConnectionPool("glance.example.test", 9292)
    error = urllib3_exc.MaxRetryError(pool, "/versions", urllib3_exc.SSLError(cause))
    return requests.exceptions.SSLError(error)


def error_body(status: str, message: str) -> str:
    """The JSON error body Glance sends when asked for JSON."""
    code, _, title = status.partition(" ")
    return json.dumps({"message": message, "code": status, "title": title})


class TestCase(testtools.TestCase):
    """A test with requests-mock in place and nothing real on the network."""

    def setUp(self) -> None:
        super().setUp()
        self.requests = self.useFixture(rm_fixture.Fixture())
        for name in ("OS_CLOUD", "OS_AUTH_URL", "OS_IMAGE_URL", "OS_AUTH_TOKEN", "OS_TOKEN"):
            self.useFixture(fixtures.EnvironmentVariable(name))

    def mock_versions(self, document: dict | None = None, endpoint: str = ENDPOINT):
        return self.requests.get(
            endpoint + "/versions", json=document or WITH_CACHE, status_code=200
        )

    def make_client(self, endpoint: str = ENDPOINT, **kwargs):
        return glanceclient.Client("2", endpoint=endpoint, token=TOKEN, **kwargs)

    def calls_to(self, path: str) -> list:
        return [r for r in self.requests.request_history if r.path == path.lower()]
