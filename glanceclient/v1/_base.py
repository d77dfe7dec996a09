"""What the v1 names share: refusing, and upstream's constructors."""

from __future__ import annotations

import typing as ty


def refuse() -> ty.NoReturn:
    """Raise the error of any Image API v1 call.

    :raises glanceclient.exc.UnsupportedVersion: always.
    """
    from glanceclient import client

    raise client.unsupported(1)


class Manager:
    """A v1 manager, built as upstream's were (from a client)."""

    def __init__(self, client: ty.Any) -> None:
        self.client = client


class Resource:
    """A v1 resource, built as upstream's were: its ``info`` as attributes."""

    def __init__(
        self, manager: Manager | None, info: ty.Mapping[str, ty.Any], loaded: bool = False
    ) -> None:
        self.manager = manager
        self._info = dict(info)
        self._loaded = loaded
        for name, value in self._info.items():
            setattr(self, name, value)

    def to_dict(self) -> dict[str, ty.Any]:
        """The resource's attributes as the server gave them."""
        return dict(self._info)
