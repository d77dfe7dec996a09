# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""Plain HTTP for test fixtures (set-up and checks), standard library only.

This is deliberately not the client under test: fixtures create images,
download them and poll the servers with ``http.client`` so that a bug in
the client cannot hide itself.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
import http.client
import json
import ssl
import time
from typing import Any
from typing import TypeVar
import urllib.parse

from glanceclient.tests.functional import procs

T = TypeVar("T")


class Response:
    """Status, headers (lower-case names) and body of one HTTP answer."""

    def __init__(
        self, method: str, url: str, status: int, headers: Mapping[str, str], body: bytes
    ) -> None:
        self.method = method
        self.url = url
        self.status = status
        self.headers = dict(headers)
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def __repr__(self) -> str:
        return "<Response %s %s -> %d>" % (self.method, self.url, self.status)


class HTTPFixtureError(AssertionError):
    """A fixture request got an answer it did not expect."""


def request(
    method: str,
    url: str,
    *,
    token: str | None = None,
    json_body: Any = None,
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 30.0,
    context: ssl.SSLContext | None = None,
) -> Response:
    """Send one request; returns the answer whatever its status.

    :param context: for an ``https://`` URL, the TLS context to use (the
        one of the node's :class:`~certs.ServerTLS`).
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("only http(s)://host URLs are supported: %s" % url)
    if (parts.scheme == "https") != (context is not None):
        raise ValueError("an https:// URL needs a TLS context, and only it: %s" % url)
    all_headers = {"Accept": "application/json"}
    if token is not None:
        all_headers["X-Auth-Token"] = token
    if json_body is not None:
        data = json.dumps(json_body).encode("utf-8")
        all_headers["Content-Type"] = "application/json"
    all_headers.update(headers or {})
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    conn: http.client.HTTPConnection
    if context is not None:
        conn = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=context
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, path, body=data, headers=all_headers)
        resp = conn.getresponse()
        body = resp.read()
        hdrs = {k.lower(): v for k, v in resp.getheaders()}
        return Response(method, url, resp.status, hdrs, body)
    finally:
        conn.close()


def expect(resp: Response, *statuses: int) -> Response:
    """Return ``resp`` if its status is one of ``statuses``, else raise."""
    if resp.status not in statuses:
        raise HTTPFixtureError(
            "%s %s answered %d, expected %s: %s"
            % (
                resp.method,
                resp.url,
                resp.status,
                "/".join(str(s) for s in statuses),
                resp.text[:500],
            )
        )
    return resp


def wait_for(
    condition: Callable[[], T],
    timeout: float = 30.0,
    interval: float = 0.1,
    message: str | None = None,
) -> T:
    """Call ``condition`` until it returns something truthy; return that.

    :raises TimeoutError: after ``timeout`` seconds, naming ``message``
        and the last value seen.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(
                "%s: still %r after %.1f s" % (message or "condition not met", value, timeout)
            )
        procs.sleep(interval)
