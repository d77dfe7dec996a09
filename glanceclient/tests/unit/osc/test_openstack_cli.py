"""The real ``openstack`` command, run as a process against a tiny server."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import fixtures
import testtools

from glanceclient.tests.fakeglance import routes
from glanceclient.tests.unit import base

NODES = ["http://node_2:60999", "http://node_1:60999"]
FORBIDDEN_ID = "0d7e3f1c-8a8a-4f57-a7f1-94a1a4b1c2d3"
FORBIDDEN = "You are not authorized to complete list_cached_nodes action."
ADMIN_TOKEN = "tok-admin-91c7e2"
KEYSTONE_TOKEN = "tok-keystone-7b14"


def openstack_command() -> list[str]:
    """The ``openstack`` console script next to this Python, else the module."""
    script = os.path.join(os.path.dirname(sys.executable), "openstack")
    if os.access(script, os.X_OK):
        return [script]
    return [sys.executable, "-m", "openstackclient.shell"]


class TestOpenStackCommand(testtools.TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.routes: routes.Routes = {
            ("GET", "/"): (300, base.WITH_CACHE),
            ("GET", "/versions"): (200, base.WITH_CACHE),
            ("GET", "/v2/cache/nodes/" + base.IMAGE_ID): (200, NODES),
            ("GET", "/v2/cache/nodes/" + FORBIDDEN_ID): (
                403,
                json.loads(base.error_body("403 Forbidden", FORBIDDEN)),
            ),
            ("GET", "/v2/images"): (200, {"images": [{"id": base.IMAGE_ID}]}),
            ("GET", "/v2/cache"): (200, {"cached_images": [], "queued_images": []}),
            ("POST", "/v2/cache/prune"): (200, {"total_files_pruned": 2, "total_bytes_pruned": 9}),
        }
        self.server = self.useFixture(routes.FakeGlance(self.routes))
        self.config_home = self.useFixture(fixtures.TempDir()).path

    def openstack(self, *argv: str) -> subprocess.CompletedProcess[str]:
        """Run ``openstack`` without the developer's OS_* variables and
        clouds.yaml (the real HOME keeps stevedore's entry point cache warm:
        a cold one costs about a second a run)."""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", self.config_home),
            "XDG_CONFIG_HOME": self.config_home,
            "LANG": "C.UTF-8",
        }
        return subprocess.run(
            [*openstack_command(), *argv],
            env=env,
            cwd=self.config_home,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def paths(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.server.recorded]

    def test_nodes_list_json(self) -> None:
        result = self.openstack(
            "--os-auth-type", "none", "--os-endpoint", self.server.url,
            "cache", "nodes", "list", base.IMAGE_ID, "-f", "json",
        )  # fmt: skip

        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual("", result.stderr)
        self.assertEqual(
            [{"Node Reference URL": node} for node in sorted(NODES)], json.loads(result.stdout)
        )
        self.assertEqual([("GET", "/v2/cache/nodes/" + base.IMAGE_ID)], self.paths())
        self.assertIn("python-glanceclient/", self.server.recorded[-1].headers["user-agent"])

    def test_control_characters_are_escaped(self) -> None:
        self.routes[("GET", "/v2/cache/nodes/" + base.IMAGE_ID)] = (
            200,
            ["http://n1\n| forged |", "http://\x1b[2Jn2"],
        )
        argv = ["--os-auth-type", "none", "--os-endpoint", self.server.url]
        argv += ["cache", "nodes", "list", base.IMAGE_ID]
        table = self.openstack(*argv)
        self.assertEqual(0, table.returncode, table.stderr)
        self.assertEqual(6, len(table.stdout.splitlines()), table.stdout)
        self.assertIn("http://n1\\n| forged |", table.stdout)
        self.assertIn("http://\\x1b[2Jn2", table.stdout)
        self.assertNotIn("\x1b", table.stdout)
        data = json.loads(self.openstack(*argv, "-f", "json").stdout)
        self.assertEqual(  # JSON escapes by itself, and keeps the data
            ["http://\x1b[2Jn2", "http://n1\n| forged |"], [r["Node Reference URL"] for r in data]
        )

    def test_redirect_without_location_is_one_line(self) -> None:
        # keystoneauth1 used to add "Failed to redirect ..." as a warning.
        self.routes[("POST", "/v2/cache/clean")] = (302, None)
        result = self.openstack(
            "--os-auth-type", "none", "--os-endpoint", self.server.url, "cache", "clean"
        )
        self.assertEqual(1, result.returncode)
        self.assertEqual(1, len(result.stderr.splitlines()), result.stderr)
        self.assertIn("HTTP 302 Redirection: the server answered a redirection", result.stderr)

    def test_forbidden(self) -> None:
        result = self.openstack(
            "--os-auth-type", "admin_token", "--os-token", ADMIN_TOKEN,
            "--os-endpoint", self.server.url + "/v2",
            "cache", "nodes", "list", FORBIDDEN_ID,
        )  # fmt: skip

        self.assertEqual(1, result.returncode)
        self.assertEqual("", result.stdout)
        url = self.server.url + "/v2/cache/nodes/" + FORBIDDEN_ID
        request_id = "req-fake-%d" % len(self.server.recorded)
        self.assertEqual(
            "HTTP 403 Forbidden: %s (GET %s, request id %s)\n" % (FORBIDDEN, url, request_id),
            result.stderr,
        )
        self.assertNotIn("Traceback", result.stderr)
        self.assertNotIn(ADMIN_TOKEN, result.stdout + result.stderr)
        self.assertEqual(ADMIN_TOKEN, self.server.recorded[-1].headers["x-auth-token"])

    def test_password_catalog_name_and_prune(self) -> None:
        self.routes.update(
            routes.identity_routes(
                self.server.url + "/identity/v3", self.server.url + "/v2", KEYSTONE_TOKEN
            )
        )
        credentials = [
            "--os-auth-url", self.server.url + "/identity/v3",
            "--os-username", "admin", "--os-password", "secret-pw",
            "--os-project-name", "admin",
            "--os-user-domain-id", "default", "--os-project-domain-id", "default",
        ]  # fmt: skip

        nodes = self.openstack(*credentials, "cache", "nodes", "list", "cirros", "-f", "value")
        prune = self.openstack(*credentials, "cache", "prune", "-f", "json")

        self.assertEqual(0, nodes.returncode, nodes.stderr)
        self.assertEqual(sorted(NODES), nodes.stdout.splitlines())
        self.assertEqual(0, prune.returncode, prune.stderr)
        self.assertEqual(
            {"total_files_pruned": 2, "total_bytes_pruned": 9}, json.loads(prune.stdout)
        )
        lookups = [r.query.get("name") for r in self.server.recorded if r.path == "/v2/images"]
        self.assertEqual([["eq:cirros"]], lookups)
        # Beyond Keystone: the name lookup and the call, no version list.
        image_api = [p for p in self.paths() if not p[1].startswith("/identity")]
        self.assertEqual(
            [
                ("GET", "/v2/images"),
                ("GET", "/v2/cache/nodes/" + base.IMAGE_ID),
                ("POST", "/v2/cache/prune"),
            ],
            image_api,
        )
        output = nodes.stdout + nodes.stderr + prune.stdout + prune.stderr
        self.assertNotIn(KEYSTONE_TOKEN, output)
        self.assertNotIn("secret-pw", output)

    def test_cached_image_list_keeps_its_own_client(self) -> None:
        result = self.openstack(
            "--os-auth-type", "none", "--os-endpoint", self.server.url,
            "cached", "image", "list", "-f", "json",
        )  # fmt: skip

        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual([], json.loads(result.stdout))
        cache_requests = [r for r in self.server.recorded if r.path == "/v2/cache"]
        self.assertEqual(1, len(cache_requests))
        agent = cache_requests[0].headers["user-agent"]
        self.assertIn("openstacksdk/", agent)
        self.assertNotIn("python-glanceclient", agent)
