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

"""A throwaway certificate authority for HTTPS tests, made on the fly.

:class:`Authority` makes a CA (an EC P-256 key and a self-signed
certificate) in a directory, then issues server and client certificates
signed by it: valid ones, expired ones, ones for another host name. Every
file is PEM; keys are unencrypted. Nothing is ever trusted outside the test
that made it: clients are given the CA file explicitly (``--os-cacert``).

Uses the ``cryptography`` package (a test requirement).
"""

from __future__ import annotations

from collections.abc import Sequence
import datetime
import ipaddress
import pathlib
import ssl
import typing as ty

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID

#: The names a server certificate is valid for unless told otherwise: the
#: address the harness serves on.
LOOPBACK_HOSTS = ("127.0.0.1",)

_DAY = datetime.timedelta(days=1)


class KeyPair(ty.NamedTuple):
    """A certificate and its private key, as PEM files."""

    cert: pathlib.Path
    key: pathlib.Path


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "python-glanceclient tests"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _san(hosts: Sequence[str]) -> x509.SubjectAlternativeName:
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return x509.SubjectAlternativeName(names)


def _key_usage(ca: bool) -> x509.KeyUsage:
    """A CA signs certificates; a leaf signs handshakes."""
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _write_key(key: ec.EllipticCurvePrivateKey, path: pathlib.Path) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)


class Authority:
    """A CA in ``directory`` (made if missing): ``<name>.pem`` files.

    :param directory: where the CA's and the issued files go.
    :param name: the CA's common name, also the stem of its files.
    :ivar cert: the CA certificate (what ``--os-cacert`` is given).
    """

    def __init__(self, directory: pathlib.Path | str, name: str = "ca") -> None:
        self.directory = pathlib.Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.name = name
        self._key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        subject = _name("%s (python-glanceclient test CA)" % name)
        public = self._key.public_key()
        self._cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _DAY)
            .not_valid_after(now + 30 * _DAY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(ca=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(self._key, hashes.SHA256())
        )
        self.cert = self.directory / ("%s.pem" % name)
        self.cert.write_bytes(self._cert.public_bytes(serialization.Encoding.PEM))

    def issue(
        self,
        name: str,
        hosts: Sequence[str] = LOOPBACK_HOSTS,
        *,
        client: bool = False,
        expired: bool = False,
    ) -> KeyPair:
        """Issue a certificate signed by this CA.

        :param name: the stem of its files (``<name>.pem``,
            ``<name>-key.pem``) and its common name.
        :param hosts: the IP addresses and DNS names a server certificate
            is valid for (none for a client certificate).
        :param client: a client certificate (``clientAuth``) rather than a
            server one (``serverAuth``).
        :param expired: valid for a month that ended yesterday.
        :returns: the certificate's and the key's paths.
        """
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        if expired:
            not_before, not_after = now - 31 * _DAY, now - _DAY
        else:
            not_before, not_after = now - _DAY, now + 30 * _DAY
        usage = ExtendedKeyUsageOID.CLIENT_AUTH if client else ExtendedKeyUsageOID.SERVER_AUTH
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(name))
            .issuer_name(self._cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(ca=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self._key.public_key()),
                critical=False,
            )
        )
        if not client:
            builder = builder.add_extension(_san(hosts), critical=False)
        cert = builder.sign(self._key, hashes.SHA256())
        pair = KeyPair(self.directory / ("%s.pem" % name), self.directory / ("%s-key.pem" % name))
        pair.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        _write_key(key, pair.key)
        return pair

    def client_context(self, client: KeyPair | None = None) -> ssl.SSLContext:
        """An :class:`ssl.SSLContext` that trusts this CA only (and
        presents ``client``, when given): for the harness's own requests.
        """
        context = ssl.create_default_context(cafile=str(self.cert))
        if client is not None:
            context.load_cert_chain(str(client.cert), str(client.key))
        return context


def unverified_context(client: KeyPair | None = None) -> ssl.SSLContext:
    """An :class:`ssl.SSLContext` that checks nothing (and presents
    ``client``, when given): how the harness reaches a node whose
    certificate is wrong on purpose (expired, another host's)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    if client is not None:
        context.load_cert_chain(str(client.cert), str(client.key))
    return context


class ServerTLS(ty.NamedTuple):
    """How a node serves HTTPS, and how the harness reaches it.

    :ivar pair: the server's certificate and key (gunicorn's
        ``--certfile``/``--keyfile``).
    :ivar context: what the harness's own requests (readiness probe,
        fixtures) use to reach the node.
    :ivar client_ca: when set, the node requires a client certificate
        signed by this CA (gunicorn's ``--ca-certs``, ``--cert-reqs 2``).
    """

    pair: KeyPair
    context: ssl.SSLContext
    client_ca: pathlib.Path | None = None

    def gunicorn_args(self) -> list[str]:
        """gunicorn's command-line options for this."""
        args = ["--certfile", str(self.pair.cert), "--keyfile", str(self.pair.key)]
        if self.client_ca is not None:
            args += ["--ca-certs", str(self.client_ca), "--cert-reqs", str(int(ssl.CERT_REQUIRED))]
        return args
