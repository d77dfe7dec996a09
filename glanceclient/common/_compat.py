"""Upstream python-glanceclient helpers that other projects reach for.

Compatibility only, re-exported by :mod:`glanceclient.common.utils` where
upstream had them. This package's own calls return real objects that carry
their request ids (:mod:`glanceclient.common.results`); nothing here is
used by the package itself. Nothing is imported at module level, so the
command line pays nothing for these names.
"""

from __future__ import annotations

import collections.abc
import typing as ty

if ty.TYPE_CHECKING:
    import requests


def _extract_request_id(response: requests.Response) -> str | None:
    """The ``x-openstack-request-id`` of an answer.

    nova's unit tests patch ``glanceclient.common.utils._extract_request_id``
    to build fake results with :class:`RequestIdProxy`.
    """
    from glanceclient.common import results

    return results.request_id(response)


class RequestIdProxy:
    """A value with the request id of the answer it came from, built as
    upstream's proxy was: ``RequestIdProxy((value, response))``.

    nova's unit tests build fake SDK results with it (``fake_glance_response``
    in ``nova/tests/unit/image/test_glance.py``). It has the ``wrapped`` and
    ``request_ids`` of this package's results, and stands for the value in
    attribute and item access, iteration, ``len()``, truth, equality and
    ``isinstance()``; ``wrapped`` is the value itself (None for no body).
    """

    def __init__(self, value_and_response: collections.abc.Sequence[ty.Any]) -> None:
        # Looked up in common.utils at each call, where nova patches it.
        from glanceclient.common import utils

        value, response = value_and_response
        object.__setattr__(self, "_value", value)
        self.request_ids: list[str | None] = [utils._extract_request_id(response)]

    @property
    def wrapped(self) -> ty.Any:
        """The value itself."""
        return self._value

    # isinstance() consults __class__ when type() does not match.
    @property  # type: ignore[misc]
    def __class__(self) -> type:  # noqa: D105
        return type(self._value)

    def __getattr__(self, name: str) -> ty.Any:
        if name == "_value":  # not set yet (copy and pickle probe first)
            raise AttributeError(name)
        return getattr(self._value, name)

    def __getitem__(self, key: ty.Any) -> ty.Any:
        return self._value[key]

    def __iter__(self) -> collections.abc.Iterator[ty.Any]:
        return iter(self._value)

    def __next__(self) -> ty.Any:
        return next(self._value)

    def __len__(self) -> int:
        return len(self._value)

    def __contains__(self, item: object) -> bool:
        return item in self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return bool(self._value == other)

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return repr(self._value)

    def __str__(self) -> str:
        return str(self._value)
