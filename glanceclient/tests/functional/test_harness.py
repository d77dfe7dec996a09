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

"""Tests of the functional-test harness itself, against real servers."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import sys

import fixtures
import testtools

from glanceclient.tests.functional import cluster as cluster_mod
from glanceclient.tests.functional import fixture
from glanceclient.tests.functional import glance_nodes
from glanceclient.tests.functional import httputil
from glanceclient.tests.functional import ports
from glanceclient.tests.functional import procs
from glanceclient.tests.functional import servers_venv

ROUTE = "/v2/cache/nodes/%s"


def _versions(resp: cluster_mod.Response) -> dict[tuple[int, ...], str]:
    """{(2, 18): 'CURRENT', ...} from a /versions answer."""
    out = {}
    for v in resp.json()["versions"]:
        number = tuple(int(p) for p in v["id"].lstrip("v").split("."))
        out[number] = v["status"]
    return out


class TestTrustedCluster(testtools.TestCase):
    """The shared default cluster: node1, node2, sqlite, nocache."""

    def setUp(self) -> None:
        super().setUp()
        self.cluster = self.useFixture(fixture.ClusterFixture()).cluster

    def _image(self) -> str:
        image_id = self.cluster.create_image(b"harness test data\n" * 64)
        self.addCleanup(self.cluster.delete_image, image_id)
        return image_id

    def test_nodes_are_described(self) -> None:
        c = self.cluster
        self.assertEqual("trusted", c.auth)
        self.assertEqual(["node1", "node2", "sqlite", "nocache"], [n.name for n in c.nodes])
        self.assertEqual(
            ["centralized_db", "centralized_db", "sqlite", None], [n.cache_driver for n in c.nodes]
        )
        self.assertEqual(c.nodes[:2], c.cache_nodes)
        self.assertEqual(len(c.nodes), len(set(c.ports())))
        for node in c.nodes:
            self.assertEqual("http://127.0.0.1:%d" % node.port, node.url)
            self.assertTrue(node.log_path.exists())
            self.assertTrue(node.running())
        self.assertIsNone(c.keystone_url)
        self.assertEqual("admin", c.admin_token)
        self.assertEqual("member", c.member_token)
        self.assertEqual(
            {"OS_IMAGE_URL": c.nodes[0].url, "OS_AUTH_TOKEN": "admin", "OS_IMAGE_API_VERSION": "2"},
            c.os_environ(),
        )

    def test_versions_current_is_2_18(self) -> None:
        for node in self.cluster.nodes[:3]:
            resp = self.cluster.request("GET", "/versions", node, role=None)
            self.assertEqual(200, resp.status)
            versions = _versions(resp)
            self.assertEqual("CURRENT", versions[(2, 18)], node.name)
            self.assertEqual((2, 18), max(versions))

    def test_nocache_node_tops_out_at_2_17(self) -> None:
        node = self.cluster.nocache_node
        versions = _versions(self.cluster.request("GET", "/versions", node, role=None))
        self.assertEqual((2, 17), max(versions))
        self.assertEqual("CURRENT", versions[(2, 17)])
        self.assertNotIn((2, 14), versions)

    def test_nodes_route_follows_caching(self) -> None:
        c = self.cluster
        node1, node2 = c.cache_nodes
        image_id = self._image()

        resp = c.request("GET", ROUTE % image_id, node1)
        self.assertEqual(200, resp.status)
        self.assertEqual([], resp.json())  # a bare list, not an object

        data = c.download_image(image_id, node1, wait_cached=True)
        self.assertEqual(b"harness test data\n" * 64, data)
        self.assertEqual(
            [node1.url], c.wait_for(lambda: c.cached_nodes(image_id, node2) or None, timeout=10)
        )

        resp = c.request("PUT", "/v2/cache/%s" % image_id, node2)
        self.assertEqual(202, resp.status)
        both = sorted([node1.url, node2.url])
        c.wait_for(
            lambda: c.cached_nodes(image_id) == both,
            timeout=20,
            message="image not cached on both nodes",
        )
        self.assertEqual(both, c.cached_nodes(image_id, node2))
        self.assertIn(image_id, c.cached_image_ids(node2))

    def test_policy_on_nodes_route(self) -> None:
        c = self.cluster
        image_id = self._image()
        path = ROUTE % image_id
        self.assertEqual(200, c.request("GET", path).status)
        self.assertEqual(200, c.request("GET", path, token="someone:some-project:admin").status)
        resp = c.request("GET", path, role="member")
        self.assertEqual(403, resp.status)
        self.assertIn("list_cached_nodes", resp.json()["message"])
        self.assertEqual(403, c.request("GET", path, role="reader").status)
        self.assertEqual(401, c.request("GET", path, role=None).status)
        self.assertEqual(401, c.request("GET", path, token="not-a-token").status)
        # Identity headers from the client are not trusted.
        self.assertEqual(
            403,
            c.request(
                "GET",
                path,
                role="member",
                headers={"X-Roles": "admin", "X-Identity-Status": "Confirmed"},
            ).status,
        )

    def test_sqlite_node_answers_409(self) -> None:
        image_id = self._image()
        resp = self.cluster.request("GET", ROUTE % image_id, self.cluster.sqlite_node)
        self.assertEqual(409, resp.status)
        self.assertIn("Centralized caching is not enabled", resp.json()["message"])
        # Its own cache works (downloading through it caches there).
        self.cluster.download_image(image_id, self.cluster.sqlite_node, wait_cached=True)
        self.assertNotIn(self.cluster.sqlite_node.url, self.cluster.cached_nodes(image_id))

    def test_nocache_node_answers_404(self) -> None:
        image_id = self._image()
        resp = self.cluster.request("GET", ROUTE % image_id, self.cluster.nocache_node)
        self.assertEqual(404, resp.status)
        self.assertIn("Caching via API is not supported", resp.json()["message"])

    def test_shared_cluster_is_reused(self) -> None:
        self.assertIs(self.cluster, fixture.shared_cluster())


class TestPrivateCluster(testtools.TestCase):
    """Start and stop clusters of the test's own."""

    def test_stop_leaves_no_process_and_no_port(self) -> None:
        c = cluster_mod.Cluster(1, auth="keystone")
        self.addCleanup(c.stop)
        c.start()
        assert c.keystone is not None
        pids = c.pids()
        # a gunicorn master and its worker per server
        self.assertGreaterEqual(len(pids), 4)
        self.assertIn(c.keystone.pid, pids)
        used = c.ports()
        workdir = c.workdir
        assert workdir is not None
        for port in used:
            self.assertTrue(ports.port_is_open(port))
        c.stop()
        self.assertEqual([], [p for p in pids if procs.pid_alive(p)])
        self.assertEqual([], [p for p in used if ports.port_is_open(p)])
        self.assertEqual([], c.pids())
        self.assertFalse(workdir.exists())
        self.assertFalse(c.is_alive())
        c.stop()  # twice is fine

    def test_failed_start_shows_the_log(self) -> None:
        class BrokenNode(glance_nodes.GlanceNode):
            def config(self) -> str:
                return (
                    super()
                    .config()
                    .replace(
                        "enabled_backends = local:file", "enabled_backends = local:no-such-store"
                    )
                )

        workdir = pathlib.Path(self.useFixture(fixtures.TempDir()).path)
        shared = workdir / "shared"
        shared.mkdir()
        (shared / "glance-api-paste.ini").write_text(glance_nodes.PASTE_INI)
        node = BrokenNode(
            "broken", ports.free_ports(1)[0], workdir / "broken", shared, "centralized_db"
        )
        self.addCleanup(node.stop)
        node.start()
        e = self.assertRaises(procs.ServerStartError, node.wait_ready, 60)
        self.assertIn("glance-api broken exited", str(e))
        self.assertIn(str(node.log_path), str(e))
        self.assertIn("Store for identifier local not found", str(e))
        node.stop()
        self.assertEqual([], node.pids())


class TestPeopleCommand(testtools.TestCase):
    """python -m glanceclient.tests.functional.cluster"""

    def test_serves_until_sigterm(self) -> None:
        tmp = pathlib.Path(self.useFixture(fixtures.TempDir()).path)
        env_file = tmp / "env"
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "glanceclient.tests.functional.cluster",
                "--nodes",
                "1",
                "--env-file",
                str(env_file),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        self.addCleanup(_reap, proc)
        httputil.wait_for(
            lambda: env_file.exists() or proc.poll() is not None, timeout=90, message="no env file"
        )
        self.assertIsNone(proc.poll())
        exports = dict(
            line[len("export ") :].split("=", 1)
            for line in env_file.read_text().splitlines()
            if line.startswith("export ")
        )
        self.assertEqual("admin", exports["OS_AUTH_TOKEN"])
        self.assertEqual("2", exports["OS_IMAGE_API_VERSION"])
        url = exports["OS_IMAGE_URL"]
        resp = httputil.request("GET", url + "/v2/cache", token="admin")
        self.assertEqual(200, resp.status)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
        self.assertEqual(0, proc.returncode, out)
        self.assertIn("# node1    %s" % url, out)
        self.assertIn("# cluster stopped", out)
        port = int(url.rsplit(":", 1)[1])
        self.assertFalse(ports.port_is_open(port))

    def test_signals_mid_start_leave_nothing_behind(self) -> None:
        # The cluster command and the demo, stopped while Keystone or a
        # node starts: their directory (Keystone's keys in it) goes, and
        # the interruption is at most one line, never a traceback.
        demo = pathlib.Path(__file__).parents[3] / "tools" / "demo.py"
        commands = (
            [sys.executable, "-m", "glanceclient.tests.functional.cluster", "--nodes", "1"],
            [sys.executable, str(demo)],
        )
        for argv in commands:
            for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
                tmp = pathlib.Path(self.useFixture(fixtures.TempDir()).path)
                proc = subprocess.Popen(
                    argv,
                    env=dict(os.environ, TMPDIR=str(tmp)),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    stdin=subprocess.DEVNULL,
                    text=True,
                )
                self.addCleanup(_reap, proc)

                def started(tmp: pathlib.Path = tmp, proc: subprocess.Popen[str] = proc) -> bool:
                    dirs = list(tmp.glob("glanceclient-cluster-*"))
                    return proc.poll() is not None or any(any(d.iterdir()) for d in dirs)

                httputil.wait_for(started, timeout=90, message="no cluster directory")
                self.assertIsNone(proc.poll())
                proc.send_signal(sig)
                out, err = proc.communicate(timeout=60)
                what = "%s, %s" % (argv[-1], signal.Signals(sig).name)
                self.assertEqual([], list(tmp.glob("glanceclient-cluster-*")), what)
                self.assertNotIn("Traceback", err, what)
                self.assertLessEqual(len(err.splitlines()), 1, err)


class TestInterruptOnSignals(testtools.TestCase):
    """The commands' signal handler notes the signal and raises nothing."""

    def test_signal_is_noted_then_raised_at_a_wait(self) -> None:
        # An exception raised by the handler wherever the signal lands
        # can be swallowed (an at-fork hook, a __del__), leaving the
        # program running: the handler only notes it, a second signal is
        # ignored, and the next wait raises KeyboardInterrupt.
        code = (
            "import os, signal\n"
            "from glanceclient.tests.functional import procs\n"
            "procs.interrupt_on_signals()\n"
            "os.kill(os.getpid(), signal.SIGTERM)\n"
            'print("noted")\n'
            "os.kill(os.getpid(), signal.SIGINT)\n"
            "try:\n"
            "    procs.sleep(60)\n"
            "except KeyboardInterrupt:\n"
            '    print("interrupted")\n'
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=False
        )
        self.assertEqual(
            ("noted\ninterrupted\n", "", 0), (result.stdout, result.stderr, result.returncode)
        )


def _reap(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


class TestServersVenvStamp(testtools.TestCase):
    """Completeness of the servers venv is judged by its stamps."""

    def test_only_a_stamped_venv_is_complete(self) -> None:
        root = pathlib.Path(self.useFixture(fixtures.TempDir()).path) / "v"
        (root / "bin").mkdir(parents=True)
        for name in ("python", "gunicorn", "glance-manage", "keystone-manage"):
            (root / "bin" / name).touch()
        self.assertFalse(servers_venv.is_complete(root))
        (root / servers_venv.STAMP_NAME).write_text(json.dumps(servers_venv._stamp_content()))
        self.assertFalse(servers_venv.is_complete(root))  # no templates
        templates = root / servers_venv.TEMPLATES_DIR
        templates.mkdir()
        (templates / servers_venv.STAMP_NAME).write_text(
            json.dumps(servers_venv._templates_stamp_content())
        )
        self.assertTrue(servers_venv.is_complete(root))
        (root / servers_venv.STAMP_NAME).write_text('{"requirements": []}')
        self.assertFalse(servers_venv.is_complete(root))

    def test_location_follows_the_environment(self) -> None:
        self.useFixture(fixtures.EnvironmentVariable(servers_venv.ENV_VAR, "/somewhere/servers"))
        self.assertEqual(pathlib.Path("/somewhere/servers"), servers_venv.venv_dir())
        self.useFixture(fixtures.EnvironmentVariable(servers_venv.ENV_VAR))
        self.assertEqual(
            pathlib.Path.home() / ".cache/python-glanceclient/servers-venv", servers_venv.venv_dir()
        )


class TestKeystoneCluster(testtools.TestCase):
    """A shared cluster with real Keystone auth."""

    def setUp(self) -> None:
        super().setUp()
        self.cluster = self.useFixture(
            fixture.ClusterFixture(auth="keystone", sqlite_node=False, nocache_node=False)
        ).cluster

    def test_tokens_come_from_keystone(self) -> None:
        c = self.cluster
        self.assertEqual("keystone", c.auth)
        assert c.keystone_url is not None
        self.assertTrue(c.keystone_url.startswith("http://127.0.0.1:"))
        self.assertEqual(c.keystone_url + "/v3", c.auth_url)
        self.assertNotIn(c.admin_token, ("admin", "member"))
        self.assertGreater(len(c.admin_token), 100)
        self.assertNotEqual(c.admin_token, c.member_token)
        env = c.os_environ("member")
        self.assertEqual("member", env["OS_USERNAME"])
        self.assertEqual(c.auth_url, env["OS_AUTH_URL"])
        self.assertEqual("3", env["OS_IDENTITY_API_VERSION"])
        self.assertNotIn("OS_AUTH_TOKEN", env)

    def test_policy_with_keystone_tokens(self) -> None:
        c = self.cluster
        image_id = c.create_image(b"keystone\n")
        self.addCleanup(c.delete_image, image_id)
        path = ROUTE % image_id
        for node in c.nodes:
            resp = c.request("GET", path, node)
            self.assertEqual(200, resp.status, resp.text)
            self.assertEqual([], resp.json())
            self.assertEqual(403, c.request("GET", path, node, role="member").status)
            self.assertEqual(403, c.request("GET", path, node, role="reader").status)
            self.assertEqual(401, c.request("GET", path, node, token="bad-token").status)
            self.assertEqual(401, c.request("GET", path, node, role=None).status)

    def test_catalog_leads_keystoneauth_to_glance(self) -> None:
        from keystoneauth1 import session
        from keystoneauth1.identity import v3

        creds = self.cluster.credentials("member")
        assert creds is not None
        auth = v3.Password(
            auth_url=creds.auth_url,
            username=creds.username,
            password=creds.password,
            project_name=creds.project_name,
            user_domain_name=creds.user_domain_name,
            project_domain_name=creds.project_domain_name,
        )
        sess = session.Session(auth=auth)
        self.assertEqual(
            self.cluster.nodes[0].url, sess.get_endpoint(service_type="image", interface="public")
        )
        self.assertEqual(401, self.cluster.request("GET", "/v2/images", token="x" * 180).status)
        resp = self.cluster.request("GET", "/v2/images", token=sess.get_token())
        self.assertEqual(200, resp.status)
