"""Upstream python-glanceclient's second name for :mod:`glanceclient.exc`.

Compatibility only: zun imports ``glanceclient.common.exceptions`` (and
catches its ``NotFound``) when zun-compute starts. Every name is the very
class of :mod:`glanceclient.exc`, so catching either catches both.
"""

from __future__ import annotations

from glanceclient.exc import *  # noqa: F403
