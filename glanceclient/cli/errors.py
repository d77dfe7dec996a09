"""Errors as the front ends show them: the library's one line, and for a
TLS failure the option that fixes it.

The library says what failed (:class:`glanceclient.exc.SSLError` carries a
``fix`` code); the options that fix it are the front ends' own, the same
in ``glance`` and ``openstack``.
"""

from __future__ import annotations

from glanceclient import exc
from glanceclient import vocabulary as voc
from glanceclient._i18n import _

_INSECURE = _("--insecure skips verification")

#: How each TLS fix code reads, with the options that apply it.
TLS_FIXES = {
    voc.TLS_FIX_CACERT: _(
        "give the CA that signed it with --os-cacert (OS_CACERT, or cacert in "
        "clouds.yaml), or skip verification with --insecure"
    ),
    voc.TLS_FIX_RENEW: _("the server needs a renewed certificate (%(insecure)s)")
    % {"insecure": _INSECURE},
    voc.TLS_FIX_CLOCK: _("check this machine's clock (%(insecure)s)") % {"insecure": _INSECURE},
    voc.TLS_FIX_HOSTNAME: _(
        "use a URL with a host name the certificate names, or skip verification with --insecure"
    ),
    voc.TLS_FIX_CLIENT_CERT: _("give one with --os-cert and --os-key"),
    voc.TLS_FIX_CLIENT_CERT_ACCEPTED: _("give one it accepts with --os-cert and --os-key"),
    voc.TLS_FIX_CACERT_FILE: _("check --os-cacert (OS_CACERT, or cacert in clouds.yaml)"),
    voc.TLS_FIX_CERT_FILE: _("check --os-cert"),
    voc.TLS_FIX_KEY_FILE: _("check --os-key"),
    voc.TLS_FIX_CERT_AND_KEY: _("check --os-cert and --os-key"),
    voc.TLS_FIX_KEY_FOR_CERT: _("give its key with --os-key"),
    voc.TLS_FIX_PLAIN_HTTP: _("use an http:// URL if it serves plain HTTP"),
    voc.TLS_FIX_DETAILS: _("--debug shows the details"),
}


def one_line(error: BaseException) -> str:
    """An error as one line for a terminal: :func:`glanceclient.exc.one_line`,
    and for a TLS failure the fix, worded with the front ends' options."""
    text = exc.one_line(error)
    fix = TLS_FIXES.get(error.fix or "") if isinstance(error, exc.SSLError) else None
    if fix is None:
        return text
    return "%s; %s." % (text.removesuffix("."), fix)
