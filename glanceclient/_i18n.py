"""Translation hook for user-facing text.

Translate first, then interpolate: ``_("... %(image)s") % {"image": x}``.
"""

from __future__ import annotations

import gettext

_translation = gettext.translation("python-glanceclient", fallback=True)


def _(message: str) -> str:
    """Return ``message`` translated into the user's language, if known."""
    return _translation.gettext(message)
