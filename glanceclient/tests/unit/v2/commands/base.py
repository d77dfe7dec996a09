"""What the tests of the image commands share: the real ``glance`` main()
with stdin, stdout and the schema cache under control, and images shaped
like Glance 33.0.0's."""

from __future__ import annotations

import io
import json
import os

import fixtures

from glanceclient import shell
from glanceclient.cli import schema_options
from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2 import base as v2base

IMAGES_URL = base.ENDPOINT + "/v2/images"
IMAGE_URL = IMAGES_URL + "/" + base.IMAGE_ID
SCHEMA_URL = base.ENDPOINT + "/v2/schemas/image"
with open(schema_options.SHIPPED) as _shipped:
    SCHEMA = json.load(_shipped)


def image(**fields) -> dict:
    """An image as Glance 33.0.0 answers it."""
    body = {
        "id": base.IMAGE_ID,
        "name": "cirros",
        "status": "active",
        "visibility": "shared",
        "protected": False,
        "os_hidden": False,
        "checksum": None,
        "os_hash_algo": None,
        "os_hash_value": None,
        "owner": "p1",
        "size": 3,
        "virtual_size": None,
        "container_format": "bare",
        "disk_format": "raw",
        "created_at": "2026-11-25T10:00:00Z",
        "updated_at": "2026-11-25T10:00:01Z",
        "min_ram": 0,
        "min_disk": 0,
        "tags": [],
        "self": "/v2/images/" + base.IMAGE_ID,
        "file": "/v2/images/%s/file" % base.IMAGE_ID,
        "schema": "/v2/schemas/image",
    }
    body.update(fields)
    return body


def piped(data: bytes) -> io.TextIOWrapper:
    """A stdin that is a pipe holding ``data``."""
    return io.TextIOWrapper(io.BytesIO(data))


class CommandTest(base.ShellTestCase):
    """Runs ``glance`` with stdin a terminal and a schema cache of its own."""

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.cache = os.path.join(self.tmp, "cache")
        self.useFixture(fixtures.EnvironmentVariable("XDG_CACHE_HOME", self.cache))
        self.useFixture(fixtures.MonkeyPatch("sys.stdin", base.Terminal()))
        self.requests.get(SCHEMA_URL, json=SCHEMA)

    def run_binary(self, *argv: str) -> tuple[int, bytes, str]:
        """Run ``glance`` with a binary stdout (a pipe); return its bytes."""
        raw = io.BytesIO()
        out = io.TextIOWrapper(raw)
        err = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch("sys.stdout", out))
        self.useFixture(fixtures.MonkeyPatch("sys.stderr", err))
        status = shell.main([*base.TOKEN_ARGS, *argv])
        out.flush()
        return status, raw.getvalue(), err.getvalue()

    def stdin(self, data: bytes) -> None:
        self.useFixture(fixtures.MonkeyPatch("sys.stdin", piped(data)))

    def paths(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.requests.request_history]

    def assert_failed(self, result: tuple[int, str, str], message: str) -> None:
        status, out, err = result
        self.assertEqual(1, status, err)
        self.assertEqual("", out)
        self.assert_one_error_line(err, message)

    def mock_schema(self, name: str):
        return self.requests.get(base.ENDPOINT + "/v2/schemas/" + name, json=v2base.SCHEMAS[name])

    def methods(self) -> list[str]:
        return [r.method for r in self.requests.request_history]

    def expect_error(self, argv, expected: str) -> None:
        self.assert_failed(self.run_glance(*argv), expected)
