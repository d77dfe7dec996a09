"""Client library for the image-cache API of OpenStack Glance.

Importing this package is cheap: the HTTP stack is loaded by the first
:func:`Client` call, so command-line front ends pay only for what they use.
"""

from __future__ import annotations

import typing as ty

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

__all__ = ["Client", "__version__"]


def Client(  # noqa: N802
    version: str | int | float | None = None, *args: ty.Any, **kwargs: ty.Any
) -> v2_client.Client:
    """Build a client for the given Image API major version.

    :param version: ``'2'`` (``2``, ``2.0``, ``'v2'`` and ``'2.18'`` are
        accepted); None takes it from the endpoint, else 2.
    :param args: the endpoint and session, as
        :func:`glanceclient.client.Client` takes them.
    :param kwargs: passed on to :class:`glanceclient.v2.client.Client`.
    :returns: a :class:`glanceclient.v2.client.Client`.
    :raises glanceclient.exc.UnsupportedVersion: for any other major version.
    """
    from glanceclient import client

    return client.Client(version, *args, **kwargs)


def __getattr__(name: str) -> str:
    if name == "__version__":
        from glanceclient import version

        return version.version_string()
    raise AttributeError(name)
