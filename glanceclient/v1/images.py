"""Upstream's v1 image manager and resource, as names: every call raises
:class:`glanceclient.exc.UnsupportedVersion` (nova's unit tests spec
mocks against :class:`ImageManager`)."""

from __future__ import annotations

import typing as ty

from glanceclient.v1 import _base


class Image(_base.Resource):
    """A v1 image."""

    def update(self, **fields: ty.Any) -> ty.NoReturn:
        _base.refuse()

    def delete(self, **kwargs: ty.Any) -> ty.NoReturn:
        _base.refuse()

    def data(self, **kwargs: ty.Any) -> ty.NoReturn:
        _base.refuse()


class ImageManager(_base.Manager):
    """The v1 image calls, each refused."""

    resource_class = Image

    def get(self, image: ty.Any, **kwargs: ty.Any) -> ty.NoReturn:
        _base.refuse()

    def data(self, image: ty.Any, do_checksum: bool = True, **kwargs: ty.Any) -> ty.NoReturn:
        _base.refuse()

    def list(self, **kwargs: ty.Any) -> ty.NoReturn:
        _base.refuse()

    def delete(self, image: ty.Any, **kwargs: ty.Any) -> ty.NoReturn:
        _base.refuse()

    def create(self, **kwargs: ty.Any) -> ty.NoReturn:
        _base.refuse()

    def update(self, image: ty.Any, **kwargs: ty.Any) -> ty.NoReturn:
        _base.refuse()
