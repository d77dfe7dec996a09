"""One version everywhere: the one setup.cfg names, above upstream's 4.x."""

from __future__ import annotations

import configparser
from importlib import metadata
import pathlib

import glanceclient
from glanceclient.tests.unit import base

SETUP_CFG = pathlib.Path(__file__).resolve().parents[3] / "setup.cfg"


def declared_version() -> str:
    """The ``version`` of setup.cfg's ``[metadata]``."""
    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read(SETUP_CFG)
    return cfg["metadata"]["version"]


class VersionTest(base.ShellTestCase):
    def setUp(self):
        super().setUp()
        self.expected = declared_version()

    def test_above_upstream_4x(self):
        # Services pin python-glanceclient>=4.7.0 (nova) or lower.
        parts = [int(p) for p in self.expected.split(".")]
        self.assertEqual(3, len(parts), self.expected)
        self.assertGreaterEqual(parts[0], 5)

    def test_installed_metadata(self):
        # What pip show reads.
        self.assertEqual(self.expected, metadata.version("python-glanceclient"))

    def test_package_attribute(self):
        self.assertEqual(self.expected, glanceclient.__version__)

    def test_glance_version(self):
        status, out, err = self.run_glance("--version", token_args=False)
        self.assertEqual(0, status, err)
        self.assertEqual(self.expected + "\n", out)

    def test_user_agent_on_the_wire(self):
        self.mock_versions()
        self.requests.get(base.NODES_URL, json=["http://node_a:60999"])
        status, _, err = self.run_glance("cache-nodes-list", base.IMAGE_ID)
        self.assertEqual(0, status, err)
        agents = {r.headers["User-Agent"] for r in self.requests.request_history}
        self.assertEqual(1, len(agents), agents)
        self.assertTrue(agents.pop().startswith("python-glanceclient/%s " % self.expected), agents)
