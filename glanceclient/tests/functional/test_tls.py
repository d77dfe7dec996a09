"""Glance behind HTTPS: the SDK, ``glance`` and ``openstack cache ...``
verify the nodes with the cluster's CA (option, variable, clouds.yaml),
present a client certificate to the node that requires one, and say each
TLS failure in one line; the fleet's probes and fan-out, and downloads from
a node's cache, reach every node with the same settings. One HTTPS cluster
for the module: node1, node2, mtls (client certificate required), expired
and wronghost."""

from __future__ import annotations

import json
import os
import typing as ty
import warnings

import fixtures
from keystoneauth1 import session as ksa_session
from keystoneauth1 import token_endpoint

import glanceclient
from glanceclient import exc
from glanceclient.common import tls
from glanceclient.tests import tables
from glanceclient.tests.functional import base
from glanceclient.tests.functional import certs

UNTRUSTED = "the server's certificate is not signed by a CA"
EXPIRED = "the server's certificate has expired"
MISMATCH = "the server's certificate is not valid for the host name 127.0.0.1"
CERT_REQUIRED = "the server requires a client certificate; give one with --os-cert and --os-key."


class TLSTest(base.FunctionalTest):
    cluster_shape: ty.ClassVar[dict[str, ty.Any]] = {
        "tls": True,
        "mtls_node": True,
        "expired_node": True,
        "wronghost_node": True,
        "sqlite_node": False,
        "nocache_node": False,
    }

    def setUp(self) -> None:
        super().setUp()
        self.image_id = self.new_image(b"over https\n")
        self.node1 = self.cluster.node("node1")
        self.mtls = self.cluster.node("mtls")
        self.cacert = self.cluster.cacert
        client = self.cluster.client_cert
        self.client_args = ["--os-cert", str(client.cert), "--os-key", str(client.key)]
        self.tmp = self.useFixture(fixtures.TempDir()).path

    def first_url(self, node: ty.Any) -> str:
        """The URL of the first request of ``cache-nodes-list``."""
        return node.url + "/v2/cache/nodes/" + self.image_id

    def other_ca(self) -> str:
        """A CA that signed none of the nodes' certificates."""
        return str(certs.Authority(self.tmp, "other").cert)

    def clouds_yaml(self, node: ty.Any) -> str:
        """A clouds.yaml with cloud ``tls``: the node, a token, ``cacert``."""
        path = os.path.join(self.tmp, "clouds.yaml")
        document = {
            "clouds": {
                "tls": {
                    "auth_type": "admin_token",
                    "auth": {"endpoint": node.url, "token": self.cluster.token()},
                    "image_endpoint_override": node.url,
                    "cacert": self.cacert,
                }
            }
        }
        with open(path, "w") as f:
            json.dump(document, f)  # JSON is YAML
        return path

    # -- the SDK ----------------------------------------------------------

    def sdk_client(self, node: ty.Any, **kwargs: ty.Any) -> ty.Any:
        return glanceclient.Client("2", endpoint=node.url, token=self.cluster.token(), **kwargs)

    def test_sdk_verifies_with_the_ca(self) -> None:
        self.assertEqual(
            [], self.sdk_client(self.node1, cacert=self.cacert).cache.list_nodes(self.image_id)
        )
        auth = token_endpoint.Token(self.node1.url, self.cluster.token())
        session = ksa_session.Session(auth=auth, verify=self.cacert)
        client = glanceclient.Client("2", endpoint=self.node1.url, session=session)
        self.assertEqual([], client.cache.list_nodes(self.image_id))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # urllib3's, for an SDK user to decide
            insecure = self.sdk_client(self.node1, insecure=True)
            self.assertEqual([], insecure.cache.list_nodes(self.image_id))

    def test_sdk_with_cacert_in_clouds_yaml(self) -> None:
        from openstack import config as os_config

        config = os_config.OpenStackConfig(config_files=[self.clouds_yaml(self.node1)])
        cloud = config.get_one(cloud="tls")
        client = glanceclient.Client("2", endpoint=self.node1.url, session=cloud.get_session())
        self.assertEqual([], client.cache.list_nodes(self.image_id))

    def test_sdk_failures(self) -> None:
        for client, cls, reason, node in (
            (
                self.sdk_client(self.node1),
                exc.SSLCertificateError,
                tls.REASON_UNTRUSTED,
                self.node1,
            ),
            (
                self.sdk_client(self.node1, cacert=self.other_ca()),
                exc.SSLCertificateError,
                tls.REASON_UNTRUSTED,
                self.node1,
            ),
            (
                self.sdk_client(self.cluster.node("expired"), cacert=self.cacert),
                exc.SSLCertificateError,
                tls.REASON_EXPIRED,
                self.cluster.node("expired"),
            ),
            (
                self.sdk_client(self.cluster.node("wronghost"), cacert=self.cacert),
                exc.SSLCertificateError,
                tls.REASON_NAME_MISMATCH,
                self.cluster.node("wronghost"),
            ),
            (
                self.sdk_client(self.mtls, cacert=self.cacert),
                exc.SSLError,
                tls.REASON_CLIENT_CERT_REQUIRED,
                self.mtls,
            ),
        ):
            e = self.assertRaises(cls, client.cache.list_nodes, self.image_id)
            self.assertEqual(reason, e.reason, str(e))
            self.assertEqual(self.first_url(node), e.url)
            self.assertTrue(str(e).startswith("TLS failure with %s: " % e.url), str(e))

    def test_sdk_client_certificate(self) -> None:
        pair = self.cluster.client_cert
        client = self.sdk_client(
            self.mtls, cacert=self.cacert, cert=str(pair.cert), key=str(pair.key)
        )
        self.assertEqual([], client.cache.list_nodes(self.image_id))

    # -- glance -----------------------------------------------------------

    def run_glance(self, *argv: str, node: ty.Any = None, **env: str) -> base.Result:
        """``glance cache-nodes-list`` on ``node`` with ``env``: no CA unless given."""
        variables = {
            "OS_IMAGE_URL": (node or self.node1).url,
            "OS_AUTH_TOKEN": self.cluster.token(),
            **env,
        }
        return base.run_command(["glance", *argv, "cache-nodes-list", self.image_id], variables)

    def assert_table(self, result: base.Result) -> None:
        self.assertEqual(0, result.status, result)
        self.assertEqual("", result.err)
        self.assertEqual([], tables.column(result.out))

    def test_glance_verifies_with_the_ca(self) -> None:
        self.assert_table(self.run_glance("--os-cacert", self.cacert))
        self.assert_table(self.run_glance(OS_CACERT=self.cacert))
        clouds = self.clouds_yaml(self.node1)
        self.assert_table(
            base.run_command(
                ["glance", "--os-cloud", "tls", "cache-nodes-list", self.image_id],
                {"OS_CLIENT_CONFIG_FILE": clouds},
            )
        )

    def test_glance_insecure_is_quiet(self) -> None:
        self.assert_table(self.run_glance("--insecure"))

    def test_glance_client_certificate(self) -> None:
        self.assert_table(
            self.run_glance("--os-cacert", self.cacert, *self.client_args, node=self.mtls)
        )
        self.assert_fails_with(
            self.run_glance("--os-cacert", self.cacert, node=self.mtls),
            "glance: error: TLS failure with %s: " % self.first_url(self.mtls),
            CERT_REQUIRED,
        )

    def test_glance_failures(self) -> None:
        url = self.first_url(self.node1)
        prefix = "glance: error: TLS failure with %s: " % url
        refused = self.run_glance()
        self.assert_fails_with(refused, prefix, UNTRUSTED + " this system trusts; ")
        self.assertIn("--os-cacert", refused.err)
        other = self.other_ca()
        self.assert_fails_with(
            self.run_glance("--os-cacert", other), prefix, UNTRUSTED + " in %s; " % other
        )
        for name, cause in (("expired", EXPIRED), ("wronghost", MISMATCH)):
            node = self.cluster.node(name)
            self.assert_fails_with(
                self.run_glance("--os-cacert", self.cacert, node=node),
                "glance: error: TLS failure with %s: " % self.first_url(node),
                cause,
            )
        missing = os.path.join(self.tmp, "missing.pem")
        self.assert_fails_with(
            self.run_glance("--os-cacert", missing),
            prefix,
            "the CA file %s does not exist; check --os-cacert" % missing,
        )
        not_a_cert = os.path.join(self.tmp, "notes.txt")
        with open(not_a_cert, "w") as f:
            f.write("not a certificate\n")
        self.assert_fails_with(
            self.run_glance("--os-cacert", self.cacert, "--os-cert", not_a_cert, node=self.mtls),
            "glance: error: TLS failure with %s: " % self.first_url(self.mtls),
            "%s is not a PEM certificate; check --os-cert." % not_a_cert,
        )

    def test_glance_debug_shows_the_chain(self) -> None:
        result = self.run_glance("--debug")
        self.assertEqual(1, result.status)
        self.assertIn("Traceback", result.err)
        self.assertIn("CERTIFICATE_VERIFY_FAILED", result.err)
        self.assertTrue(result.err.rstrip().endswith("--insecure."), result.err[-300:])

    # -- openstack --------------------------------------------------------

    def run_openstack(
        self, *argv: str, node: ty.Any = None, check: bool = False, **env: str
    ) -> base.Result:
        """``openstack cache nodes list [--check]`` on ``node``: no CA unless given."""
        variables = {
            "OS_AUTH_TYPE": "admin_token",
            "OS_ENDPOINT": (node or self.node1).url,
            "OS_TOKEN": self.cluster.token(),
            **env,
        }
        return base.run_command(
            ["openstack", *argv, "cache", "nodes", "list", *(["--check"] if check else [])]
            + [self.image_id, "-f", "json"],
            variables,
        )

    def assert_listed(self, result: base.Result) -> None:
        self.assertEqual(0, result.status, result)
        self.assertEqual("", result.err)
        self.assertEqual([], json.loads(result.out))

    def test_openstack_verifies_with_the_ca(self) -> None:
        self.assert_listed(self.run_openstack("--os-cacert", self.cacert))
        self.assert_listed(self.run_openstack(OS_CACERT=self.cacert))
        clouds = self.clouds_yaml(self.node1)
        self.assert_listed(
            base.run_command(
                ["openstack", "cache", "nodes", "list", self.image_id, "-f", "json"],
                {"OS_CLIENT_CONFIG_FILE": clouds, "OS_CLOUD": "tls"},
            )
        )

    def test_openstack_refused_then_insecure(self) -> None:
        self.assert_fails_with(
            self.run_openstack(),
            "TLS failure with %s: " % self.first_url(self.node1),
            UNTRUSTED + " this system trusts; give the CA that signed it with --os-cacert",
        )
        self.assert_listed(self.run_openstack("--insecure"))

    def test_openstack_client_certificate(self) -> None:
        self.assert_listed(
            self.run_openstack("--os-cacert", self.cacert, *self.client_args, node=self.mtls)
        )
        self.assert_fails_with(
            self.run_openstack("--os-cacert", self.cacert, node=self.mtls),
            "TLS failure with %s: " % self.first_url(self.mtls),
            CERT_REQUIRED,
        )

    def test_openstack_expired(self) -> None:
        node = self.cluster.node("expired")
        self.assert_fails_with(
            self.run_openstack("--os-cacert", self.cacert, node=node),
            "TLS failure with %s: " % self.first_url(node),
            EXPIRED,
        )

    # -- the fleet: every node reached with the same TLS settings ---------

    def test_fleet_over_https(self) -> None:
        node2 = self.cluster.node("node2")
        for node in (self.node1, node2, self.mtls):
            self.cluster.download_image(self.image_id, node, wait_cached=True)
        ca = ("--os-cacert", self.cacert)

        def glance(*argv: str) -> base.Result:
            variables = {"OS_IMAGE_URL": self.node1.url, "OS_AUTH_TOKEN": self.cluster.token()}
            return base.run_command(["glance", *ca, *argv], variables)

        # --check probes every listed node with the CA (and the client
        # certificate, which only the mtls node asks for).
        checked = glance(*self.client_args, "cache-nodes-list", "--check", self.image_id)
        self.assertEqual((0, ""), (checked.status, checked.err), checked)
        states = {row[0]: row[1] for row in tables.rows(checked.out)}
        self.assertEqual({self.node1.url: "ok", node2.url: "ok", self.mtls.url: "ok"}, states)
        checked = glance("cache-nodes-list", "--check", self.image_id)
        states = {row[0]: row[1] for row in tables.rows(checked.out)}
        self.assertEqual("error", states[self.mtls.url])  # no client certificate
        self.assertEqual("ok", states[node2.url])

        # --node fans out with the same settings; a node whose certificate
        # fails gets its own one-line TLS error in its row.
        listing = glance("cache-list", "--node", self.node1.url, "--node", node2.url)
        self.assertEqual((0, ""), (listing.status, listing.err), listing)
        mine = [row[0] for row in tables.rows(listing.out) if row[1] == self.image_id]
        self.assertEqual([self.node1.url, node2.url], mine)
        expired = self.cluster.node("expired")
        cleaned = glance("cache-clean", "--node", node2.url, "--node", expired.url)
        self.assertEqual((1, ""), (cleaned.status, cleaned.err), cleaned)
        results = {row[0]: row[1] for row in tables.rows(cleaned.out)}
        self.assertEqual("ok", results[node2.url])
        self.assertEqual("TLS failure: expired", results[expired.url])  # short (#22)

        osc = self.run_openstack(*ca, check=True)
        self.assertEqual(0, osc.status, osc.err)
        self.assertEqual(
            {self.node1.url: "ok", node2.url: "ok", self.mtls.url: "error"},
            {r["Node Reference URL"]: r["Status"] for r in json.loads(osc.out)},
        )
        sdk = self.sdk_client(self.node1, cacert=self.cacert)
        self.assertEqual(
            {self.node1.url: "ok", node2.url: "ok", self.mtls.url: "error"},
            {s.url: s.status for s in sdk.fleet.check(self.image_id)},
        )

    def test_download_from_the_caching_node_over_https(self) -> None:
        data = b"cached on node2 only\n" * 2048
        image_id = self.new_image(data)
        node2 = self.cluster.node("node2")
        self.cluster.download_image(image_id, node2, wait_cached=True)
        self.assertEqual([node2.url], self.cluster.cached_nodes(image_id))
        target = os.path.join(self.tmp, "image")
        result = base.run_command(
            ["glance", "--os-cacert", self.cacert, "image-download", "--from-cache"]
            + ["--file", target, image_id],
            {"OS_IMAGE_URL": self.node1.url, "OS_AUTH_TOKEN": self.cluster.token()},
        )
        self.assertEqual(0, result.status, result)
        self.assertEqual(
            "glance: Image data came from the cache of node %s.\n" % node2.url, result.err
        )
        with open(target, "rb") as f:
            self.assertEqual(data, f.read())
        body = self.sdk_client(self.node1, cacert=self.cacert).images.data(
            image_id, from_cache=True
        )
        self.assertEqual(data, b"".join(body))
        self.assertEqual(node2.url, body.served_by)
