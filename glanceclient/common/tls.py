"""TLS failures in one line: what happened and where; what fixes it as a
code (``fix``, a ``TLS_FIX_*`` name of :mod:`glanceclient.vocabulary`),
which the front ends word with their own options (``--os-cacert``...).

keystoneauth1 reports a failed TLS handshake as the whole urllib3 chain in
one string (``SSL exception connecting to ...: HTTPSConnectionPool(...):
Max retries exceeded ... (Caused by SSLError(SSLCertVerificationError(...``);
requests reports a missing CA, certificate or key file as a bare
``OSError``. The HTTP layer hands both here, once, so the
SDK, ``glance`` and ``openstack cache ...`` say the same thing; the
original exception stays chained (``raise ... from``) for ``--debug``.
"""

from __future__ import annotations

import re
import ssl
import typing as ty
import urllib.parse

from glanceclient import exc
from glanceclient import vocabulary
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
        vocabulary.TLS_FIX_CACERT_FILE,
    ),
    (
        re.compile(r"Could not find the TLS certificate file, invalid path: (.*)"),
        _("the client certificate file %(path)s does not exist"),
        vocabulary.TLS_FIX_CERT_FILE,
    ),
    (
        re.compile(r"Could not find the TLS key file, invalid path: (.*)"),
        _("the client key file %(path)s does not exist"),
        vocabulary.TLS_FIX_KEY_FILE,
    ),
)


def _message(url: str | None, cause: str) -> str:
    if url is None:  # a file refused before a request was built
        return _("TLS failure: %(cause)s.") % {"cause": cause}
    return _("TLS failure with %(url)s: %(cause)s.") % {"url": url, "cause": cause}


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
            vocabulary.TLS_FIX_CERT_AND_KEY,
        )
    if cert_path and "-----BEGIN CERTIFICATE-----" not in _read_head(cert_path):
        return (
            _("%(path)s is not a PEM certificate") % {"path": cert_path},
            vocabulary.TLS_FIX_CERT_FILE,
        )
    if key_path is None:
        return (
            _("the client certificate %(path)s holds no private key") % {"path": cert_path},
            vocabulary.TLS_FIX_KEY_FOR_CERT,
        )
    return (
        _("%(path)s is not a PEM private key") % {"path": key_path},
        vocabulary.TLS_FIX_KEY_FILE,
    )


def _host(url: str | None) -> str | None:
    return urllib.parse.urlsplit(url).hostname if url else None


#: OpenSSL's verification codes (``ssl.SSLCertVerificationError.verify_code``).
_VERIFY_CODES = {
    9: "not-yet-valid",  # X509_V_ERR_CERT_NOT_YET_VALID
    10: "expired",  # X509_V_ERR_CERT_HAS_EXPIRED
    18: "self-signed",  # X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
    19: "self-signed",  # X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN
    62: "mismatch",  # X509_V_ERR_HOSTNAME_MISMATCH
    64: "mismatch",  # X509_V_ERR_IP_ADDRESS_MISMATCH
}
#: OpenSSL's reason codes (``ssl.SSLError.reason``) of the other failures.
_REASONS = {
    "CERTIFICATE_VERIFY_FAILED": "untrusted",
    "TLSV13_ALERT_CERTIFICATE_REQUIRED": "cert-required",
    "NO_CERTIFICATE_OR_CRL_FOUND": "no-ca",
    "PEM_LIB": "pem",
    "KEY_VALUES_MISMATCH": "pem",
    "WRONG_VERSION_NUMBER": "not-tls",
    "RECORD_LAYER_FAILURE": "not-tls",
    "HTTP_REQUEST": "not-tls",
}
#: The alerts a server sends about the client's certificate.
_CLIENT_CERT_ALERTS = (
    "UNKNOWN_CA",
    "BAD_CERTIFICATE",
    "CERTIFICATE_EXPIRED",
    "CERTIFICATE_REVOKED",
    "UNSUPPORTED_CERTIFICATE",
    "CERTIFICATE_UNKNOWN",
    "ACCESS_DENIED",
)


def _kind_by_type(error: BaseException) -> tuple[str, str] | None:
    """What failed, from the ``ssl.SSLError`` in the chain's public
    attributes: a kind, and the OpenSSL words of an alert; None when the
    chain holds no such error (a wrapper built from text alone)."""
    from glanceclient.common import faults

    found = faults.caused_by(error, (ssl.SSLError,))
    if not isinstance(found, ssl.SSLError):
        return None
    code = getattr(found, "verify_code", None)
    if isinstance(found, ssl.SSLCertVerificationError) and code:
        return _VERIFY_CODES.get(code, "untrusted"), ""
    reason = getattr(found, "reason", None) or ""
    alert = reason.partition("_ALERT_")[2]
    if alert in _CLIENT_CERT_ALERTS:
        return "client-alert", alert.replace("_", " ").lower()
    kind = _REASONS.get(reason)
    return (kind, "") if kind else None


def _kind_by_text(text: str, cert: ty.Any) -> tuple[str, str]:
    """What failed, from OpenSSL's words, when no error says it by type."""
    alert = _CLIENT_CERT_ALERT.search(text)
    for kind, pattern in (
        ("expired", _EXPIRED),
        ("not-yet-valid", _NOT_YET_VALID),
        ("mismatch", _MISMATCH),
    ):
        if pattern.search(text):
            return kind, ""
    if _VERIFY_FAILED.search(text):
        return ("self-signed" if _SELF_SIGNED.search(text) else "untrusted"), ""
    if _CERT_REQUIRED.search(text):
        return "cert-required", ""
    if alert:
        return "client-alert", alert.group(1).lower()
    if _NO_CA_IN_FILE.search(text):
        return "no-ca", ""
    if _PEM_LIB.search(text):
        return "pem", ""
    if _NOT_TLS.search(text):
        return "not-tls", ""
    return "other", ""


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
    kind, alert = _kind_by_type(error) or _kind_by_text(text, cert)
    if kind == "client-alert" and not cert:
        kind = "cert-required"
    cls: type[exc.SSLError] = exc.SSLCertificateError
    if kind == "expired":
        reason = REASON_EXPIRED
        cause = _("the server's certificate has expired")
        fix = vocabulary.TLS_FIX_RENEW
    elif kind == "not-yet-valid":
        reason = REASON_EXPIRED
        cause = _("the server's certificate is not valid yet")
        fix = vocabulary.TLS_FIX_CLOCK
    elif kind == "mismatch":
        reason = REASON_NAME_MISMATCH
        cause = _("the server's certificate is not valid for the host name %(host)s") % {
            "host": _host(url) or _("of the URL")
        }
        fix = vocabulary.TLS_FIX_HOSTNAME
    elif kind in ("self-signed", "untrusted"):
        reason = REASON_UNTRUSTED
        if kind == "self-signed":
            cause = _("the server's certificate is self-signed, and not trusted")
        elif isinstance(verify, str):
            cause = _("the server's certificate is not signed by a CA in %(path)s") % {
                "path": verify
            }
        else:
            cause = _("the server's certificate is not signed by a CA this system trusts")
        fix = vocabulary.TLS_FIX_CACERT
    elif kind == "cert-required":
        cls, reason = exc.SSLError, REASON_CLIENT_CERT_REQUIRED
        cause = _("the server requires a client certificate")
        fix = vocabulary.TLS_FIX_CLIENT_CERT
    elif kind == "client-alert":
        cls, reason = exc.SSLError, REASON_CLIENT_CERT_REJECTED
        cause = _("the server refused the client certificate %(path)s (%(alert)s)") % {
            "path": _client_files(cert)[0],
            "alert": alert,
        }
        fix = vocabulary.TLS_FIX_CLIENT_CERT_ACCEPTED
    elif kind == "no-ca":
        cls, reason = exc.SSLConfigurationError, REASON_BAD_FILE
        cause = _("the CA file %(path)s holds no PEM certificate") % {"path": verify}
        fix = vocabulary.TLS_FIX_CACERT_FILE
    elif kind == "pem" and cert:
        cls, reason = exc.SSLConfigurationError, REASON_BAD_FILE
        cause, fix = _bad_client_files(text, cert)
    elif kind == "not-tls":
        cls, reason = exc.SSLError, REASON_NOT_TLS
        cause = _("the server does not speak TLS there")
        fix = vocabulary.TLS_FIX_PLAIN_HTTP
    else:
        cls, reason = exc.SSLError, REASON_OTHER
        words = _OPENSSL_WORDS.search(text)
        rest = " ".join(_KSA_PREFIX.sub("", text).split())
        cause = words.group(1) if words else exc.truncate(rest, 200)
        fix = vocabulary.TLS_FIX_DETAILS
    return cls(_message(url, cause), url=url, reason=reason, fix=fix)


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
                _message(url, cause % {"path": found.group(1).strip()}),
                url=url,
                reason=REASON_BAD_FILE,
                fix=fix,
            )
    return None
