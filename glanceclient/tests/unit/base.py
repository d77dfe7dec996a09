"""Shared pieces of the unit tests: a real keystoneauth1 Session under the
requests-mock fixture, version documents shaped like Glance's, and the
real ``glance`` main() run with argv."""

from __future__ import annotations

import io
import json
import os

import fixtures
from keystoneauth1 import fixture as ksa_fixture
import requests
from requests_mock.contrib import fixture as rm_fixture
import testtools

import glanceclient
from glanceclient import shell

ENDPOINT = "http://glance.example.test:9292"
TOKEN = "tok-3f9c1e0a77b2"
IMAGE_ID = "8d7ff3f4-7b32-4a6e-9f62-3d1e2f9b0c11"
REQUEST_ID = "req-4a1d36e2-0c33-4e4f-8a1b-9a0f3c5e7d21"
OTHER_REQUEST_ID = "req-0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b"


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


def _no_connection(url: str, cause: OSError, kind: type) -> Exception:
    """What requests raises when no connection to ``url`` could be made
    because of ``cause``: the chain urllib3 and requests build."""
    from urllib import parse

    from urllib3 import connection
    from urllib3 import connectionpool
    from urllib3 import exceptions as urllib3_exc

    parts = parse.urlsplit(url)
    conn = connection.HTTPConnection(parts.hostname, parts.port)
    if kind is urllib3_exc.NameResolutionError:
        failure = kind(parts.hostname, conn, cause)
    else:
        failure = kind(conn, "Failed to establish a new connection: %s" % cause)
    failure.__cause__ = cause
    pool = connectionpool.HTTPConnectionPool(parts.hostname, parts.port)
    error = urllib3_exc.MaxRetryError(pool, parts.path, failure)
    error.__cause__ = failure
    return requests.exceptions.ConnectionError(
        error, request=requests.Request("GET", url).prepare()
    )


def refused(url: str = ENDPOINT + "/") -> Exception:
    """What requests raises when nothing listens on the port of ``url``."""
    import errno

    from urllib3 import exceptions as urllib3_exc

    cause = ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")
    return _no_connection(url, cause, urllib3_exc.NewConnectionError)


def unresolved(url: str) -> Exception:
    """What requests raises when the host name of ``url`` does not resolve."""
    import socket

    from urllib3 import exceptions as urllib3_exc

    cause = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return _no_connection(url, cause, urllib3_exc.NameResolutionError)


def ssl_failure(reason: str, verify_error: bool = True) -> Exception:
    """What requests raises when OpenSSL says ``reason`` in a TLS handshake
    (a failed verification, else another error such as an alert)."""
    import ssl

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


def answer(request_id: str | None = "req-1") -> requests.Response:
    """A bare 200 response, with ``request_id`` as its request id if given."""
    r = requests.Response()
    r.status_code = 200
    if request_id:
        r.headers["x-openstack-request-id"] = request_id
    return r


def requests_sent(requests_mock, since: int = 0) -> list[tuple[str, str]]:
    """The requests sent so far (after the first ``since``), as (method, path)."""
    return [(r.method, r.path) for r in requests_mock.request_history[since:]]


class Terminal(io.StringIO):
    """A stdin, stdout or stderr that is a terminal (progress and summary
    lines are written only to one; a prompt is read only from one)."""

    def isatty(self) -> bool:
        return True


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


NODES_URL = ENDPOINT + "/v2/cache/nodes/" + IMAGE_ID
CACHE_URL = ENDPOINT + "/v2/cache"
IMAGES_URL = ENDPOINT + "/v2/images"
AUTH_URL = "http://keystone.example.test:5000/v3"
OTHER_ID = "0a9b8c7d-6e5f-4a3b-8c1d-2e3f4a5b6c7d"
TOKEN_ARGS = ["--os-image-url", ENDPOINT, "--os-auth-token", TOKEN]
#: A node's cache: one image cached, one queued.
CACHE_LISTING = {
    "cached_images": [
        {
            "image_id": IMAGE_ID,
            "last_accessed": 1764072000.5,
            "last_modified": 1764068400,
            "size": 1572864,
            "hits": 4,
        }
    ],
    "queued_images": [OTHER_ID],
}


class ShellTestCase(TestCase):
    """Runs the real ``glance`` main() with argv; nothing of the environment leaks in."""

    def setUp(self):
        super().setUp()
        for name in list(os.environ):
            if name.startswith(("OS_", "GLANCECLIENT_")):
                self.useFixture(fixtures.EnvironmentVariable(name))
        # No clouds.yaml of the machine's may leak into a test.
        self.useFixture(fixtures.EnvironmentVariable("OS_CLIENT_CONFIG_FILE", "/nonexistent"))

    def run_glance(self, *argv: str, token_args: bool = True) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        self.useFixture(fixtures.MonkeyPatch("sys.stdout", out))
        self.useFixture(fixtures.MonkeyPatch("sys.stderr", err))
        try:
            status = shell.main([*TOKEN_ARGS, *argv] if token_args else list(argv))
        except SystemExit as e:  # argparse's own exits (usage, --version)
            status = e.code
        return status, out.getvalue(), err.getvalue()

    def assert_one_error_line(self, err: str, expected: str) -> None:
        lines = err.splitlines()
        self.assertEqual(1, len(lines), err)
        self.assertEqual("glance: error: " + expected, lines[0])
        self.assertNotIn("Traceback", err)
        self.assertNotIn(TOKEN, err)

    def assert_command_usage_error(self, err: str, command: str, expected: str) -> None:
        """The command's usage, then one error line naming the command."""
        *usage, last = err.splitlines()
        self.assertTrue(usage and usage[0].startswith("usage: glance %s " % command), err)
        self.assertTrue(all(line.startswith(" ") for line in usage[1:]), err)
        self.assertEqual("glance: error: %s: %s" % (command, expected), last)
        self.assertNotIn("Traceback", err)
        self.assertNotIn(TOKEN, err)

    def json_error(self, method, url, status, title, message):
        self.requests.register_uri(
            method,
            url,
            status_code=status,
            text=error_body("%d %s" % (status, title), message),
            headers={"Content-Type": "application/json", "x-openstack-request-id": REQUEST_ID},
        )

    def password_env(self):
        """Keystone answering a password token whose catalog names the image
        endpoint, and the OS_* variables that ask for it."""
        token = ksa_fixture.V3Token()
        service = token.add_service("image")
        service.add_endpoint("public", ENDPOINT + "/v2", region="RegionOne")
        service.add_endpoint("internal", "http://internal.example.test:9292", region="RegionOne")
        self.requests.get(AUTH_URL, json=ksa_fixture.V3Discovery(AUTH_URL))
        auth = self.requests.post(
            AUTH_URL + "/auth/tokens", json=token, headers={"X-Subject-Token": TOKEN}
        )
        for name, value in {
            "OS_AUTH_URL": AUTH_URL,
            "OS_USERNAME": "admin",
            "OS_PASSWORD": "s3cret-pass",
            "OS_PROJECT_NAME": "admin",
            "OS_USER_DOMAIN_NAME": "Default",
            "OS_PROJECT_DOMAIN_NAME": "Default",
        }.items():
            self.useFixture(fixtures.EnvironmentVariable(name, value))
        return auth
