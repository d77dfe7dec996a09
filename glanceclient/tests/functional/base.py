"""What the client's functional tests share: a cluster, the SDK on a node,
and the real ``glance`` and ``openstack`` console scripts run as processes."""

from __future__ import annotations

import functools
import http.server
import io
import json
import os
import pathlib
import subprocess
import sys
import threading
import typing as ty
import uuid

import fixtures
import testtools

import glanceclient
from glanceclient import exc
from glanceclient import shell
from glanceclient.tests.functional import fixture

BIN = pathlib.Path(sys.executable).parent
COMMAND_TIMEOUT = 120


class Result(ty.NamedTuple):
    status: int
    out: str
    err: str


def run_command(argv: list[str], env: dict[str, str], stdin: ty.Any = subprocess.DEVNULL) -> Result:
    """Run one of the installed console scripts with exactly ``env``'s OS_*.

    :param stdin: what the command reads (default: nothing, as in cron).
    """
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OS_", "GLANCECLIENT_"))}
    clean.update(env)
    clean.setdefault("OS_CLIENT_CONFIG_FILE", "/nonexistent")
    done = subprocess.run(
        [str(BIN / argv[0]), *argv[1:]],
        env=clean,
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class FunctionalTest(testtools.TestCase):
    """A test on the shared trusted-auth cluster (node1, node2, sqlite, nocache)."""

    cluster_shape: ty.ClassVar[dict[str, ty.Any]] = {}
    #: False: a cluster of the test's own (for tests that stop a server).
    cluster_shared: ty.ClassVar[bool] = True

    def setUp(self) -> None:
        super().setUp()
        self.cluster = self.useFixture(
            fixture.ClusterFixture(shared=self.cluster_shared, **self.cluster_shape)
        ).cluster

    def new_image(
        self, data: bytes = b"functional test image\n" * 512, name: str | None = None
    ) -> str:
        image_id = self.cluster.create_image(data, name=name)
        self.addCleanup(self.cluster.delete_image, image_id)
        return image_id

    def serve_data(self, data: bytes) -> str:
        """Serve ``data`` over HTTP on 127.0.0.1 for the test (image
        locations, web-download); returns its URL."""
        folder = self.useFixture(fixtures.TempDir()).path
        pathlib.Path(folder, "image.raw").write_bytes(data)
        handler = functools.partial(_QuietHandler, directory=folder)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(thread.join)
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return "http://127.0.0.1:%d/image.raw" % server.server_address[1]

    def wait_tasks_done(self, client: ty.Any, image_id: str) -> None:
        """Wait until every task of an image (imports, locations) ended and
        released the image's import lock: Glance refuses another import
        while the lock (``os_glance_import_task``) is held, a moment after
        the task's status says it ended."""

        def done() -> bool:
            tasks = client.images.get_associated_image_tasks(image_id)["tasks"]
            ended = all(t["status"] in ("success", "failure") for t in tasks)
            return ended and "os_glance_import_task" not in client.images.get(image_id)

        self.cluster.wait_for(done, message="tasks of %s still running" % image_id)

    def sdk(self, node: ty.Any = None, role: str = "admin") -> ty.Any:
        """The SDK client aimed at ``node`` (default: the first) as ``role``."""
        url = (node or self.cluster.nodes[0]).url
        return glanceclient.Client(
            "2", endpoint=url, token=self.cluster.token(role), cacert=self.cluster.cacert
        )

    def glance(
        self, *argv: str, node: ty.Any = None, role: str = "admin", stdin: ty.Any = None
    ) -> Result:
        env = self.cluster.os_environ(role, node)
        if stdin is None:
            return run_command(["glance", *argv], env)
        return run_command(["glance", *argv], env, stdin=stdin)

    def openstack(self, *argv: str, node: ty.Any = None, role: str = "admin") -> Result:
        """``openstack`` aimed at ``node`` with the role's token, no catalog
        (and the cluster's CA, over HTTPS)."""
        env = {
            "OS_AUTH_TYPE": "admin_token",
            "OS_ENDPOINT": (node or self.cluster.nodes[0]).url,
            "OS_TOKEN": self.cluster.token(role),
        }
        if self.cluster.cacert:
            env["OS_CACERT"] = self.cluster.cacert
        return run_command(["openstack", *argv], env)

    def assert_fails_with(self, result: Result, prefix: str, message: str) -> None:
        """A failed command: status 1, nothing on stdout, one stderr line."""
        self.assertEqual(1, result.status, result)
        self.assertEqual("", result.out)
        lines = result.err.splitlines()
        self.assertEqual(1, len(lines), result.err)
        self.assertTrue(lines[0].startswith(prefix), lines[0])
        self.assertIn(message, lines[0])
        self.assertNotIn("Traceback", result.err)


def json_column(output: str, column: str) -> list[str]:
    return [row[column] for row in json.loads(output)]


def random_id() -> str:
    return str(uuid.uuid4())


CPU = "OS::Compute::CPUPinning"
LIBVIRT = "OS::Compute::Libvirt"
DBMS = "OS::Software::DBMS"


class MetadefsTest(FunctionalTest):
    """A test on a one-node cluster holding Glance's standard metadata
    definitions, with ``glance`` run in this process or another."""

    cluster_shape: ty.ClassVar[dict[str, ty.Any]] = {
        "nodes": 1,
        "sqlite_node": False,
        "nocache_node": False,
        "metadefs": True,
    }

    def new_name(self, prefix: str = "fn") -> str:
        return "%s-%s" % (prefix, uuid.uuid4().hex[:8])

    def new_namespace(self, **fields: ty.Any) -> str:
        """A namespace of this test's, deleted at its end."""
        name = self.new_name()
        self.sdk().metadefs_namespace.create(namespace=name, **fields)
        self.addCleanup(self.forget, name)
        return name

    def forget(self, name: str) -> None:
        try:
            self.sdk().metadefs_namespace.delete(name)
        except exc.HTTPNotFound:
            pass

    def server_namespaces(self, query: str = "") -> list[str]:
        """Every namespace the server lists, read without the client."""
        body = self.cluster.request("GET", "/v2/metadefs/namespaces?limit=1000" + query).json()
        return [n["namespace"] for n in body["namespaces"]]

    def glance_reading(self, text: str, *argv: str) -> Result:
        """``glance`` with ``text`` on its standard input."""
        import tempfile

        with tempfile.TemporaryFile("w+") as stdin:
            stdin.write(text)
            stdin.seek(0)
            return self.glance(*argv, stdin=stdin)

    def run_here(self, *argv: str) -> Result:
        """The real ``glance`` main() in this process, against the cluster.

        Most commands run so: an interpreter start per command would
        make this module several times slower. The console script itself
        runs in the namespace and import tests (``ok(..., process=True)``).
        """
        out, err = io.StringIO(), io.StringIO()
        cache = self.useFixture(fixtures.TempDir()).path
        self.useFixture(fixtures.EnvironmentVariable("XDG_CACHE_HOME", cache))
        self.useFixture(fixtures.MonkeyPatch("sys.stdout", out))
        self.useFixture(fixtures.MonkeyPatch("sys.stderr", err))
        try:
            status = shell.main(
                ["--os-image-url", self.cluster.url, "--os-auth-token", self.cluster.admin_token]
                + list(argv)
            )
        except SystemExit as e:  # argparse's own exits
            status = e.code if isinstance(e.code, int) else 1
        return Result(status, out.getvalue(), err.getvalue())

    def ok(self, *argv: str, stdin: str | None = None, process: bool = False) -> str:
        if stdin is not None:
            result = self.glance_reading(stdin, *argv)
        elif process:
            result = self.glance(*argv)
        else:
            result = self.run_here(*argv)
        self.assertEqual(0, result.status, str(result))
        self.assertEqual("", result.err)
        return result.out
