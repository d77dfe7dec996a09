"""TLS failures: what keystoneauth1 and requests raise becomes one line naming
the URL and the cause, and a fix code the front ends word with the option
that fixes it (the real Session under requests-mock, raising the exceptions
urllib3 and requests raise)."""

from __future__ import annotations

import os
import warnings

import fixtures
from keystoneauth1 import fixture as ksa_fixture
from keystoneauth1 import session as ksa_session
from keystoneauth1.identity import v3
from openstack import warnings as os_warnings
import requests
import requests_mock
from urllib3 import exceptions as urllib3_exc

import glanceclient
from glanceclient import exc
from glanceclient import vocabulary
from glanceclient.cli import errors
from glanceclient.common import tls
from glanceclient.tests import utils as test_utils
from glanceclient.tests.unit import base

HTTPS = "https://glance.example.test:9292"
NODES = HTTPS + "/v2/cache/nodes/" + base.IMAGE_ID
#: The first (and only) request of list_nodes.
FIRST = NODES
KEYSTONE = "https://keystone.example.test:5000/v3"


def shown(error: BaseException) -> str:
    """The error as glance and openstack show it (with the fix's option)."""
    return errors.one_line(error)


class TLSErrorTest(base.TestCase):
    def fail_with(self, error: Exception, cls: type[Exception] = exc.SSLError, **kwargs):
        """Make every GET raise ``error``; return what list_nodes raises."""
        self.requests.get(requests_mock.ANY, exc=error)
        client = self.make_client(endpoint=HTTPS, **kwargs)
        raised = self.assertRaises(cls, client.cache.list_nodes, base.IMAGE_ID)
        self.assertIs(error, raised.__cause__.__context__ or raised.__cause__)
        self.assertNotIn("\n", str(raised))
        self.assertNotIn("HTTPSConnectionPool", str(raised))
        return raised

    def pem_files(self, **contents: str) -> dict[str, str]:
        folder = self.useFixture(fixtures.TempDir()).path
        paths = {}
        for name, text in contents.items():
            paths[name] = os.path.join(folder, name + ".pem")
            with open(paths[name], "w") as f:
                f.write(text)
        return paths

    def test_untrusted_issuer_system_store(self):
        e = self.fail_with(
            base.ssl_failure("unable to get local issuer certificate"), exc.SSLCertificateError
        )
        self.assertEqual(
            "TLS failure with %s: the server's certificate is not signed by a CA this "
            "system trusts; give the CA that signed it with --os-cacert (OS_CACERT, or "
            "cacert in clouds.yaml), or skip verification with --insecure." % FIRST,
            shown(e),
        )
        self.assertEqual(FIRST, e.url)
        self.assertEqual(tls.REASON_UNTRUSTED, e.reason)

    def test_untrusted_issuer_names_the_ca_file(self):
        e = self.fail_with(
            base.ssl_failure("unable to get local issuer certificate"),
            exc.SSLCertificateError,
            cacert="/etc/other-ca.pem",
        )
        self.assertIn("not signed by a CA in /etc/other-ca.pem; give the CA", shown(e))

    def test_self_signed(self):
        e = self.fail_with(base.ssl_failure("self-signed certificate"), exc.SSLCertificateError)
        self.assertIn(": the server's certificate is self-signed, and not trusted; ", shown(e))
        self.assertIn("--os-cacert", shown(e))

    def test_expired(self):
        e = self.fail_with(base.ssl_failure("certificate has expired"), exc.SSLCertificateError)
        self.assertEqual(
            "TLS failure with %s: the server's certificate has expired; the server needs "
            "a renewed certificate (--insecure skips verification)." % FIRST,
            shown(e),
        )
        self.assertEqual(tls.REASON_EXPIRED, e.reason)

    def test_not_yet_valid(self):
        e = self.fail_with(
            base.ssl_failure("certificate is not yet valid"), exc.SSLCertificateError
        )
        self.assertIn("is not valid yet; check this machine's clock", shown(e))
        self.assertEqual(tls.REASON_EXPIRED, e.reason)

    def test_name_mismatch(self):
        e = self.fail_with(
            base.ssl_failure(
                "Hostname mismatch, certificate is not valid for 'glance.example.test'."
            ),
            exc.SSLCertificateError,
        )
        self.assertEqual(
            "TLS failure with %s: the server's certificate is not valid for the host "
            "name glance.example.test; use a URL with a host name the certificate "
            "names, or skip verification with --insecure." % FIRST,
            shown(e),
        )
        self.assertEqual(tls.REASON_NAME_MISMATCH, e.reason)

    def test_client_certificate_required(self):
        for alert in (
            "[SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert certificate required",
            # TLS 1.2 servers say it with another alert.
            "[SSL: SSLV3_ALERT_BAD_CERTIFICATE] sslv3 alert bad certificate",
        ):
            e = self.fail_with(base.ssl_failure(alert, verify_error=False))
            self.assertEqual(
                "TLS failure with %s: the server requires a client certificate; give "
                "one with --os-cert and --os-key." % FIRST,
                shown(e),
            )
            self.assertEqual(tls.REASON_CLIENT_CERT_REQUIRED, e.reason)
            self.assertNotIsInstance(e, exc.SSLCertificateError)

    def test_client_certificate_rejected(self):
        e = self.fail_with(
            base.ssl_failure("[SSL: TLSV1_ALERT_UNKNOWN_CA] tlsv1 alert unknown ca", False),
            cert="/etc/me.pem",
            key="/etc/me.key",
        )
        self.assertIn(
            ": the server refused the client certificate /etc/me.pem (unknown ca); give "
            "one it accepts with --os-cert and --os-key.",
            shown(e),
        )
        self.assertEqual(tls.REASON_CLIENT_CERT_REJECTED, e.reason)

    def test_ca_file_without_certificate(self):
        e = self.fail_with(
            base.ssl_failure(
                "[X509: NO_CERTIFICATE_OR_CRL_FOUND] no certificate or crl found", False
            ),
            exc.SSLConfigurationError,
            cacert="/etc/hostname",
        )
        self.assertIn(
            ": the CA file /etc/hostname holds no PEM certificate; check --os-cacert",
            shown(e),
        )
        self.assertEqual(tls.REASON_BAD_FILE, e.reason)

    def test_client_files_that_are_not_pem(self):
        paths = self.pem_files(
            cert="-----BEGIN CERTIFICATE-----\nMII...\n-----END CERTIFICATE-----\n",
            junk="hello\n",
        )
        pem_lib = base.ssl_failure("[SSL] PEM lib", False)
        e = self.fail_with(
            pem_lib, exc.SSLConfigurationError, cert=paths["junk"], key=paths["cert"]
        )
        self.assertIn(": %s is not a PEM certificate; check --os-cert." % paths["junk"], shown(e))
        e = self.fail_with(
            pem_lib, exc.SSLConfigurationError, cert=paths["cert"], key=paths["junk"]
        )
        self.assertIn(": %s is not a PEM private key; check --os-key." % paths["junk"], shown(e))
        e = self.fail_with(pem_lib, exc.SSLConfigurationError, cert=paths["cert"])
        self.assertIn(
            ": the client certificate %s holds no private key; give its key with --os-key."
            % paths["cert"],
            shown(e),
        )
        e = self.fail_with(
            base.ssl_failure("[X509: KEY_VALUES_MISMATCH] key values mismatch", False),
            exc.SSLConfigurationError,
            cert=paths["cert"],
            key="/etc/other.key",
        )
        self.assertIn(
            ": the key /etc/other.key does not belong to the certificate %s; check "
            "--os-cert and --os-key." % paths["cert"],
            shown(e),
        )

    def test_missing_files(self):
        for text, expected in (
            (
                "Could not find a suitable TLS CA certificate bundle, invalid path: /no/ca.pem",
                "the CA file /no/ca.pem does not exist; check --os-cacert (OS_CACERT, "
                "or cacert in clouds.yaml).",
            ),
            (
                "Could not find the TLS certificate file, invalid path: /no/c.pem",
                "the client certificate file /no/c.pem does not exist; check --os-cert.",
            ),
            (
                "Could not find the TLS key file, invalid path: /no/k.pem",
                "the client key file /no/k.pem does not exist; check --os-key.",
            ),
        ):
            # requests raises these itself, before connecting, as OSError.
            e = self.fail_with(OSError(text), exc.SSLConfigurationError)
            self.assertEqual("TLS failure with %s: %s" % (FIRST, expected), shown(e))
            self.assertEqual(tls.REASON_BAD_FILE, e.reason)

    def test_other_os_errors_pass_through(self):
        error = OSError("No space left on device")
        self.requests.get(requests_mock.ANY, exc=error)
        client = self.make_client(endpoint=HTTPS)
        raised = self.assertRaises(OSError, client.cache.list_nodes, base.IMAGE_ID)
        self.assertIs(error, raised)

    def test_plain_http_server(self):
        e = self.fail_with(
            base.ssl_failure("[SSL: WRONG_VERSION_NUMBER] wrong version number", False)
        )
        self.assertIn(": the server does not speak TLS there; use an http:// URL", shown(e))
        self.assertEqual(tls.REASON_NOT_TLS, e.reason)

    def test_anything_else_keeps_openssl_words(self):
        e = self.fail_with(
            base.ssl_failure(
                "[SSL: TLSV1_ALERT_PROTOCOL_VERSION] tlsv1 alert protocol version", False
            )
        )
        self.assertEqual(
            "TLS failure with %s: tlsv1 alert protocol version; --debug shows the details." % FIRST,
            shown(e),
        )
        e = self.fail_with(requests.exceptions.SSLError("something odd"))
        self.assertEqual(
            "TLS failure with %s: something odd; --debug shows the details." % FIRST,
            shown(e),
        )
        self.assertEqual(tls.REASON_OTHER, e.reason)

    def test_failure_while_authenticating_names_keystone(self):
        tokens = KEYSTONE + "/auth/tokens"
        self.requests.post(tokens, exc=base.ssl_failure("certificate has expired"))
        auth = v3.Password(
            auth_url=KEYSTONE,
            username="u",
            password="p",
            project_name="p",
            user_domain_name="Default",
            project_domain_name="Default",
        )
        client = glanceclient.Client("2", session=ksa_session.Session(auth=auth))
        e = self.assertRaises(exc.SSLCertificateError, client.cache.list_nodes, base.IMAGE_ID)
        self.assertTrue(
            shown(e).startswith(
                "TLS failure with %s: the server's certificate has expired" % tokens
            ),
            shown(e),
        )
        self.assertEqual(tokens, e.url)

    def test_missing_file_while_authenticating(self):
        # keystoneauth1 names no URL when requests refuses a file.
        self.requests.post(
            KEYSTONE + "/auth/tokens",
            exc=OSError("Could not find a suitable TLS CA certificate bundle, invalid path: /no"),
        )
        auth = v3.Password(auth_url=KEYSTONE, username="u", password="p", project_name="p")
        client = glanceclient.Client("2", session=ksa_session.Session(auth=auth, verify="/no"))
        e = self.assertRaises(exc.SSLConfigurationError, client.cache.list_nodes, base.IMAGE_ID)
        self.assertEqual(
            "TLS failure: the CA file /no does not exist; check --os-cacert (OS_CACERT, or "
            "cacert in clouds.yaml).",
            shown(e),
        )
        self.assertIsNone(e.url)

    def test_the_sdk_says_what_failed_and_the_front_ends_the_option(self):
        e = self.fail_with(
            base.ssl_failure("unable to get local issuer certificate"), exc.SSLCertificateError
        )
        self.assertEqual(
            "TLS failure with %s: the server's certificate is not signed by a CA this "
            "system trusts." % FIRST,
            str(e),
        )
        self.assertEqual(vocabulary.TLS_FIX_CACERT, e.fix)
        self.assertNotIn("--", str(e))
        e = self.fail_with(OSError("Could not find the TLS key file, invalid path: /k"))
        self.assertEqual(
            "TLS failure with %s: the client key file /k does not exist." % FIRST, str(e)
        )
        self.assertEqual(vocabulary.TLS_FIX_KEY_FILE, e.fix)
        self.assertEqual(str(e).removesuffix(".") + "; check --os-key.", errors.one_line(e))

    def test_every_fix_is_worded(self):
        codes = {v for k, v in vars(vocabulary).items() if k.startswith("TLS_FIX_")}
        self.assertEqual(codes, set(errors.TLS_FIXES))

    def test_errors_are_communication_errors(self):
        # Callers that catch CommunicationError (or upstream's names) still do.
        e = self.fail_with(base.ssl_failure("certificate has expired"), exc.CommunicationError)
        self.assertIsInstance(e, exc.SSLError)


class ShellTLSTest(base.ShellTestCase):
    """``glance``: the same line, a traceback only with --debug, a quiet --insecure."""

    def https_args(self, *argv: str) -> list[str]:
        return ["--os-image-url", HTTPS, "--os-auth-token", base.TOKEN, *argv]

    def test_one_line_then_the_chain_with_debug(self):
        self.requests.get(requests_mock.ANY, exc=base.ssl_failure("certificate has expired"))
        argv = self.https_args("cache-nodes-list", base.IMAGE_ID)
        status, out, err = self.run_glance(*argv, token_args=False)
        self.assertEqual(1, status)
        self.assertEqual("", out)
        self.assert_one_error_line(
            err,
            "TLS failure with %s: the server's certificate has expired; the server "
            "needs a renewed certificate (--insecure skips verification)." % FIRST,
        )
        status, _, err = self.run_glance("--debug", *argv, token_args=False)
        self.assertEqual(1, status)
        self.assertIn("Traceback", err)
        self.assertIn("[SSL: CERTIFICATE_VERIFY_FAILED]", err)
        self.assertIn("HTTPSConnectionPool", err)
        self.assertTrue(
            err.rstrip().endswith("(--insecure skips verification)."), err.splitlines()[-1]
        )

    def test_insecure_prints_no_warning(self):
        # The warning shown every time, as if it were the first of the run.
        self.useFixture(
            fixtures.WarningsFilter(
                [{"action": "always", "category": urllib3_exc.InsecureRequestWarning}]
            )
        )

        def answer(request, context):
            # What urllib3 warns on each unverified HTTPS request.
            warnings.warn(
                "Unverified HTTPS request is being made to host 'glance.example.test'.",
                urllib3_exc.InsecureRequestWarning,
                stacklevel=1,
            )
            return []

        nodes = self.requests.get(NODES, json=answer)
        argv = self.https_args("cache-nodes-list", base.IMAGE_ID)
        status, _, err = self.run_glance(*argv, token_args=False)
        self.assertEqual(0, status, err)
        self.assertIn("InsecureRequestWarning", err)  # the warning this test hides
        self.assertTrue(nodes.last_request.verify)
        status, _, err = self.run_glance("--insecure", *argv, token_args=False)
        self.assertEqual(0, status, err)
        self.assertEqual("", err)
        self.assertFalse(nodes.last_request.verify)
        status, _, err = self.run_glance("--debug", "--insecure", *argv, token_args=False)
        self.assertEqual(0, status, err)
        self.assertIn("TLS certificate verification is off (--insecure).", err)
        self.assertNotIn("InsecureRequestWarning", err)

    def test_tls_options_and_variables_reach_the_requests(self):
        self.mock_versions(endpoint=HTTPS)
        route = self.requests.get(NODES, json=[])
        argv = ["--os-cert", "/etc/c.pem", "--os-key", "/etc/k.pem"]
        argv += ["cache-nodes-list", base.IMAGE_ID]
        status, _, err = self.run_glance(
            *self.https_args("--os-cacert", "/etc/ca.pem", *argv), token_args=False
        )
        self.assertEqual(0, status, err)
        self.assertEqual("/etc/ca.pem", route.last_request.verify)
        self.assertEqual(("/etc/c.pem", "/etc/k.pem"), route.last_request.cert)
        self.useFixture(fixtures.EnvironmentVariable("OS_CACERT", "/etc/env-ca.pem"))
        status, _, err = self.run_glance(*self.https_args(*argv), token_args=False)
        self.assertEqual(0, status, err)
        self.assertEqual("/etc/env-ca.pem", route.last_request.verify)

    def test_clouds_yaml_cacert_and_client_certificate(self):
        self.useFixture(fixtures.EnvironmentVariable("OS_CLIENT_CONFIG_FILE"))
        clouds = test_utils.CloudsYaml("edge", base.AUTH_URL, "admin", "s3cret-pass", "admin")
        clouds.document["clouds"]["edge"]["cacert"] = "/etc/cloud-ca.pem"
        self.useFixture(clouds)
        token = ksa_fixture.V3Token()
        token.add_service("image").add_endpoint("public", HTTPS, region="RegionOne")
        self.requests.get(base.AUTH_URL, json=ksa_fixture.V3Discovery(base.AUTH_URL))
        self.requests.post(
            base.AUTH_URL + "/auth/tokens", json=token, headers={"X-Subject-Token": "t"}
        )
        self.mock_versions(endpoint=HTTPS)
        route = self.requests.get(NODES, json=[])
        argv = ["--os-cloud", "edge", "--os-cert", "/etc/c.pem", "--os-key", "/etc/k.pem"]
        status, _, err = self.run_glance(*argv, "cache-nodes-list", base.IMAGE_ID, token_args=False)
        self.assertEqual(0, status, err)
        self.assertEqual("/etc/cloud-ca.pem", route.last_request.verify)
        self.assertEqual(("/etc/c.pem", "/etc/k.pem"), route.last_request.cert)
        # --insecure beats the cloud's cacert, and openstacksdk says nothing of it.
        self.useFixture(
            fixtures.WarningsFilter(
                [{"action": "always", "category": os_warnings.ConfigurationWarning}]
            )
        )
        status, _, err = self.run_glance(
            "--os-cloud", "edge", "--insecure", "cache-nodes-list", base.IMAGE_ID, token_args=False
        )
        self.assertEqual(0, status, err)
        self.assertEqual("", err)
        self.assertFalse(route.last_request.verify)
