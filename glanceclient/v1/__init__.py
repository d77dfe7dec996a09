"""Upstream's Image API v1 client, kept as names only.

Glance no longer serves the Image API v1. These modules keep upstream
python-glanceclient's v1 module paths and names (the client, the image and
member managers and resources, the version manager) so that code importing
them still loads: nova's unit tests use ``glanceclient.v1.images.ImageManager``
as a mock spec. Building the client, or calling any manager or resource
method, raises :class:`glanceclient.exc.UnsupportedVersion` without sending
anything; use :mod:`glanceclient.v2`.
"""
