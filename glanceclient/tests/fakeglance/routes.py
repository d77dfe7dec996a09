"""The fake Glance with fixed answers, for unit tests: a fixture serving
a table of routes on 127.0.0.1, in a thread, recording what it was asked."""

from __future__ import annotations

import json
import typing as ty
from urllib import parse

import fixtures

from glanceclient.tests.fakeglance import wire

#: ``(method, path)`` -> ``(status, body)`` or ``(status, body, headers)``;
#: a body that is not bytes or None is sent as JSON. A body that is
#: callable answers by itself: it gets the handler (``wfile``, ``connection``)
#: and writes what it likes, for servers that misbehave on the wire (see
#: :mod:`glanceclient.tests.fakeglance.wire`).
Routes = dict[tuple[str, str], tuple[ty.Any, ...]]

NOT_FOUND = (404, {"message": "The resource could not be found.", "code": "404 Not Found"})


class Recorded(ty.NamedTuple):
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


class _Handler(wire.Handler):
    server: _Server

    def _answer(self) -> None:
        self.read_body()
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
            (self.command, url.path.rstrip("/") or "/"), NOT_FOUND
        )
        if callable(body):
            self.close_connection = True
            body(self)
            return
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        headers = [("x-openstack-request-id", "req-fake-%d" % len(self.server.recorded))]
        headers.extend((more[0] if more else {}).items())
        if data:
            headers.append(("Content-Type", "application/json"))
        self.send(status, data or b"", headers)

    do_GET = do_POST = do_PUT = do_DELETE = _answer  # noqa: N815


class _Server(wire.Server):
    def __init__(self, routes: Routes) -> None:
        super().__init__(_Handler)
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
        thread = wire.in_thread(self.server)
        self.addCleanup(thread.join, 10)
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def recorded(self) -> list[Recorded]:
        return self.server.recorded


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
