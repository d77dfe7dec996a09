"""Sphinx configuration of the release notes (built by reno).

The same rendering as the documentation's release notes page: see
``doc/source/_exts/versioned_release_notes.py``.
"""

import os
import sys

import glanceclient

sys.path.insert(
    0,
    os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "doc", "source", "_exts"
    ),
)

project = "python-glanceclient release notes"
release = version = glanceclient.__version__
extensions = ["reno.sphinxext", "versioned_release_notes"]
master_doc = "index"
html_theme = "alabaster"
