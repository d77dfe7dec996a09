"""Checking what callers configure: the Image API endpoint and timeouts.

Light on purpose: the ``glance`` command checks its options with it before
loading the HTTP stack.
"""

from __future__ import annotations

import math
import re
import typing as ty
from urllib import parse

from glanceclient import exc
from glanceclient._i18n import _

VERSION_SUFFIX = re.compile(r"/v\d+(\.\d+)?/*$")
#: The schemes an Image API endpoint may use.
SCHEMES = ("http", "https")


def root_url(endpoint: str) -> str:
    """Return the service root of an Image API endpoint.

    Catalogs and users give either the root (``http://h:9292``) or a
    versioned URL (``http://h:9292/v2``); requests are built from the root.
    """
    return VERSION_SUFFIX.sub("", endpoint.rstrip("/")).rstrip("/")


def check_endpoint(url: str, where: str | None = None) -> str:
    """Return ``url`` if it can be an Image API endpoint.

    :param url: the endpoint, given by a user or found in a catalog.
    :param where: where it came from (``--os-image-url``), for the message.
    :raises glanceclient.exc.InvalidEndpoint: no ``http``/``https`` scheme,
        no host, or a query or fragment (which every request would drop or
        carry along, sending it to the wrong route).
    """
    problem = _endpoint_problem(url)
    if problem is None:
        return url
    shown = exc.redact_url(str(url))
    if where:
        message = _("The endpoint %(url)r from %(where)s cannot be used: %(problem)s.") % {
            "url": shown,
            "where": where,
            "problem": problem,
        }
    else:
        message = _("The endpoint %(url)r cannot be used: %(problem)s.") % {
            "url": shown,
            "problem": problem,
        }
    raise exc.InvalidEndpoint(message)


def _endpoint_problem(url: object) -> str | None:
    """What makes ``url`` unusable as an endpoint, or None."""
    if not isinstance(url, str) or not url:
        return _("it is not a URL")
    if any(c.isspace() or not c.isprintable() for c in url):
        return _("it holds spaces or control characters")
    try:
        parts = parse.urlsplit(url)
        parts.port  # noqa: B018 (raises for a port that is not a number)
    except ValueError as e:
        return str(e)
    if "://" not in url:
        return _("it has no scheme (http:// or https://)")
    if parts.scheme.lower() not in SCHEMES:
        return _("its scheme is %(scheme)s, not http or https") % {"scheme": parts.scheme}
    if not parts.hostname:
        return _("it names no host")
    if parts.query or "?" in url:
        return _("it has a query (?...), which requests would not carry")
    if parts.fragment or "#" in url:
        return _("it has a fragment (#...), which requests would not carry")
    return None


def check_timeout(value: ty.Any, name: str | None = "timeout") -> float | None:
    """Return ``value`` as seconds, or None for no timeout.

    :param name: the argument named in the message (None: name none).
    :raises glanceclient.exc.InvalidArgument: not a finite number above 0.
    """
    if value is None:
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError, OverflowError):
        seconds = math.nan
    if isinstance(value, bool) or not (math.isfinite(seconds) and seconds > 0):
        if name is None:
            message = _("%(value)r is not a number of seconds above 0.") % {"value": value}
        else:
            message = _("%(name)s must be a number of seconds above 0, not %(value)r.") % {
                "name": name,
                "value": value,
            }
        raise exc.InvalidArgument(message)
    return seconds


def check_header(name: str, value: object) -> None:
    """Refuse a header value HTTP cannot carry, without quoting it (it may
    be a token).

    :param name: the header (``X-Auth-Token``: named "the token").
    :raises glanceclient.exc.InvalidArgument: a line break, a space or
        another control character in ``value``, or a character outside
        Latin-1.
    """
    if not isinstance(value, str):
        return
    what = _("The token") if name.lower() == "x-auth-token" else _("The header %s") % name
    if any(c.isspace() or not c.isprintable() for c in value):
        problem = _(
            "it holds a line break, a space or another control character (was it read "
            "from a file with CRLF line ends?)"
        )
    elif any(ord(c) > 255 for c in value):
        problem = _("it holds a character outside Latin-1, which HTTP cannot carry")
    else:
        return
    raise exc.InvalidArgument(
        _("%(what)s cannot be sent: %(problem)s.") % {"what": what, "problem": problem}
    )
