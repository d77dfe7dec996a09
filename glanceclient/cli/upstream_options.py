"""The global options of upstream python-glanceclient's ``glance`` that
have no other spelling here, accepted with upstream's meaning.

Runbooks and scripts written for upstream use them widely
(``--os-endpoint-type internalURL``, ``--os_auth_token``): ``-f/--force``,
``--os-endpoint-type``, ``--os-service-type``, ``--collect-timing``,
``--tls-ciphers``, ``--tls-min-version``, the hidden underscore
spellings of upstream's first options, and ``--profile``, accepted with a
note (upstream offers it when osprofiler is installed; this client does not
trace requests).
"""

from __future__ import annotations

import argparse
import os
import sys
import typing as ty

from glanceclient._i18n import _

#: Upstream's hidden underscore spellings, and the option each one is.
UNDERSCORE_ALIASES = {
    "--os_image_url": "--os-image-url",
    "--os_image_api_version": "--os-image-api-version",
    "--os_tenant_id": "--os-tenant-id",
    "--os_tenant_name": "--os-tenant-name",
    "--os_region_name": "--os-region-name",
    "--os_auth_token": "--os-auth-token",
    "--os_service_type": "--os-service-type",
    "--os_endpoint_type": "--os-endpoint-type",
}

#: Catalog interfaces as the identity v2 API named them (upstream's
#: ``--os-endpoint-type`` takes them), and what keystoneauth1 calls them.
LEGACY_INTERFACES = {"publicURL": "public", "internalURL": "internal", "adminURL": "admin"}

TLS_VERSIONS = ("1.2", "1.3")


def normalize(argv: list[str]) -> list[str]:
    """``argv`` with upstream's underscore spellings (``--os_auth_token``,
    ``--os_image_url=URL``) replaced by the options they stand for, up to
    a ``--``."""
    found: list[str] = []
    for position, word in enumerate(argv):
        if word == "--":
            return found + argv[position:]
        name, equals, value = word.partition("=")
        found.append(UNDERSCORE_ALIASES.get(name, name) + equals + value)
    return found


def add(parser: argparse.ArgumentParser) -> None:
    """Add upstream's global options that have no other spelling here."""
    parser.add_argument(
        "-f",
        "--force",
        action="store_true",
        help=_("Accepted for upstream's scripts; glance never asks for confirmation."),
    )
    parser.add_argument(
        "--os-endpoint-type",
        dest="os_interface",
        metavar="<interface>",
        default=argparse.SUPPRESS,  # --os-interface's default stands
        help=_(
            "Upstream's name for --os-interface; publicURL, internalURL and adminURL "
            "mean public, internal and admin (env OS_ENDPOINT_TYPE)."
        ),
    )
    parser.add_argument(
        "--os-service-type",
        metavar="<type>",
        default=os.environ.get("OS_SERVICE_TYPE") or None,
        help=_("Catalog service type of the Image API (default image; env OS_SERVICE_TYPE)."),
    )
    parser.add_argument(
        "--collect-timing",
        action="store_true",
        help=_("Print the time each request took, to stderr, after the command."),
    )
    parser.add_argument(
        "--tls-ciphers",
        metavar="<ciphers>",
        default=os.environ.get("OS_TLS_CIPHERS") or None,
        help=_("OpenSSL cipher string for TLS connections (env OS_TLS_CIPHERS)."),
    )
    parser.add_argument(
        "--tls-min-version",
        choices=TLS_VERSIONS,
        default=os.environ.get("OS_TLS_MIN_VERSION") or None,
        help=_("Lowest TLS version to accept (env OS_TLS_MIN_VERSION)."),
    )
    parser.add_argument(
        "--profile",
        metavar="<HMAC_KEY>",
        default=os.environ.get("OS_PROFILE") or None,
        help=_("Accepted for upstream's scripts; requests are not traced (env OS_PROFILE)."),
    )


def resolve(args: argparse.Namespace) -> None:
    """Turn upstream's interface names into keystoneauth1's, in place; say
    that ``--profile`` changes nothing."""
    interface = args.os_interface
    args.os_interface = LEGACY_INTERFACES.get(interface, interface)
    if args.profile:
        from glanceclient.cli import messages

        messages.note(_("--profile is ignored: this client does not trace requests (osprofiler)."))


def client_options(args: argparse.Namespace) -> dict[str, ty.Any]:
    """Client options the upstream options ask for."""
    return {"service_type": args.os_service_type} if args.os_service_type else {}


def session_options(args: argparse.Namespace) -> dict[str, ty.Any]:
    """Session options (:func:`glanceclient.common.http.build_session`)
    the upstream options ask for."""
    return {
        "collect_timing": args.collect_timing,
        "tls_ciphers": args.tls_ciphers,
        "tls_min_version": args.tls_min_version,
    }


def with_tls(session: ty.Any, args: argparse.Namespace) -> ty.Any:
    """``session`` (a clouds.yaml one) made to use the TLS options given."""
    if args.tls_ciphers or args.tls_min_version:
        from glanceclient.common import http

        http.require_tls(session, args.tls_ciphers, args.tls_min_version)
    return session


def print_timings(session: ty.Any) -> None:
    """Print each request the session timed, and the total, to stderr.

    :param session: a keystoneauth1 Session built with ``collect_timing``.
    """
    from glanceclient.cli import output

    timings = session.get_timings()
    total = sum(t.elapsed.total_seconds() for t in timings)
    rows = [(t.method, t.url, "%.3f" % t.elapsed.total_seconds()) for t in timings]
    rows.append(("", _("Total"), "%.3f" % total))
    sys.stderr.write(output.format_table(rows, ("Method", "URL", "Seconds")))
