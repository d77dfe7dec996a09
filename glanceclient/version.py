"""The installed version of this distribution."""

from __future__ import annotations

import functools

DISTRIBUTION = "python-glanceclient"


@functools.lru_cache(maxsize=1)
def version_string() -> str:
    """Return the installed version, or ``"unknown"`` outside an install."""
    from email import parser
    from importlib import metadata

    try:
        found = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"
    # Every client names the version in its User-Agent. Distribution.version
    # parses the whole metadata, the README that follows the headers
    # included: about a millisecond of each glance call. The headers alone:
    text = found.read_text("METADATA") or found.read_text("PKG-INFO") or ""
    version = parser.HeaderParser().parsestr(text).get("Version")
    return version if isinstance(version, str) and version else found.version
