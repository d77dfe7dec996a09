"""Pick the client class for an Image API major version."""

from __future__ import annotations

import typing as ty

from glanceclient import exc
from glanceclient._i18n import _

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client


def major_version(version: str | int) -> int:
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


def require_supported(version: str | int) -> None:
    """Raise unless ``version`` names Image API major version 2.

    :raises glanceclient.exc.UnsupportedVersion: any other version.
    """
    if major_version(version) != 2:
        raise exc.UnsupportedVersion(
            _("Image API version %(version)s is not supported; use 2.") % {"version": version}
        )


def Client(version: str | int, *args: ty.Any, **kwargs: ty.Any) -> v2_client.Client:  # noqa: N802
    """Build the client for ``version``; only major version 2 exists."""
    require_supported(version)
    from glanceclient.v2 import client as v2_client

    return v2_client.Client(*args, **kwargs)
