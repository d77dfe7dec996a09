"""Upstream's v1 version manager, as a name: listing raises
:class:`glanceclient.exc.UnsupportedVersion`."""

from __future__ import annotations

import typing as ty

from glanceclient.v1 import _base


class VersionManager(_base.Manager):
    """The v1 version call, refused."""

    def list(self) -> ty.NoReturn:
        _base.refuse()
