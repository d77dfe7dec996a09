"""Choosing the client by API version."""

from __future__ import annotations

import testtools

import glanceclient
from glanceclient import client
from glanceclient import exc
from glanceclient.v2 import client as v2_client


class ClientFactoryTest(testtools.TestCase):
    def test_version_two_spellings(self):
        for version in ("2", 2, "v2", "2.18", " V2 "):
            c = glanceclient.Client(version, endpoint="http://h:9292", token="t")
            self.assertIsInstance(c, v2_client.Client)

    def test_other_versions_rejected(self):
        for version in ("1", 3, "x", ""):
            self.assertRaises(
                exc.UnsupportedVersion, glanceclient.Client, version, endpoint="http://h"
            )

    def test_major_version(self):
        self.assertEqual(2, client.major_version("v2.18"))

    def test_package_version(self):
        self.assertIsInstance(glanceclient.__version__, str)
        self.assertRaises(AttributeError, getattr, glanceclient, "no_such_thing")
