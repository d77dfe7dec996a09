"""What SDK calls return: results that carry their request ids.

Every result has ``request_ids`` (the ``x-openstack-request-id`` of each
answer it comes from) and ``wrapped`` (the plain value), as upstream
python-glanceclient's proxies have, but results are the real objects: a
model is a ``dict``, a list is a ``list``, and they copy, pickle and
serialize like them. List calls return a :class:`ResultGenerator`.
"""

from __future__ import annotations

import collections.abc
import types
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.common import utils

if ty.TYPE_CHECKING:
    import requests

REQUEST_ID_HEADER = "x-openstack-request-id"

T = ty.TypeVar("T")
R = ty.TypeVar("R", bound="Result")


def request_id(response: requests.Response) -> str | None:
    """The request id the server gave an answer, if any."""
    return response.headers.get(REQUEST_ID_HEADER)


class Result:
    """Mixin: a value with the request ids of the answers it comes from."""

    #: The ``x-openstack-request-id`` of each answer, oldest first.
    request_ids: list[str | None]

    @property
    def wrapped(self) -> ty.Any:
        """The value itself (upstream's proxies kept it here)."""
        return self


def malformed(url: str | None, what: str, body: object) -> exc.InvalidResponse:
    """The error for an answer of the wrong shape: the one way to say it.

    :param url: the URL that answered, if known.
    :param what: what the answer should have been (``_("node list")``).
    :param body: what it was, quoted (cut short).
    """
    quoted = exc.truncate(repr(body), 200)
    if url is None:
        message = _("The server answered a malformed %(what)s: %(body)s") % {
            "what": what,
            "body": quoted,
        }
    else:
        message = _("The server at %(url)s answered a malformed %(what)s: %(body)s") % {
            "url": exc.redact_url(url),
            "what": what,
            "body": quoted,
        }
    return exc.InvalidResponse(message, url=url)


def expect(
    response: requests.Response,
    found: ty.Any,
    kind: type[T],
    what: str,
    *,
    valid: collections.abc.Callable[[T], bool] | None = None,
    body: ty.Any = None,
) -> T:
    """Return ``found`` if an answer has the shape its call expects.

    :param response: the answer (its URL is named in the error).
    :param found: the part of its body the call reads.
    :param kind: the type it must have (``dict``, ``list``).
    :param what: what it should be, for the error (``_("node list")``).
    :param valid: a further check of its contents.
    :param body: the whole body, quoted in the error (default: ``found``).
    :raises glanceclient.exc.InvalidResponse: the shape is wrong.
    """
    if isinstance(found, kind) and (valid is None or valid(found)):
        return found
    raise malformed(response.url, what, found if body is None else body)


def attach(result: R, response: requests.Response) -> R:
    """Record ``response``'s request id on ``result`` and return it."""
    # object.__setattr__: models turn attribute writes into item writes.
    object.__setattr__(result, "request_ids", [request_id(response)])
    return result


class DictResult(Result, dict):  # type: ignore[type-arg]
    """A JSON object answered by the server."""


class ListResult(Result, list):  # type: ignore[type-arg]
    """A JSON list answered by the server."""


class ResponseResult(Result, tuple):  # type: ignore[type-arg]
    """``(response, body)`` of a call with nothing else to return.

    Upstream returned this pair; callers that unpack it still can.
    """


class DataSource(ty.NamedTuple):
    """Where a download's data, or part of it, came from.

    :ivar url: the URL it was requested from (a node's after the URL map,
        or the regular endpoint's).
    :ivar node: the reference URL of the node chosen for its cache; None
        for the regular endpoint.
    :ivar offset: the first byte it served.
    :ivar error: why it stopped before the end (None: it served to the end,
        or is serving now).
    """

    url: str
    node: str | None
    offset: int
    error: str | None = None


class Download(Result, utils.IterableWithLength):
    """Image data being downloaded: chunks, ``len()`` and request ids.

    :param sources: where the data comes from; the list grows while the
        data is read when a source fails and the next one goes on.
    :param fallback_reason: why a download asked of a node's cache is
        served by the regular endpoint.
    """

    def __init__(
        self,
        iterable: collections.abc.Iterable[bytes],
        length: int,
        sources: list[DataSource] | None = None,
        fallback_reason: str | None = None,
    ) -> None:
        super().__init__(iterable, length)
        #: Where the data came from, in order (more than one when a node
        #: failed mid-stream and the next source sent the rest).
        self.sources: list[DataSource] = sources if sources is not None else []
        #: Why the regular endpoint serves a ``from_cache`` download.
        self.fallback_reason = fallback_reason

    @property
    def served_by(self) -> str | None:
        """The URL that served the data (the last one, after a failover)."""
        return self.sources[-1].url if self.sources else None


class Empty(Result):
    """No value: a call answered without a body (``wrapped`` is None).

    It is false and iterates over nothing, so that both ``if not data`` and
    ``for chunk in data`` do the right thing on an image without data.
    """

    @property
    def wrapped(self) -> None:
        return None

    def __bool__(self) -> bool:
        return False

    def __iter__(self) -> collections.abc.Iterator[ty.Any]:
        return iter(())

    def __repr__(self) -> str:
        return "<Empty request_ids=%r>" % (self.request_ids,)


def empty(response: requests.Response) -> Empty:
    """An :class:`Empty` result for ``response``."""
    return attach(Empty(), response)


def pair(response: requests.Response, body: ty.Any) -> ResponseResult:
    """A :class:`ResponseResult` for ``response``."""
    return attach(ResponseResult((response, body)), response)


class ResultGenerator(collections.abc.Iterator[T]):
    """The items of a list call, fetched page by page as they are read.

    It passes ``inspect.isgenerator`` (nova ``list()``-s exactly such
    results inside its retry loop) and gathers the request id of each page
    in ``request_ids``.
    """

    def __init__(
        self, pages: collections.abc.Generator[T, None, None], request_ids: list[str | None]
    ) -> None:
        self._pages = pages
        self.request_ids = request_ids

    # inspect.isgenerator() is isinstance(x, types.GeneratorType), and
    # isinstance() consults __class__ when type() does not match.
    @property  # type: ignore[misc]
    def __class__(self) -> type:  # noqa: D105
        return types.GeneratorType

    @property
    def wrapped(self) -> ResultGenerator[T]:
        return self

    def __iter__(self) -> ResultGenerator[T]:
        return self

    def __next__(self) -> T:
        return next(self._pages)

    def send(self, value: None) -> T:
        """Generator protocol: resume (the value is ignored)."""
        return self._pages.send(value)

    def throw(self, *args: ty.Any) -> T:
        """Generator protocol: raise inside the pagination."""
        return self._pages.throw(*args)

    def close(self) -> None:
        """Stop fetching pages."""
        self._pages.close()
