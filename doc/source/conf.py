"""Sphinx configuration of the python-glanceclient documentation.

The command-line references are generated from the parsers themselves:
cliff's ``autoprogram-cliff`` documents the ``openstack cache ...``
commands from their entry points, and the local ``glance-reference``
directive (``_exts/glance_reference.py``) documents the ``glance`` command.
The release notes page is reno's, grouped by version
(``_exts/versioned_release_notes.py``).
"""

from __future__ import annotations

import os
import sys

import glanceclient

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "_exts"))

project = "python-glanceclient"
copyright = "python-glanceclient developers"  # noqa: A001
# The installed distribution's version: the one setup.cfg names.
release = version = glanceclient.__version__
master_doc = "index"
exclude_patterns = ["_build"]
extensions = ["cliff.sphinxext", "glance_reference", "versioned_release_notes"]
html_theme = "alabaster"
# Keep "--option" as typed (smart quotes turn "--" into a dash).
smartquotes = False

# autoprogram-cliff: the commands are run as "openstack ...". The output
# options cliff gives every command are described once, in prose.
autoprogram_cliff_application = "openstack"
autoprogram_cliff_ignored = [
    "--help",
    "--format",
    "--column",
    "--sort-column",
    "--sort-ascending",
    "--sort-descending",
    "--max-width",
    "--fit-width",
    "--print-empty",
    "--noindent",
    "--quote",
    "--prefix",
]
