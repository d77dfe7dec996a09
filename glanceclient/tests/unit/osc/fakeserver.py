"""A tiny Glance API stand-in for tests that run the real ``openstack``.

A standard-library HTTP/1.1 server on a free port of 127.0.0.1, in a
thread, answering fixed routes and recording what it was asked.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
import typing as ty
from urllib import parse

import fixtures

#: ``(method, path)`` -> ``(status, body)`` or ``(status, body, headers)``;
#: a body that is not bytes or None is sent as JSON. A body that is
#: callable answers by itself: it gets the handler (``wfile``, ``connection``)
#: and writes what it likes, for servers that misbehave on the wire.
Routes = dict[tuple[str, str], tuple[ty.Any, ...]]


class Recorded(ty.NamedTuple):
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY each
    # answer would wait for a delayed ACK (about 40 ms).
    disable_nagle_algorithm = True
    server: _Server

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        url = parse.urlsplit(self.path)
        self.server.recorded.append(
            Recorded(
                self.command,
                url.path,
                parse.parse_qs(url.query),
                {k.lower(): v for k, v in self.headers.items()},
            )
        )
        status, body, *more = self.server.routes.get(
            (self.command, url.path.rstrip("/") or "/"),
            (404, {"message": "The resource could not be found.", "code": "404 Not Found"}),
        )
        if callable(body):
            self.close_connection = True
            body(self)
            return
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("x-openstack-request-id", "req-fake-%d" % len(self.server.recorded))
        for name, value in (more[0] if more else {}).items():
            self.send_header(name, value)
        if data:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data or b"")))
        self.end_headers()
        if data:
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = _answer  # noqa: N815

    def log_message(self, format: str, *args: ty.Any) -> None:  # noqa: A002
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, routes: Routes) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = routes
        self.recorded: list[Recorded] = []


class FakeGlance(fixtures.Fixture):
    """Serve ``routes`` on 127.0.0.1 for the duration of a test.

    :param routes: the answers, by ``(method, path)``; anything else is a 404.
    """

    def __init__(self, routes: Routes) -> None:
        super().__init__()
        self.routes = routes

    def _setUp(self) -> None:  # noqa: N802 (the fixtures API)
        self.server = _Server(self.routes)
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(thread.join, 10)
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return "http://%s:%d" % (host, port)

    @property
    def recorded(self) -> list[Recorded]:
        return self.server.recorded


# Answers of servers that misbehave on the wire (callable bodies).


def trickle(body: bytes = b'["http://n1"]', interval: float = 0.2) -> ty.Callable[[_Handler], None]:
    """An answer that sends its headers, then one byte of ``body`` every
    ``interval`` seconds (until the client hangs up)."""

    def answer(handler: _Handler) -> None:
        handler.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)
        )
        try:
            for i in range(len(body)):
                handler.wfile.write(body[i : i + 1])
                handler.wfile.flush()
                time.sleep(interval)
        except OSError:
            pass  # the client gave up

    return answer


def stall(handler: _Handler) -> None:
    """Headers and half a body, then silence."""
    handler.wfile.write(b'HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n["http')
    handler.wfile.flush()
    time.sleep(3)


def hang_up(handler: _Handler) -> None:
    """Close the connection without a word."""
    handler.connection.close()


def cut_short(handler: _Handler) -> None:
    """Headers and part of the body, then the connection closed."""
    handler.wfile.write(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n["http')
    handler.wfile.flush()
    handler.connection.shutdown(socket.SHUT_RDWR)


def identity_routes(
    identity_url: str, image_url: str, token: str, region: str = "RegionOne"
) -> Routes:
    """Keystone v3 routes below ``/identity``: discovery and a password token
    whose catalog lists ``image_url`` as the public image endpoint of
    ``region`` (and an unused internal one).

    :param identity_url: where the routes are served (``.../identity/v3``).
    """
    from keystoneauth1 import fixture

    body = fixture.V3Token(user_name="admin", methods=["password"])
    body.set_project_scope(name="admin")
    body.add_role(name="admin")
    service = body.add_service("image", name="glance")
    service.add_standard_endpoints(
        public=image_url, internal="http://internal.invalid:9292", region=region
    )
    path = parse.urlsplit(identity_url).path.rstrip("/")
    return {
        ("GET", path): (200, {"version": fixture.V3Discovery(identity_url)}),
        ("POST", path + "/auth/tokens"): (201, body, {"X-Subject-Token": token}),
    }
