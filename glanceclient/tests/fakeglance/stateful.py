"""The fake Glance with state, for the benchmarks: a Glance (image-cache,
images, image data, schemas, metadefs) and a Keystone v3 on two ports, and
fleet nodes, answering Glance 33.0.0's shapes fast. A benchmark fixture,
not a test oracle: it checks only that a token is present. See
``bench/fake_glance.py``, which runs it in a process of its own.

Control routes for the benchmarks (never part of Glance):
``GET /__bench__/log`` returns the requests seen so far on both ports as a
JSON list of ``"<service> <METHOD> <path>"`` strings, and
``POST /__bench__/reset`` empties that list.
"""

from __future__ import annotations

import collections
import http
import json
import re
import threading
import time
import urllib.parse
import uuid

from glanceclient.tests.fakeglance import documents as docs
from glanceclient.tests.fakeglance import wire

MAX_LOG = 50000


class _State:
    """What both servers share: URLs, canned bodies, the request log."""

    def __init__(
        self,
        nodes: int,
        token: str,
        delay: float = 0.0,
        images: int = 0,
        data_mib: int = 0,
        metadefs: str | None = None,
    ) -> None:
        self.default_nodes = nodes
        self.data_mib = data_mib
        #: How many images ``GET /v2/cache`` lists as cached.
        self.cache_images = 3
        #: The data image's and the upload image's records.
        self.data_images = docs.data_images(data_mib) if data_mib else {}
        self.block = docs.data_block() if data_mib else b""
        ids = docs.catalogue_ids(images)
        #: Each catalogue image's JSON, encoded once; and its position.
        self.images = [
            json.dumps(docs.catalogue_image(n, i)).encode() for n, i in enumerate(ids, 1)
        ]
        self.image_index = {image_id: n for n, image_id in enumerate(ids)}
        self.token = token
        self.delay = delay
        self.glance_url = ""
        self.keystone_url = ""
        self.log: collections.deque[str] = collections.deque(maxlen=MAX_LOG)
        self._bodies: dict[int, bytes] = {}
        self._lock = threading.Lock()
        #: When set, what the nodes route answers for ordinary ids.
        self.fleet_nodes: list[str] | None = None
        recorded = {"namespaces": [], "shown": {}, "schemas": {}}
        if metadefs:
            with open(metadefs) as f:
                recorded = json.load(f)
        self.namespaces: list[dict] = recorded["namespaces"]
        self.namespace_shown: dict[str, dict] = recorded["shown"]
        schemas = docs.schemas()
        schemas.update(recorded["schemas"])
        self.schemas = {k: json.dumps(v).encode() for k, v in schemas.items()}
        self.versions = b""
        self.keystone_versions = b""
        self.keystone_v3 = b""

    def nodes_body(self, count: int) -> bytes:
        body = self._bodies.get(count)
        if body is None:
            body = json.dumps(docs.node_urls(count)).encode()
            with self._lock:
                if len(self._bodies) > 64:
                    self._bodies.clear()
                self._bodies[count] = body
        return body

    def finish(self) -> None:
        self.versions = json.dumps({"versions": docs.version_list(self.glance_url)}).encode()
        v3 = {
            "id": "v3.14",
            "status": "stable",
            "updated": "2020-04-07T00:00:00Z",
            "links": [{"rel": "self", "href": self.keystone_url + "/v3/"}],
            "media-types": [
                {"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}
            ],
        }
        self.keystone_v3 = json.dumps({"version": v3}).encode()
        self.keystone_versions = json.dumps({"versions": {"values": [v3]}}).encode()
        self.nodes_body(self.default_nodes)


class _Handler(wire.Handler):
    service = ""
    state: _State

    def _answer(
        self,
        status: int,
        body: bytes = b"",
        ctype: str = "application/json",
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        if not body:
            ctype = "text/html; charset=UTF-8"  # as webob sends empty ones
        first = (("Content-Type", ctype), ("x-openstack-request-id", "req-%s" % uuid.uuid4()))
        self.send(status, body, first + headers)

    def _error(self, status: int, message: str) -> None:
        body, ctype = self.error_body(status, message)
        self._answer(status, body, ctype)

    def _read_body(self) -> bytes:
        path = self.path.split("?")[0]
        chunked = self.headers.get("Transfer-Encoding", "").lower() == "chunked"
        if chunked or path.endswith("/file"):
            self.discard_body()
            return b""
        return self.read_body()

    def _stream_data(self) -> None:
        """The data image's bytes, as Glance sends them (no hash header),
        from the start of a ``Range: bytes=N-`` if one is asked."""
        size = self.state.data_mib * wire.MIB
        start, status, extra = 0, 200, ""
        found = re.match(r"^bytes=(\d+)-$", self.headers.get("Range") or "")
        if found:
            start, status = int(found.group(1)), 206
            if start >= size:
                self._error(416, "Requested range not satisfiable")
                return
            extra = "Content-Range: bytes %d-%d/%d\r\n" % (start, size - 1, size)
        head = (
            "HTTP/1.1 %d %s\r\nContent-Type: application/octet-stream"
            "\r\nContent-Length: %d\r\n%sx-openstack-request-id: req-%s"
            "\r\n\r\n" % (status, http.HTTPStatus(status).phrase, size - start, extra, uuid.uuid4())
        )
        self.wfile.write(head.encode("latin-1"))
        self.wfile.write(self.state.block[start % wire.MIB :])
        for _ in range(start // wire.MIB + 1, self.state.data_mib):
            self.wfile.write(self.state.block)

    def _handle(self) -> None:
        body = self._read_body()
        path, _, query = self.path.partition("?")
        if path.startswith("/__bench__/"):
            return self._control(path)
        self.state.log.append("%s %s %s" % (self.service, self.command, self.path))
        if self.state.delay:
            time.sleep(self.state.delay)
        if self.service == "keystone":
            return self._keystone(path, body)
        return self._glance(path, query, body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._handle()

    def do_HEAD(self) -> None:  # noqa: N802
        self._handle()

    def do_PUT(self) -> None:  # noqa: N802
        self._handle()

    def do_POST(self) -> None:  # noqa: N802
        self._handle()

    def do_DELETE(self) -> None:  # noqa: N802
        self._handle()

    def do_PATCH(self) -> None:  # noqa: N802
        self._handle()

    def _control(self, path: str) -> None:
        if path == "/__bench__/log":
            self._answer(200, json.dumps(list(self.state.log)).encode())
        elif path == "/__bench__/reset":
            self.state.log.clear()
            self._answer(204)
        else:
            self._error(404, "No such control route.")

    # -------------------------------------------------------------- keystone
    def _keystone(self, path: str, body: bytes) -> None:
        path = path.rstrip("/")
        if path == "" and self.command == "GET":
            return self._answer(300, self.state.keystone_versions)
        if path == "/v3" and self.command == "GET":
            return self._answer(200, self.state.keystone_v3)
        if path == "/v3/auth/tokens" and self.command == "POST":
            try:
                auth = json.loads(body)["auth"]["identity"]
                user = auth["password"]["user"]
                ok = (
                    user.get("password") == docs.PASSWORD
                    and user.get("name", docs.USERNAME) == docs.USERNAME
                )
            except (ValueError, KeyError, TypeError):
                return self._error(400, "Malformed auth request.")
            if not ok:
                return self._error(401, "The request you have made requires authentication.")
            return self._answer(
                201,
                docs.token_body(self.state.keystone_url, self.state.glance_url),
                headers=(("X-Subject-Token", self.state.token), ("Vary", "X-Auth-Token")),
            )
        if path == "/v3/auth/tokens" and self.command in ("GET", "HEAD"):
            return self._answer(
                200,
                docs.token_body(self.state.keystone_url, self.state.glance_url),
                headers=(("X-Subject-Token", self.state.token),),
            )
        return self._error(404, "The resource could not be found.")

    # ---------------------------------------------------------------- glance
    def _glance(self, path: str, query: str, body: bytes) -> None:
        parts = [p for p in path.split("/") if p]
        if parts == ["healthcheck"] and self.command in ("GET", "HEAD"):
            return self._answer(200, b"OK", "text/plain; charset=UTF-8")
        if not parts or parts[0] == "versions" or not re.match(r"^v2(\.\d+)?$", parts[0]):
            # Glance's version negotiation: anything that is not /v2...
            # answers the version list (200 only for /versions).
            explicit = bool(parts) and parts[0] == "versions"
            return self._answer(200 if explicit else 300, self.state.versions)
        if not self.headers.get("X-Auth-Token"):
            return self._error(401, "The request you have made requires authentication.")
        rest = parts[1:]
        method = self.command
        if rest[:1] == ["cache"]:
            return self._cache(rest[1:], method, body)
        if rest[:1] == ["schemas"] and method == "GET":
            schema = self.state.schemas.get("/".join(rest[1:]))
            if schema is not None:
                return self._answer(200, schema)
        if rest[:2] == ["metadefs", "namespaces"] and method == "GET":
            if len(rest) == 2:
                return self._namespaces(query)
            if len(rest) == 3:
                return self._namespace(urllib.parse.unquote(rest[2]), query)
        if rest == ["images"] and method == "GET":
            return self._image_page(query)
        data_image = self.state.data_images.get(rest[1] if len(rest) > 1 else "")
        if data_image is not None and rest[0] == "images":
            if len(rest) == 2 and method == "GET":
                return self._answer(200, data_image)
            if rest[2:] == ["file"] and method == "GET":
                return self._stream_data()
            if rest[2:] == ["file"] and method == "PUT":
                return self._answer(204)
        if rest == ["images"] and method == "POST" and self.state.data_mib:
            record = json.loads(self.state.data_images[docs.UPLOAD_IMAGE_ID])
            record.update(json.loads(body or b"{}"), status="queued", size=None)
            return self._answer(201, json.dumps(record).encode())
        if len(rest) == 2 and rest[0] == "images" and method == "GET":
            n = self.state.image_index.get(rest[1])
            if n is None:
                return self._error(404, "No image found with ID %s" % rest[1])
            return self._answer(200, self.state.images[n])
        return self._error(404, "The resource could not be found.")

    def _image_page(self, query: str) -> None:
        """One page of the catalogue, as Glance pages (filters ignored)."""
        params = urllib.parse.parse_qs(query)
        try:
            limit = min(int(params.get("limit", [docs.PAGE_DEFAULT])[0]), docs.PAGE_MAX)
        except ValueError:
            return self._error(400, "limit param must be an integer")
        start = 0
        if "marker" in params:
            n = self.state.image_index.get(params["marker"][0])
            if n is None:
                return self._error(400, "marker not found")
            start = n + 1
        page = self.state.images[start : start + limit]
        first = "/v2/images" + ("?" + query if query else "")
        tail = {"first": first, "schema": "/v2/schemas/images"}
        if page and start + len(page) < len(self.state.images):
            last = json.loads(page[-1])["id"]
            tail["next"] = "/v2/images?%s" % urllib.parse.urlencode(
                {"limit": limit, "marker": last}
            )
        body = b'{"images": [' + b", ".join(page) + b"], " + json.dumps(tail).encode()[1:]
        return self._answer(200, body)

    def _namespaces(self, query: str) -> None:
        params = dict(urllib.parse.parse_qsl(query))
        found = self.state.namespaces
        if "resource_types" in params:
            wanted = set(params["resource_types"].split(","))
            found = [
                n
                for n in found
                if wanted & {a["name"] for a in n.get("resource_type_associations", [])}
            ]
        if "visibility" in params:
            found = [n for n in found if n["visibility"] == params["visibility"]]
        if "marker" in params:
            names = [n["namespace"] for n in found]
            if params["marker"] not in names:
                return self._error(404, "Namespace %s not found." % params["marker"])
            found = found[names.index(params["marker"]) + 1 :]
        limit = int(params.get("limit") or docs.METADEFS_PAGE)
        page = {
            "namespaces": found[:limit],
            "first": "/v2/metadefs/namespaces",
            "schema": "/v2/schemas/metadefs/namespaces",
        }
        if len(found) > limit:
            params["marker"] = found[limit - 1]["namespace"]
            page["next"] = "/v2/metadefs/namespaces?" + urllib.parse.urlencode(params)
        return self._answer(200, json.dumps(page).encode())

    def _namespace(self, name: str, query: str) -> None:
        shown = self.state.namespace_shown.get(name)
        if shown is None:
            return self._error(404, "Metadata definition namespace=%s was not found." % name)
        rtype = dict(urllib.parse.parse_qsl(query)).get("resource_type")
        if rtype:
            prefix = next(
                (
                    a.get("prefix") or ""
                    for a in shown.get("resource_type_associations", [])
                    if a["name"] == rtype
                ),
                "",
            )
            shown = dict(
                shown, properties={prefix + k: v for k, v in shown.get("properties", {}).items()}
            )
        return self._answer(200, json.dumps(shown).encode())

    def _cache(self, rest: list[str], method: str, body: bytes) -> None:
        if len(rest) == 2 and rest[0] == "nodes":
            if method != "GET":
                return self._error(405, "The method specified is not allowed for this resource.")
            if body:
                return self._error(400, "A GET request must not carry a body.")
            image_id = rest[1]
            if not docs.UUID_RE.match(image_id) or image_id == docs.NIL_UUID:
                return self._error(404, "Image %s not found." % image_id)
            count = self.state.default_nodes
            if image_id.startswith(docs.SIZED_PREFIX):
                count = int(image_id[len(docs.SIZED_PREFIX) :])
            elif self.state.fleet_nodes is not None:
                return self._answer(200, json.dumps(self.state.fleet_nodes).encode())
            return self._answer(200, self.state.nodes_body(count))
        if rest == []:
            if method == "GET":
                return self._answer(
                    200, json.dumps(docs.cache_state(self.state.cache_images)).encode()
                )
            if method == "DELETE":
                target = self.headers.get("x-image-cache-clear-target")
                if target not in (None, "cache", "queue"):
                    return self._error(
                        400,
                        "If provided "
                        "'x-image-cache-clear-target' must "
                        "be 'cache', 'queue' or empty string.",
                    )
                return self._answer(204)
        elif rest == ["clean"] and method == "POST":
            return self._answer(200, ctype="text/html; charset=UTF-8")
        elif rest == ["prune"] and method == "POST":
            return self._answer(200, b'{"total_files_pruned": 0, "total_bytes_pruned": 0}')
        elif len(rest) == 1 and rest[0] not in ("clean", "prune", "nodes"):
            if not docs.UUID_RE.match(rest[0]) or rest[0] == docs.NIL_UUID:
                return self._error(404, "Image %s not found." % rest[0])
            if method == "PUT":
                return self._answer(202)
            if method == "DELETE":
                return self._answer(204)
        return self._error(
            405 if rest else 404, "The method specified is not allowed for this resource."
        )


def _make_server(service: str, state: _State, port: int = 0) -> wire.Server:
    handler = type("%sHandler" % service.title(), (_Handler,), {"service": service, "state": state})
    return wire.Server(handler, port)


class Fakes:
    """A Glance and a Keystone, and fleet nodes, serving in threads until
    :meth:`stop`.

    :param nodes: the node URLs the nodes route answers for ordinary ids.
    :param port: Glance's port, and ``keystone_port`` Keystone's (0: free ones).
    :param token: the token Keystone hands out.
    :param delay: seconds spent before each answer (a slow link).
    :param fleet_delays: one fleet node per delay, answering after it; the
        nodes route then lists the fleet nodes for ordinary ids.
    :param hanging: fleet nodes that accept connections and never answer.
    :param images: the size of the image catalogue.
    :param data_mib: the size of the data image, in MiB.
    :param metadefs: a file of recorded metadefs (namespaces, shown, schemas).
    :param cache_images: how many images each fleet node's cache holds.
    """

    def __init__(
        self,
        nodes: int = 3,
        port: int = 0,
        keystone_port: int = 0,
        token: str = docs.DEFAULT_TOKEN,
        delay: float = 0.0,
        fleet_delays: tuple[float, ...] = (),
        hanging: int = 0,
        images: int = 0,
        data_mib: int = 0,
        metadefs: str | None = None,
        cache_images: int = 3,
    ) -> None:
        self.state = _State(nodes, token, delay, images, data_mib, metadefs)
        glance = _make_server("glance", self.state, port)
        keystone = _make_server("keystone", self.state, keystone_port)
        self.state.glance_url = glance.url
        self.state.keystone_url = keystone.url
        self.state.finish()
        self.servers: list[wire.Server | wire.Mute] = [glance, keystone]
        #: The URLs of the fleet nodes that answer, and of those that never do.
        self.fleet: list[str] = []
        self.hanging: list[str] = []
        for node_delay in fleet_delays:
            node_state = _State(nodes, token, node_delay, data_mib=data_mib, metadefs=metadefs)
            node_state.cache_images = cache_images
            node = _make_server("glance", node_state)
            node_state.glance_url = node.url
            node_state.keystone_url = self.state.keystone_url
            node_state.finish()
            node_state.log = self.state.log  # one request log for all
            self.fleet.append(node.url)
            self.servers.append(node)
        for _ in range(hanging):
            mute = wire.Mute()
            self.hanging.append(mute.url)
            self.servers.append(mute)
        if self.fleet or self.hanging:
            self.state.fleet_nodes = self.fleet + self.hanging
        for server in self.servers:
            wire.in_thread(server)

    def stop(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()
