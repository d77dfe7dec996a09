"""The installed version of this distribution."""

from __future__ import annotations

import functools

DISTRIBUTION = "python-glanceclient"


@functools.lru_cache(maxsize=1)
def version_string() -> str:
    """Return the installed version, or ``"unknown"`` outside an install."""
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"
