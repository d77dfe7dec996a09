#!/usr/bin/env python3
"""A small, fast fake of Glance's image-cache API and of Keystone v3.

Stdlib only. It answers the shapes that Glance 33.0.0 sends (see
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
for ids made by :func:`image_id_for` (the count is spelled in the last
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
"""

from __future__ import annotations

import argparse
import collections
import datetime
import http.server
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

HOST = "127.0.0.1"
DEFAULT_TOKEN = "bench-token-0123456789abcdef"
USERNAME = "admin"
PASSWORD = "bench-password"
PROJECT = "admin"
REGION = "RegionOne"

_UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{12}$"
)
_SIZED_PREFIX = "bec4ca11-0000-4000-8000-"
NIL_UUID = "00000000-0000-0000-0000-000000000000"
MAX_LOG = 50000
MAX_NODES = 1000000
#: Glance's page size when a list names no limit (limit_param_default).
METADEFS_PAGE = 25
METADEFS_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "metadefs.json")


def image_id_for(nodes: int) -> str:
    """Return an image id whose nodes answer lists ``nodes`` URLs."""
    if not 0 <= nodes <= MAX_NODES:
        raise ValueError("nodes must be between 0 and %d" % MAX_NODES)
    return "%s%012d" % (_SIZED_PREFIX, nodes)


IMAGE_ID_FORMAT = "4e1e5e00-0000-4000-9000-%012x"


def image_ids(count: int, start: int = 1) -> list[str]:
    """Return ``count`` distinct ordinary image ids (default node count)."""
    return [IMAGE_ID_FORMAT % (start + i) for i in range(count)]


CATALOGUE_ID_FORMAT = "ca7a1096-0000-4000-a000-%012x"
#: Glance's ``limit_param_default`` and ``api_limit_max``.
PAGE_DEFAULT, PAGE_MAX = 25, 1000


def catalogue_ids(count: int) -> list[str]:
    """The ids of the first ``count`` images of the catalogue, in order."""
    return [CATALOGUE_ID_FORMAT % (i + 1) for i in range(count)]


def _catalogue_image(n: int, image_id: str) -> dict:
    """Image ``n`` of the catalogue, with the fields Glance 33 shows."""
    stamp = _iso(1700000000 + n * 60)
    return {
        "id": image_id,
        "name": "bench-image-%05d" % n,
        "status": "active",
        "visibility": "public",
        "protected": False,
        "os_hidden": False,
        "checksum": "%032x" % n,
        "os_hash_algo": "sha512",
        "os_hash_value": "%0128x" % n,
        "owner": "b" * 32,
        "size": 1048576 + n,
        "virtual_size": 1048576 + n,
        "min_ram": 0,
        "min_disk": 0,
        "disk_format": "qcow2",
        "container_format": "bare",
        "created_at": stamp,
        "updated_at": stamp,
        "tags": ["bench"],
        "stores": "local",
        "os_distro": "cirros",
        "self": "/v2/images/" + image_id,
        "file": "/v2/images/%s/file" % image_id,
        "schema": "/v2/schemas/image",
    }


DATA_IMAGE_ID = "da7a0000-0000-4000-a000-000000000001"
UPLOAD_IMAGE_ID = "da7a0000-0000-4000-a000-000000000002"
MIB = 1024 * 1024


def data_block() -> bytes:
    """The MiB the data image repeats (the same in every process)."""
    import random

    return random.Random(1).randbytes(MIB)


def _data_images(mib: int) -> dict[str, bytes]:
    """The data image's record (its hash computed here) and the upload's."""
    import hashlib

    block = data_block()
    sha512 = hashlib.sha512()
    md5 = hashlib.md5(usedforsecurity=False)
    for _ in range(mib):
        sha512.update(block)
        md5.update(block)
    records = {}
    for image_id, size in ((DATA_IMAGE_ID, mib * MIB), (UPLOAD_IMAGE_ID, 0)):
        record = _catalogue_image(0, image_id)
        record.update(
            name="bench-data",
            size=size,
            virtual_size=size,
            disk_format="raw",
            checksum=md5.hexdigest(),
            os_hash_value=sha512.hexdigest(),
        )
        records[image_id] = json.dumps(record).encode()
    return records


def _node_urls(count: int) -> list[str]:
    # Shaped like operator-set worker_self_reference_url values; the real
    # server does not sort them, so neither do we (reverse numeric order).
    return ["http://glance-node-%05d.example.test:60999" % i for i in range(count, 0, -1)]


# ---------------------------------------------------------------- documents


def _version_list(base: str) -> list[dict]:
    href = base.rstrip("/") + "/v2/"
    # Same list and order as Glance 33.0.0 with image_cache_dir and
    # enabled_backends set.
    ids = [
        ("2.18", "CURRENT"),
        ("2.17", "SUPPORTED"),
        ("2.16", "SUPPORTED"),
        ("2.15", "SUPPORTED"),
        ("2.14", "SUPPORTED"),
        ("2.13", "SUPPORTED"),
        ("2.12", "SUPPORTED"),
        ("2.11", "SUPPORTED"),
        ("2.10", "SUPPORTED"),
        ("2.9", "SUPPORTED"),
        ("2.8", "SUPPORTED"),
        ("2.7", "SUPPORTED"),
        ("2.6", "SUPPORTED"),
        ("2.5", "SUPPORTED"),
        ("2.4", "SUPPORTED"),
        ("2.3", "SUPPORTED"),
        ("2.2", "SUPPORTED"),
        ("2.1", "SUPPORTED"),
        ("2.0", "SUPPORTED"),
    ]
    return [{"id": "v" + v, "status": s, "links": [{"rel": "self", "href": href}]} for v, s in ids]


def _prop(kind: str, description: str, **extra) -> dict:
    doc = {"type": kind, "description": description}
    doc.update(extra)
    return doc


def _image_schema() -> dict:
    """A JSON schema of an image, of the size and shape Glance serves."""
    uuid_pat = (
        "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$"
    )
    props = {
        "id": _prop("string", "An identifier for the image", pattern=uuid_pat),
        "name": _prop(["null", "string"], "Descriptive name for the image", maxLength=255),
        "status": _prop(
            "string",
            "Status of the image",
            readOnly=True,
            enum=[
                "queued",
                "saving",
                "active",
                "killed",
                "deleted",
                "uploading",
                "importing",
                "pending_delete",
                "deactivated",
            ],
        ),
        "visibility": _prop(
            "string",
            "Scope of image accessibility",
            enum=["community", "public", "private", "shared"],
        ),
        "protected": _prop("boolean", "If true, image will not be deletable."),
        "os_hidden": _prop(
            "boolean", "If true, image will not appear in default image list response."
        ),
        "checksum": _prop(
            ["null", "string"], "md5 hash of image contents.", readOnly=True, maxLength=32
        ),
        "os_hash_algo": _prop(
            ["null", "string"],
            "Algorithm to calculate the os_hash_value",
            readOnly=True,
            maxLength=64,
        ),
        "os_hash_value": _prop(
            ["null", "string"], "Hexdigest of the image contents", readOnly=True, maxLength=128
        ),
        "owner": _prop(["null", "string"], "Owner of the image", maxLength=255),
        "size": _prop(["null", "integer"], "Size of image file in bytes", readOnly=True),
        "virtual_size": _prop(["null", "integer"], "Virtual size of image in bytes", readOnly=True),
        "container_format": _prop(
            ["null", "string"],
            "Format of the container",
            enum=[None, "ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"],
        ),
        "disk_format": _prop(
            ["null", "string"],
            "Format of the disk",
            enum=[
                None,
                "ami",
                "ari",
                "aki",
                "vhd",
                "vhdx",
                "vmdk",
                "raw",
                "qcow2",
                "vdi",
                "iso",
                "ploop",
            ],
        ),
        "created_at": _prop("string", "Date and time of image registration", readOnly=True),
        "updated_at": _prop(
            "string", "Date and time of the last image modification", readOnly=True
        ),
        "tags": {
            "type": "array",
            "description": "List of strings related to the image",
            "items": {"type": "string", "maxLength": 255},
        },
        "direct_url": _prop(
            "string", "URL to access the image file kept in external store", readOnly=True
        ),
        "min_ram": _prop("integer", "Amount of ram (in MB) required to boot image."),
        "min_disk": _prop("integer", "Amount of disk space (in GB) required to boot image."),
        "self": _prop("string", "An image self url", readOnly=True),
        "file": _prop("string", "An image file url", readOnly=True),
        "stores": _prop("string", "Store in which image data resides.", readOnly=True),
        "schema": _prop("string", "An image schema url", readOnly=True),
        "locations": {
            "type": "array",
            "description": "A set of URLs to access the image file kept in external store",
            "items": {
                "type": "object",
                "required": ["url", "metadata"],
                "properties": {
                    "url": {"type": "string", "maxLength": 255},
                    "metadata": {"type": "object"},
                    "validation_data": {"type": "object"},
                },
            },
        },
        "os_distro": _prop("string", "Common name of operating system distribution", is_base=False),
        "os_version": _prop("string", "Operating system version", is_base=False),
        "architecture": _prop("string", "Operating system architecture", is_base=False),
        "kernel_id": _prop(
            ["null", "string"],
            "ID of image stored in Glance used as the kernel",
            pattern=uuid_pat,
            is_base=False,
        ),
        "ramdisk_id": _prop(
            ["null", "string"],
            "ID of image stored in Glance used as the ramdisk",
            pattern=uuid_pat,
            is_base=False,
        ),
        "instance_uuid": _prop(
            "string",
            "Metadata which can be used to record which instance this image is associated with.",
            is_base=False,
        ),
    }
    return {
        "name": "image",
        "properties": props,
        "additionalProperties": {"type": "string"},
        "links": [
            {"rel": "self", "href": "{self}"},
            {"rel": "enclosure", "href": "{file}"},
            {"rel": "describedby", "href": "{schema}"},
        ],
    }


def _named_schema(name: str, fields: list[str]) -> dict:
    return {
        "name": name,
        "properties": {f: {"type": "string", "description": f} for f in fields},
        "additionalProperties": False,
        "required": [fields[0]],
        "links": [{"rel": "self", "href": "{self}"}, {"rel": "describedby", "href": "{schema}"}],
    }


def _schemas() -> dict[str, dict]:
    image = _image_schema()
    return {
        "image": image,
        "images": {
            "name": "images",
            "properties": {
                "images": {"type": "array", "items": image},
                "schema": {"type": "string"},
                "first": {"type": "string"},
                "next": {"type": "string"},
            },
            "links": [
                {"rel": "first", "href": "{first}"},
                {"rel": "next", "href": "{next}"},
                {"rel": "describedby", "href": "{schema}"},
            ],
        },
        "member": _named_schema(
            "member", ["member_id", "image_id", "status", "created_at", "updated_at", "schema"]
        ),
        "metadefs/namespace": _named_schema(
            "namespace",
            [
                "namespace",
                "display_name",
                "description",
                "visibility",
                "protected",
                "owner",
                "created_at",
                "updated_at",
                "schema",
                "self",
            ],
        ),
        "metadefs/resource_type": _named_schema(
            "resource_type_association",
            ["name", "prefix", "properties_target", "created_at", "updated_at"],
        ),
    }


def _cache_state() -> dict:
    now = time.time()
    cached = [
        {
            "image_id": i,
            "hits": n,
            "last_accessed": now - 60 * n,
            "last_modified": now - 3600 * n,
            "size": 1048576 * n,
        }
        for n, i in enumerate(image_ids(3, start=0x100), 1)
    ]
    return {"cached_images": cached, "queued_images": image_ids(2, start=0x200)}


def _iso(ts: float) -> str:
    return datetime.datetime.fromtimestamp(ts, tz=datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.000000Z"
    )


# ------------------------------------------------------------------ servers


class _State:
    """What both servers share: URLs, canned bodies, the request log."""

    def __init__(
        self, nodes: int, token: str, delay: float = 0.0, images: int = 0, data_mib: int = 0
    ) -> None:
        self.default_nodes = nodes
        self.data_mib = data_mib
        #: The data image's and the upload image's records.
        self.data_images = _data_images(data_mib) if data_mib else {}
        self.block = data_block() if data_mib else b""
        ids = catalogue_ids(images)
        #: Each catalogue image's JSON, encoded once; and its position.
        self.images = [json.dumps(_catalogue_image(n, i)).encode() for n, i in enumerate(ids, 1)]
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
        with open(METADEFS_DATA) as f:
            metadefs = json.load(f)
        self.namespaces: list[dict] = metadefs["namespaces"]
        self.namespace_shown: dict[str, dict] = metadefs["shown"]
        schemas = _schemas()
        schemas.update(metadefs["schemas"])
        self.schemas = {k: json.dumps(v).encode() for k, v in schemas.items()}
        self.versions = b""
        self.keystone_versions = b""
        self.keystone_v3 = b""

    def nodes_body(self, count: int) -> bytes:
        body = self._bodies.get(count)
        if body is None:
            body = json.dumps(_node_urls(count)).encode()
            with self._lock:
                if len(self._bodies) > 64:
                    self._bodies.clear()
                self._bodies[count] = body
        return body

    def finish(self) -> None:
        self.versions = json.dumps({"versions": _version_list(self.glance_url)}).encode()
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

    def token_body(self) -> bytes:
        now = time.time()

        def endpoints(url: str) -> list[dict]:
            return [
                {
                    "id": uuid.uuid4().hex,
                    "interface": i,
                    "region": REGION,
                    "region_id": REGION,
                    "url": url,
                }
                for i in ("public", "internal", "admin")
            ]

        domain = {"id": "default", "name": "Default"}
        token = {
            "methods": ["password"],
            "user": {
                "domain": domain,
                "id": "a" * 32,
                "name": USERNAME,
                "password_expires_at": None,
            },
            "audit_ids": [uuid.uuid4().hex[:22]],
            "expires_at": _iso(now + 3600),
            "issued_at": _iso(now),
            "project": {"domain": domain, "id": "b" * 32, "name": PROJECT},
            "is_domain": False,
            "roles": [
                {"id": "c" * 32, "name": "admin"},
                {"id": "d" * 32, "name": "member"},
                {"id": "e" * 32, "name": "reader"},
            ],
            "catalog": [
                {
                    "id": "f" * 32,
                    "type": "identity",
                    "name": "keystone",
                    "endpoints": endpoints(self.keystone_url),
                },
                {
                    "id": "9" * 32,
                    "type": "image",
                    "name": "glance",
                    "endpoints": endpoints(self.glance_url),
                },
            ],
        }
        return json.dumps({"token": token}).encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "fake-glance"
    sys_version = ""
    service = ""
    state: _State

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass

    def _answer(
        self,
        status: int,
        body: bytes = b"",
        ctype: str = "application/json",
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        reason = http.HTTPStatus(status).phrase
        if not body:
            ctype = "text/html; charset=UTF-8"  # as webob sends empty ones
        lines = [
            "HTTP/1.1 %d %s" % (status, reason),
            "Content-Type: %s" % ctype,
            "Content-Length: %d" % len(body),
            "x-openstack-request-id: req-%s" % uuid.uuid4(),
        ]
        lines.extend("%s: %s" % h for h in headers)
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        if self.command == "HEAD":
            body = b""
        # One write: headers and body leave in the same segment.
        self.wfile.write(head + body)

    def _error(self, status: int, message: str) -> None:
        title = http.HTTPStatus(status).phrase
        if "application/json" in (self.headers.get("Accept") or ""):
            body = json.dumps(
                {"message": message, "code": "%d %s" % (status, title), "title": title}
            ).encode()
            self._answer(status, body)
        else:
            body = (
                "<html>\n <head>\n  <title>%d %s</title>\n </head>\n"
                " <body>\n  <h1>%d %s</h1>\n  %s<br /><br />\n\n\n\n"
                " </body>\n</html>" % (status, title, status, title, message)
            ).encode()
            self._answer(status, body, "text/html; charset=UTF-8")

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked" or self.path.split("?")[
            0
        ].endswith("/file"):
            self._discard_body()
            return b""
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _discard_body(self) -> int:
        """Read a (large) body and throw it away; return its size."""
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

    def _stream_data(self) -> None:
        """The data image's bytes, as Glance sends them (no hash header),
        from the start of a ``Range: bytes=N-`` if one is asked."""
        size = self.state.data_mib * MIB
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
        self.wfile.write(self.state.block[start % MIB :])
        for _ in range(start // MIB + 1, self.state.data_mib):
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
                ok = user.get("password") == PASSWORD and user.get("name", USERNAME) == USERNAME
            except (ValueError, KeyError, TypeError):
                return self._error(400, "Malformed auth request.")
            if not ok:
                return self._error(401, "The request you have made requires authentication.")
            return self._answer(
                201,
                self.state.token_body(),
                headers=(("X-Subject-Token", self.state.token), ("Vary", "X-Auth-Token")),
            )
        if path == "/v3/auth/tokens" and self.command in ("GET", "HEAD"):
            return self._answer(
                200, self.state.token_body(), headers=(("X-Subject-Token", self.state.token),)
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
            record = json.loads(self.state.data_images[UPLOAD_IMAGE_ID])
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
            limit = min(int(params.get("limit", [PAGE_DEFAULT])[0]), PAGE_MAX)
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
        limit = int(params.get("limit") or METADEFS_PAGE)
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
            if not _UUID_RE.match(image_id) or image_id == NIL_UUID:
                return self._error(404, "Image %s not found." % image_id)
            count = self.state.default_nodes
            if image_id.startswith(_SIZED_PREFIX):
                count = int(image_id[len(_SIZED_PREFIX) :])
            elif self.state.fleet_nodes is not None:
                return self._answer(200, json.dumps(self.state.fleet_nodes).encode())
            return self._answer(200, self.state.nodes_body(count))
        if rest == []:
            if method == "GET":
                return self._answer(200, json.dumps(_cache_state()).encode())
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
            if not _UUID_RE.match(rest[0]) or rest[0] == NIL_UUID:
                return self._error(404, "Image %s not found." % rest[0])
            if method == "PUT":
                return self._answer(202)
            if method == "DELETE":
                return self._answer(204)
        return self._error(
            405 if rest else 404, "The method specified is not allowed for this resource."
        )


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def _make_server(service: str, state: _State, port: int) -> _Server:
    handler = type("%sHandler" % service.title(), (_Handler,), {"service": service, "state": state})
    return _Server((HOST, port), handler)


class _Mute:
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


def serve(
    nodes: int = 3,
    port: int = 0,
    keystone_port: int = 0,
    token: str = DEFAULT_TOKEN,
    lifetime: float = 3600.0,
    announce=print,
    delay: float = 0.0,
    fleet_delays: tuple[float, ...] = (),
    hanging: int = 0,
    images: int = 0,
    data_mib: int = 0,
) -> None:
    """Serve both fakes until stdin closes, a signal, or ``lifetime``.

    ``delay`` seconds are spent before each answer (a slow link).
    ``fleet_delays`` and ``hanging`` add fleet nodes (see the module's
    documentation); ``images`` is the size of the image catalogue;
    ``data_mib`` the size of the data image.
    """
    state = _State(nodes, token, delay, images, data_mib)
    glance = _make_server("glance", state, port)
    keystone = _make_server("keystone", state, keystone_port)
    state.glance_url = "http://%s:%d" % (HOST, glance.server_address[1])
    state.keystone_url = "http://%s:%d" % (HOST, keystone.server_address[1])
    state.finish()
    servers: list = [glance, keystone]
    fleet, mute = [], []
    for node_delay in fleet_delays:
        node_state = _State(nodes, token, node_delay, data_mib=data_mib)
        node = _make_server("glance", node_state, 0)
        node_state.glance_url = "http://%s:%d" % (HOST, node.server_address[1])
        node_state.keystone_url = state.keystone_url
        node_state.finish()
        node_state.log = state.log  # one request log for all
        fleet.append(node_state.glance_url)
        servers.append(node)
    for _ in range(hanging):
        m = _Mute()
        mute.append(m.url)
        servers.append(m)
    if fleet or mute:
        state.fleet_nodes = fleet + mute
    threads = [
        threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        for s in servers
    ]
    for t in threads:
        t.start()
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    announce(
        json.dumps(
            {
                "glance": state.glance_url,
                "keystone": state.keystone_url,
                "auth_url": state.keystone_url + "/v3",
                "token": token,
                "pid": os.getpid(),
                "fleet": fleet,
                "hanging": mute,
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
        for s in servers:
            s.shutdown()
            s.server_close()


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
    ) -> None:
        self.nodes = nodes
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
        self.token = DEFAULT_TOKEN

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
        conn = socket.create_connection((HOST, int(self.glance_url.rsplit(":", 1)[1])), timeout=10)
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
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="token that Keystone hands out")
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
    args = parser.parse_args(argv)
    try:
        fleet_delays = tuple(float(d) for d in args.fleet_delays.split(",") if d)
    except ValueError:
        parser.error("--fleet-delays takes comma-separated seconds")
    if not 0 <= args.nodes <= MAX_NODES:
        parser.error("--nodes must be between 0 and %d" % MAX_NODES)
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
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
