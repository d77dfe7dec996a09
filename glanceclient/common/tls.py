"""TLS failures in one line: what happened, where, and the option that fixes it.

keystoneauth1 reports a failed TLS handshake as the whole urllib3 chain in
one string (``SSL exception connecting to ...: HTTPSConnectionPool(...):
Max retries exceeded ... (Caused by SSLError(SSLCertVerificationError(...``);
requests reports a missing ``--os-cacert``, ``--os-cert`` or ``--os-key``
file as a bare ``OSError``. The HTTP layer hands both here, once, so the
SDK, ``glance`` and ``openstack cache ...`` say the same thing; the
original exception stays chained (``raise ... from``) for ``--debug``.
"""

from __future__ import annotations

import re
import typing as ty
import urllib.parse

from glanceclient import exc
from glanceclient._i18n import _

#: The server's certificate is not signed by a CA the client trusts.
REASON_UNTRUSTED = "untrusted"
#: The server's certificate has expired, or is not valid yet.
REASON_EXPIRED = "expired"
#: The server's certificate is not valid for the host name of the URL.
REASON_NAME_MISMATCH = "name-mismatch"
#: The server asks for a client certificate and none was given.
REASON_CLIENT_CERT_REQUIRED = "client-cert-required"
#: The server refused the client certificate that was given.
REASON_CLIENT_CERT_REJECTED = "client-cert-rejected"
#: A CA bundle, client certificate or key file is missing or unusable.
REASON_BAD_FILE = "bad-file"
#: The server does not speak TLS on that port.
REASON_NOT_TLS = "not-tls"
#: Anything else OpenSSL reports.
REASON_OTHER = "other"

_CACERT_FIX = _("give the CA that signed it with --os-cacert (OS_CACERT, or cacert in clouds.yaml)")
_INSECURE = _("or skip verification with --insecure")

# OpenSSL's words, as Python and urllib3 quote them (case-insensitive).
_EXPIRED = re.compile(r"certificate has expired", re.I)
_NOT_YET_VALID = re.compile(r"certificate is not yet valid", re.I)
_MISMATCH = re.compile(r"(?:hostname|ip address) mismatch", re.I)
_SELF_SIGNED = re.compile(r"self[- ]signed certificate", re.I)
_VERIFY_FAILED = re.compile(r"certificate verify failed|CERTIFICATE_VERIFY_FAILED", re.I)
_CERT_REQUIRED = re.compile(r"certificate[ _]required", re.I)
# Alerts a server sends about the client's certificate.
_CLIENT_CERT_ALERT = re.compile(
    r"alert (unknown ca|bad certificate|certificate expired|certificate revoked|"
    r"unsupported certificate|certificate unknown|access denied)",
    re.I,
)
_NO_CA_IN_FILE = re.compile(r"NO_CERTIFICATE_OR_CRL_FOUND|no certificate or crl found", re.I)
_PEM_LIB = re.compile(r"\[SSL\] PEM lib|PEM_R_|KEY_VALUES_MISMATCH|key values mismatch", re.I)
_KEY_MISMATCH = re.compile(r"KEY_VALUES_MISMATCH|key values mismatch", re.I)
_NOT_TLS = re.compile(r"wrong version number|record layer failure|http request", re.I)
# "[SSL: SOME_CODE] the words (_ssl.c:1006)" -> "the words".
_OPENSSL_WORDS = re.compile(r"\[(?:SSL|X509)[^\]]*\] ([^()]+?)\s*\(_ssl\.c")
_URL_IN_MESSAGE = re.compile(r"connecting to (\S+?):? ")
_KSA_PREFIX = re.compile(r"^SSL exception connecting to \S+?: ")

# What requests raises itself, before connecting, for a path that does not
# exist (requests.adapters.HTTPAdapter.cert_verify).
_MISSING_FILES = (
    (
        re.compile(r"Could not find a suitable TLS CA certificate bundle, invalid path: (.*)"),
        _("the CA file %(path)s does not exist"),
        _("check --os-cacert (OS_CACERT, or cacert in clouds.yaml)"),
    ),
    (
        re.compile(r"Could not find the TLS certificate file, invalid path: (.*)"),
        _("the client certificate file %(path)s does not exist"),
        _("check --os-cert"),
    ),
    (
        re.compile(r"Could not find the TLS key file, invalid path: (.*)"),
        _("the client key file %(path)s does not exist"),
        _("check --os-key"),
    ),
)


def _message(url: str | None, cause: str, fix: str) -> str:
    if url is None:  # a file refused before a request was built
        return _("TLS failure: %(cause)s; %(fix)s.") % {"cause": cause, "fix": fix}
    return _("TLS failure with %(url)s: %(cause)s; %(fix)s.") % {
        "url": url,
        "cause": cause,
        "fix": fix,
    }


def _client_files(cert: ty.Any) -> tuple[str | None, str | None]:
    """The client certificate and key paths of a Session's ``cert``."""
    if isinstance(cert, (tuple, list)):
        return (cert[0] if cert else None), (cert[1] if len(cert) > 1 else None)
    return (cert or None), None


def _read_head(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return f.read(1 << 20).decode("ascii", "replace")
    except OSError:
        return ""


def _bad_client_files(text: str, cert: ty.Any) -> tuple[str, str]:
    """Cause and fix when OpenSSL could not load the client certificate."""
    cert_path, key_path = _client_files(cert)
    if _KEY_MISMATCH.search(text):
        return (
            _("the key %(key)s does not belong to the certificate %(cert)s")
            % {"key": key_path or cert_path, "cert": cert_path},
            _("check --os-cert and --os-key"),
        )
    if cert_path and "-----BEGIN CERTIFICATE-----" not in _read_head(cert_path):
        return (
            _("%(path)s is not a PEM certificate") % {"path": cert_path},
            _("check --os-cert"),
        )
    if key_path is None:
        return (
            _("the client certificate %(path)s holds no private key") % {"path": cert_path},
            _("give its key with --os-key"),
        )
    return (
        _("%(path)s is not a PEM private key") % {"path": key_path},
        _("check --os-key"),
    )


def _host(url: str | None) -> str | None:
    return urllib.parse.urlsplit(url).hostname if url else None


def ssl_error(error: BaseException, url: str | None, session: ty.Any = None) -> exc.SSLError:
    """The one-line error for a failed TLS connection.

    :param error: what keystoneauth1 (or requests) raised; its text is
        read, never shown whole.
    :param url: the URL requested, if known (else the one ``error`` names).
    :param session: the keystoneauth1 Session used; its ``verify`` and
        ``cert`` name the files the message points at.
    :returns: an :class:`~glanceclient.exc.SSLCertificateError` (the server's
        certificate refused), :class:`~glanceclient.exc.SSLConfigurationError`
        (a client file unusable) or :class:`~glanceclient.exc.SSLError`.
    """
    text = str(error)
    if url is None:
        found = _URL_IN_MESSAGE.search(text)
        url = found.group(1) if found else None
    url = exc.redact_url(url) if url else None
    verify = getattr(session, "verify", True)
    cert = getattr(session, "cert", None)
    cls: type[exc.SSLError] = exc.SSLCertificateError
    if _EXPIRED.search(text):
        reason = REASON_EXPIRED
        cause = _("the server's certificate has expired")
        fix = _("the server needs a renewed certificate (%(insecure)s)") % {
            "insecure": _("--insecure skips verification")
        }
    elif _NOT_YET_VALID.search(text):
        reason = REASON_EXPIRED
        cause = _("the server's certificate is not valid yet")
        fix = _("check this machine's clock (%(insecure)s)") % {
            "insecure": _("--insecure skips verification")
        }
    elif _MISMATCH.search(text):
        reason = REASON_NAME_MISMATCH
        cause = _("the server's certificate is not valid for the host name %(host)s") % {
            "host": _host(url) or _("of the URL")
        }
        fix = _("use a URL with a host name the certificate names, %(insecure)s") % {
            "insecure": _INSECURE
        }
    elif _VERIFY_FAILED.search(text):
        reason = REASON_UNTRUSTED
        if _SELF_SIGNED.search(text):
            cause = _("the server's certificate is self-signed, and not trusted")
        elif isinstance(verify, str):
            cause = _("the server's certificate is not signed by a CA in %(path)s") % {
                "path": verify
            }
        else:
            cause = _("the server's certificate is not signed by a CA this system trusts")
        fix = "%s, %s" % (_CACERT_FIX, _INSECURE)
    elif _CERT_REQUIRED.search(text) or (_CLIENT_CERT_ALERT.search(text) and not cert):
        cls, reason = exc.SSLError, REASON_CLIENT_CERT_REQUIRED
        cause = _("the server requires a client certificate")
        fix = _("give one with --os-cert and --os-key")
    elif _CLIENT_CERT_ALERT.search(text):
        cls, reason = exc.SSLError, REASON_CLIENT_CERT_REJECTED
        alert = _CLIENT_CERT_ALERT.search(text)
        assert alert is not None
        cause = _("the server refused the client certificate %(path)s (%(alert)s)") % {
            "path": _client_files(cert)[0],
            "alert": alert.group(1).lower(),
        }
        fix = _("give one it accepts with --os-cert and --os-key")
    elif _NO_CA_IN_FILE.search(text):
        cls, reason = exc.SSLConfigurationError, REASON_BAD_FILE
        cause = _("the CA file %(path)s holds no PEM certificate") % {"path": verify}
        fix = _("check --os-cacert (OS_CACERT, or cacert in clouds.yaml)")
    elif _PEM_LIB.search(text) and cert:
        cls, reason = exc.SSLConfigurationError, REASON_BAD_FILE
        cause, fix = _bad_client_files(text, cert)
    elif _NOT_TLS.search(text):
        cls, reason = exc.SSLError, REASON_NOT_TLS
        cause = _("the server does not speak TLS there")
        fix = _("use an http:// URL if it serves plain HTTP")
    else:
        cls, reason = exc.SSLError, REASON_OTHER
        words = _OPENSSL_WORDS.search(text)
        rest = " ".join(_KSA_PREFIX.sub("", text).split())
        cause = words.group(1) if words else exc.truncate(rest, 200)
        fix = _("--debug shows the details")
    return cls(_message(url, cause, fix), url=url, reason=reason)


def missing_file(error: OSError, url: str | None) -> exc.SSLConfigurationError | None:
    """The one-line error for a TLS file requests could not find, or None
    when ``error`` is another ``OSError``.

    :param error: what requests raised before connecting.
    :param url: the URL requested, if known.
    """
    text = str(error)
    url = exc.redact_url(url) if url else None
    for pattern, cause, fix in _MISSING_FILES:
        found = pattern.search(text)
        if found:
            return exc.SSLConfigurationError(
                _message(url, cause % {"path": found.group(1).strip()}, fix),
                url=url,
                reason=REASON_BAD_FILE,
            )
    return None
