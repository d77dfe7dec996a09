"""Upstream's v1 image member manager and resource, as names: every call
raises :class:`glanceclient.exc.UnsupportedVersion`."""

from __future__ import annotations

import typing as ty

from glanceclient.v1 import _base


class ImageMember(_base.Resource):
    """A v1 image member."""

    def delete(self) -> ty.NoReturn:
        _base.refuse()


class ImageMemberManager(_base.Manager):
    """The v1 member calls, each refused."""

    resource_class = ImageMember

    def get(self, image: ty.Any, member_id: str) -> ty.NoReturn:
        _base.refuse()

    def list(self, image: ty.Any = None, member: ty.Any = None) -> ty.NoReturn:
        _base.refuse()

    def delete(self, image_id: str, member_id: str) -> ty.NoReturn:
        _base.refuse()

    def create(self, image: ty.Any, member_id: str, can_share: bool = False) -> ty.NoReturn:
        _base.refuse()

    def replace(self, image: ty.Any, members: ty.Any) -> ty.NoReturn:
        _base.refuse()
