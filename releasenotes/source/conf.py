"""Sphinx configuration of the release notes (built by reno)."""

project = "python-glanceclient release notes"
extensions = ["reno.sphinxext"]
master_doc = "index"
html_theme = "alabaster"
