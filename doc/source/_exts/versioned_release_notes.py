"""reno's ``release-notes`` directive, with the notes written since the last
release tag shown under the version this tree builds (the ``release`` of
the Sphinx configuration, which is the installed distribution's version)
instead of reno's pseudo-versions: ``<last tag>-<commits>``, or ``0.0.0``
before the first tag.

An explicit ``:unreleased-version-title:`` option still wins after a tag.
"""

from __future__ import annotations

import typing as ty

from docutils import nodes
from reno import sphinxext
from sphinx.application import Sphinx

#: The version reno gives the notes of a history without any release tag.
UNTAGGED = "0.0.0"


class VersionedReleaseNotes(sphinxext.ReleaseNotesDirective):
    """``release-notes`` titling the unreleased notes with ``release``."""

    def run(self) -> list[nodes.Node]:
        """Render the notes, grouped by version.

        :returns: the sections reno generates.
        """
        release = self.state.document.settings.env.config.release
        self.options.setdefault("unreleased-version-title", release)
        result = ty.cast("list[nodes.Node]", super().run())
        for node in result:
            for title in list(node.findall(nodes.title)):
                if title.astext() == UNTAGGED:
                    title.clear()
                    title += nodes.Text(release)
        return result


def setup(app: Sphinx) -> dict[str, ty.Any]:
    """Register the directive in place of reno's own.

    :param app: the Sphinx application.
    :returns: the extension's metadata.
    """
    app.add_directive("release-notes", VersionedReleaseNotes, override=True)
    return {"parallel_read_safe": True}
