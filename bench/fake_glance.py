#!/usr/bin/env python3
"""The fake Glance and Keystone v3 of the benchmarks, in a process of their own.

The servers are the project's one fake Glance
(``glanceclient/tests/fakeglance``, standard library only, imported from
this checkout): it answers the shapes that Glance 33.0.0 sends (see
shared/GLANCE_API.md) so that clients can be timed against it without the
cost of a real server dominating the figures. It is a benchmark fixture,
not a test oracle: it checks only that a token is present.

Run it by hand::

    python bench/fake_glance.py --nodes 3

It prints one JSON line with its URLs, then serves until its standard input
reaches end of file (the parent that piped it went away), it gets SIGTERM or
SIGINT, or ``--lifetime`` seconds have passed, whichever comes first.

From a script::

    from fake_glance import FakeServers
    with FakeServers(nodes=3) as srv:
        srv.glance_url, srv.keystone_url, srv.token

Metadata definitions: ``GET /v2/metadefs/namespaces`` (paged with
``limit`` and ``marker``, 25 a page by default as Glance does, filtered by
``resource_types`` and ``visibility``) and ``GET
/v2/metadefs/namespaces/<name>`` (``?resource_type=`` prefixes the property
names) answer Glance 33.0.0's standard definitions as a real server
recorded them (``bench/data/metadefs.json``), with their real schemas.

Node counts: ``GET /v2/cache/nodes/<id>`` answers ``--nodes`` URLs, except
for ids made by ``documents.image_id_for`` (the count is spelled in the last
group of the UUID), which answer that many; the nil UUID and anything that
is not a UUID answer Glance's 404 "Image <id> not found.".

Images: ``--images N`` gives ``GET /v2/images`` a catalogue of N images
shaped like Glance 33.0.0's (ids from :func:`catalogue_ids`), paged as
Glance pages them (``limit``, default 25 and at most 1000; ``marker``;
a ``next`` link while more remain), and ``GET /v2/images/<id>`` answers
each of them. Without it the list is empty.

Image data: ``--data-mib N`` adds the image :data:`DATA_IMAGE_ID`, whose
``GET .../file`` streams N MiB (a pseudo-random MiB repeated) with the
sha512 its record announces; ``POST /v2/images`` creates
:data:`UPLOAD_IMAGE_ID` (answered ``active`` afterwards) and
``PUT /v2/images/<id>/file`` reads the body (sized or chunked) and throws
it away. Every fleet node holds the data image too, and its data honours
``Range: bytes=N-`` (206 with a ``Content-Range``) as Glance does.

A slow link: ``--delay SECONDS`` holds every answer of both servers that
long before sending it (control routes excepted), as a WAN round trip
would; the servers are threaded, so concurrent requests wait side by side.

A fleet, for the fleet commands: ``--fleet-delays 0.05,0.1`` adds one
Glance node per delay (its own port, every answer held that long), and
``--hanging N`` adds N nodes that accept connections and never answer. The
nodes answer of the main Glance then lists every fleet node (ordinary ids);
every node answers ``GET /healthcheck`` (no token needed) with 200 ``OK``.

Control routes for the benchmarks (never part of Glance):
``GET /__bench__/log`` returns the requests seen so far on both ports as a
JSON list of ``"<service> <METHOD> <path>"`` strings, and
``POST /__bench__/reset`` empties that list.

The documents (ids, :func:`image_id_for`, the data image...) are in
``glanceclient.tests.fakeglance.documents``.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from glanceclient.tests.fakeglance import documents as docs  # noqa: E402
from glanceclient.tests.fakeglance import stateful  # noqa: E402
from glanceclient.tests.fakeglance import wire  # noqa: E402

#: Glance 33.0.0's standard metadata definitions, as a real server answered them.
METADEFS_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "metadefs.json")


def serve(
    nodes: int = 3,
    port: int = 0,
    keystone_port: int = 0,
    token: str = docs.DEFAULT_TOKEN,
    lifetime: float = 3600.0,
    announce=print,
    delay: float = 0.0,
    fleet_delays: tuple[float, ...] = (),
    hanging: int = 0,
    images: int = 0,
    data_mib: int = 0,
    cache_images: int = 3,
) -> None:
    """Serve both fakes until stdin closes, a signal, or ``lifetime``.

    ``delay`` seconds are spent before each answer (a slow link).
    ``fleet_delays`` and ``hanging`` add fleet nodes (see the module's
    documentation); ``images`` is the size of the image catalogue;
    ``data_mib`` the size of the data image; ``cache_images`` how many
    images each fleet node's cache holds.
    """
    fakes = stateful.Fakes(
        nodes,
        port,
        keystone_port,
        token,
        delay=delay,
        fleet_delays=fleet_delays,
        hanging=hanging,
        images=images,
        data_mib=data_mib,
        metadefs=METADEFS_DATA,
        cache_images=cache_images,
    )
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    announce(
        json.dumps(
            {
                "glance": fakes.state.glance_url,
                "keystone": fakes.state.keystone_url,
                "auth_url": fakes.state.keystone_url + "/v3",
                "token": token,
                "pid": os.getpid(),
                "fleet": fakes.fleet,
                "hanging": fakes.hanging,
            }
        )
    )
    sys.stdout.flush()
    deadline = time.monotonic() + lifetime
    watch_stdin = not sys.stdin.isatty() if sys.stdin else False
    try:
        while not stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if watch_stdin:
                ready, _, _ = select.select([sys.stdin], [], [], min(left, 1.0))
                if ready and not os.read(sys.stdin.fileno(), 4096):
                    break
            else:
                stop.wait(min(left, 1.0))
    finally:
        fakes.stop()


class FakeServers:
    """Run the fakes in a child process; a context manager.

    The child ends when this object is stopped, when the parent dies (its
    stdin pipe closes), or after ``lifetime`` seconds.
    """

    def __init__(
        self,
        nodes: int = 3,
        lifetime: float = 1800.0,
        python: str | None = None,
        delay: float = 0.0,
        fleet_delays: tuple[float, ...] = (),
        hanging: int = 0,
        images: int = 0,
        data_mib: int = 0,
        cache_images: int = 3,
    ) -> None:
        self.nodes = nodes
        self.cache_images = cache_images
        self.images = images
        self.data_mib = data_mib
        self.lifetime = lifetime
        self.delay = delay
        self.fleet_delays = tuple(fleet_delays)
        self.hanging = hanging
        #: The fleet nodes' URLs (answering, then never answering).
        self.fleet_urls: list[str] = []
        self.hanging_urls: list[str] = []
        self.python = python or sys.executable
        self.proc: subprocess.Popen | None = None
        self.glance_url = self.keystone_url = self.auth_url = ""
        self.token = docs.DEFAULT_TOKEN

    def start(self) -> FakeServers:
        self.proc = subprocess.Popen(
            [
                self.python,
                os.path.abspath(__file__),
                "--nodes",
                str(self.nodes),
                "--lifetime",
                str(self.lifetime),
                "--delay",
                str(self.delay),
                "--hanging",
                str(self.hanging),
                "--fleet-delays",
                ",".join(map(str, self.fleet_delays)),
                "--images",
                str(self.images),
                "--data-mib",
                str(self.data_mib),
                "--cache-images",
                str(self.cache_images),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),
        )
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], 30)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            self.stop()
            raise RuntimeError("fake_glance.py did not start")
        info = json.loads(line)
        self.glance_url = info["glance"]
        self.keystone_url = info["keystone"]
        self.auth_url = info["auth_url"]
        self.token = info["token"]
        self.fleet_urls = info["fleet"]
        self.hanging_urls = info["hanging"]
        return self

    def stop(self) -> None:
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        try:
            if proc.stdin:
                proc.stdin.close()  # the child sees EOF and stops
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout:
            proc.stdout.close()

    def __enter__(self) -> FakeServers:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- control routes
    def _control(self, method: str, path: str) -> bytes:
        conn = socket.create_connection(
            (wire.HOST, int(self.glance_url.rsplit(":", 1)[1])), timeout=10
        )
        try:
            conn.sendall(
                (
                    "%s %s HTTP/1.1\r\nHost: x\r\nContent-Length: 0"
                    "\r\nConnection: close\r\n\r\n" % (method, path)
                ).encode()
            )
            data = b""
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
        finally:
            conn.close()
        return data.split(b"\r\n\r\n", 1)[1]

    def requests_seen(self) -> list[str]:
        """The requests logged since the last reset, oldest first."""
        return json.loads(self._control("GET", "/__bench__/log"))

    def reset_log(self) -> None:
        self._control("POST", "/__bench__/reset")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--nodes", type=int, default=3, help="node URLs answered for ordinary image ids"
    )
    parser.add_argument("--port", type=int, default=0, help="Glance port (0: a free one)")
    parser.add_argument(
        "--keystone-port", type=int, default=0, help="Keystone port (0: a free one)"
    )
    parser.add_argument("--token", default=docs.DEFAULT_TOKEN, help="token that Keystone hands out")
    parser.add_argument(
        "--lifetime", type=float, default=3600.0, help="stop after this many seconds at most"
    )
    parser.add_argument(
        "--delay",
        type=float,
        default=0.0,
        help="seconds to wait before each answer (a slow link; default 0)",
    )
    parser.add_argument(
        "--fleet-delays",
        default="",
        help="comma-separated seconds: one fleet node each, answering after that delay",
    )
    parser.add_argument("--hanging", type=int, default=0, help="fleet nodes that never answer")
    parser.add_argument(
        "--images",
        type=int,
        default=0,
        help="images in the catalogue of GET /v2/images (default 0)",
    )
    parser.add_argument(
        "--data-mib",
        type=int,
        default=0,
        help="MiB of data of the data image (default 0: no data image)",
    )
    parser.add_argument(
        "--cache-images",
        type=int,
        default=3,
        help="images each fleet node's GET /v2/cache lists as cached (default 3)",
    )
    args = parser.parse_args(argv)
    try:
        fleet_delays = tuple(float(d) for d in args.fleet_delays.split(",") if d)
    except ValueError:
        parser.error("--fleet-delays takes comma-separated seconds")
    if not 0 <= args.nodes <= docs.MAX_NODES:
        parser.error("--nodes must be between 0 and %d" % docs.MAX_NODES)
    if args.delay < 0:
        parser.error("--delay must not be negative")
    serve(
        args.nodes,
        args.port,
        args.keystone_port,
        args.token,
        args.lifetime,
        delay=args.delay,
        fleet_delays=fleet_delays,
        hanging=args.hanging,
        images=args.images,
        data_mib=args.data_mib,
        cache_images=args.cache_images,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
