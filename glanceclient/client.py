"""Pick the client class for an Image API major version."""

from __future__ import annotations

import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.common import config

if ty.TYPE_CHECKING:
    from keystoneauth1 import session as ksa_session

    from glanceclient.v2 import client as v2_client


def major_version(version: str | int | float) -> int:
    """Return the major number of ``'2'``, ``2``, ``'v2'`` or ``'2.18'``.

    :raises glanceclient.exc.UnsupportedVersion: if it is not a version.
    """
    text = str(version).strip().lower().removeprefix("v")
    head = text.split(".", 1)[0]
    if not head.isdigit():
        raise exc.UnsupportedVersion(
            _("%(version)r is not an Image API version; use 2.") % {"version": version}
        )
    return int(head)


def unsupported(version: str | int | float) -> exc.UnsupportedVersion:
    """The error for a version other than 2 (``glanceclient.v1`` raises it)."""
    return exc.UnsupportedVersion(
        _("Image API version %(version)s is not supported; use 2.") % {"version": version}
    )


def require_supported(version: str | int | float) -> None:
    """Raise unless ``version`` names Image API major version 2.

    :raises glanceclient.exc.UnsupportedVersion: any other version.
    """
    if major_version(version) != 2:
        raise unsupported(version)


def Client(  # noqa: N802
    version: str | int | float | None = None,
    endpoint: str | None = None,
    session: ksa_session.Session | None = None,
    **kwargs: ty.Any,
) -> v2_client.Client:
    """Build the client for ``version``; only major version 2 exists.

    Every construction upstream python-glanceclient accepts works:
    ``Client('2', endpoint, token=...)``, ``Client(2, session=s, auth=...,
    endpoint_override=...)``, ``Client('2', 'http://h:9292', session=s)``.

    :param version: the API version (``'2'``, ``2``, ``'v2'``, ``2.0``); when
        None, the one ending ``endpoint`` (``/v2``), else 2.
    :param endpoint: the Image API URL, with or without ``/v2``.
    :param session: a keystoneauth1 Session (else ``endpoint`` and a token).
    :param kwargs: passed on to :class:`glanceclient.v2.client.Client`.
    :raises glanceclient.exc.UnsupportedVersion: any other major version.
    """
    if version is None:
        found = config.VERSION_SUFFIX.search(endpoint or "")
        version = found.group(0).strip("/") if found else 2
    require_supported(version)
    from glanceclient.v2 import client as v2_client

    return v2_client.Client(endpoint, session=session, **kwargs)
