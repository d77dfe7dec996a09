"""Upstream's v1 client, as a name: building one raises
:class:`glanceclient.exc.UnsupportedVersion` (Glance no longer serves the
Image API v1; use :class:`glanceclient.v2.client.Client`)."""

from __future__ import annotations

import typing as ty

from glanceclient.v1 import _base


class Client:
    """Refuses to be built: the Image API v1 is gone from Glance.

    :raises glanceclient.exc.UnsupportedVersion: always.
    """

    def __init__(self, endpoint: str | None = None, **kwargs: ty.Any) -> None:
        _base.refuse()
