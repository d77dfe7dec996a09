"""The HTTP of the fake Glance: a threaded HTTP/1.1 server on 127.0.0.1,
a request handler that answers in one write, and answers that misbehave
on the wire (a trickle, a stall, a hang-up, a body cut short, a node that
never answers)."""

from __future__ import annotations

import http
import http.server
import json
import socket
import threading
import time
import typing as ty

HOST = "127.0.0.1"
MIB = 1024 * 1024


class Handler(http.server.BaseHTTPRequestHandler):
    """Answers in one write: headers and body leave in the same segment, and
    without Nagle's algorithm no answer waits for a delayed ACK."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "fake-glance"
    sys_version = ""

    def log_message(self, format: str, *args: ty.Any) -> None:  # noqa: A002
        pass

    def send(self, status: int, body: bytes = b"", headers: ty.Iterable[tuple[str, str]] = ()):
        """Send ``status`` with ``headers`` and ``body`` (none to a HEAD)."""
        lines = ["HTTP/1.1 %d %s" % (status, http.HTTPStatus(status).phrase)]
        lines.extend("%s: %s" % h for h in headers)
        lines.append("Content-Length: %d" % len(body))
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head + (b"" if self.command == "HEAD" else body))

    def error_body(self, status: int, message: str) -> tuple[bytes, str]:
        """Glance's error body and its type: JSON when the client accepts
        it, else webob's HTML page."""
        title = http.HTTPStatus(status).phrase
        if "application/json" in (self.headers.get("Accept") or ""):
            body = {"message": message, "code": "%d %s" % (status, title), "title": title}
            return json.dumps(body).encode(), "application/json"
        page = (
            "<html>\n <head>\n  <title>%d %s</title>\n </head>\n"
            " <body>\n  <h1>%d %s</h1>\n  %s<br /><br />\n\n\n\n"
            " </body>\n</html>" % (status, title, status, title, message)
        )
        return page.encode(), "text/html; charset=UTF-8"

    def read_body(self) -> bytes:
        """The request's body, as long as its Content-Length says."""
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def discard_body(self) -> int:
        """Read a (large, sized or chunked) body and throw it away; return its size."""
        read, total = self.rfile.read, 0
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if not size:
                    self.rfile.readline()
                    return total
                while size:
                    total += len(read(min(size, MIB)))
                    size -= min(size, MIB)
                self.rfile.readline()
        left = int(self.headers.get("Content-Length") or 0)
        while left > 0:
            piece = len(read(min(left, MIB)))
            if not piece:
                break
            total, left = total + piece, left - piece
        return total


class Server(http.server.ThreadingHTTPServer):
    """A threaded server on ``port`` of 127.0.0.1 (0: a free one)."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, handler: type[Handler], port: int = 0) -> None:
        super().__init__((HOST, port), handler)

    @property
    def url(self) -> str:
        return "http://%s:%d" % (HOST, self.server_address[1])


class Mute:
    """A node that accepts connections and never answers them."""

    def __init__(self) -> None:
        self.sock = socket.create_server((HOST, 0), backlog=128)
        self.url = "http://%s:%d" % (HOST, self.sock.getsockname()[1])
        self.held: list[socket.socket] = []

    def serve_forever(self, poll_interval: float = 0.2) -> None:
        try:
            while True:
                self.held.append(self.sock.accept()[0])
        except OSError:  # closed by shutdown()
            pass

    def shutdown(self) -> None:
        self.sock.close()

    def server_close(self) -> None:
        for conn in self.held:
            conn.close()


def in_thread(server: Server | Mute) -> threading.Thread:
    """Serve in a daemon thread, started; stop with ``server.shutdown()``."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
    )
    thread.start()
    return thread


# Answers that misbehave on the wire: each gets the handler and writes (or
# does not write) what it likes.


def trickle(body: bytes = b'["http://n1"]', interval: float = 0.2) -> ty.Callable[[Handler], None]:
    """An answer that sends its headers, then one byte of ``body`` every
    ``interval`` seconds (until the client hangs up)."""

    def answer(handler: Handler) -> None:
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


def stall(handler: Handler) -> None:
    """Headers and half a body, then silence."""
    handler.wfile.write(b'HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n["http')
    handler.wfile.flush()
    time.sleep(3)


def hang_up(handler: Handler) -> None:
    """Close the connection without a word."""
    handler.connection.close()


def cut_short(handler: Handler) -> None:
    """Headers and part of the body, then the connection closed."""
    handler.wfile.write(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n["http')
    handler.wfile.flush()
    handler.connection.shutdown(socket.SHUT_RDWR)
