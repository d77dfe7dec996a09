"""Reading a collection page by page, following the server's ``next``."""

from __future__ import annotations

import collections.abc
import typing as ty
from urllib import parse

from glanceclient import exc
from glanceclient import vocabulary
from glanceclient._i18n import _
from glanceclient.common import results

if ty.TYPE_CHECKING:
    from glanceclient.common import http

T = ty.TypeVar("T")
Query = list[tuple[str, ty.Any]]


def check_arguments(kwargs: collections.abc.Mapping[str, ty.Any], *known: str) -> None:
    """Refuse keyword arguments a list call does not take.

    :raises TypeError: naming the unknown ones.
    """
    unknown = set(kwargs) - set(known)
    if unknown:
        raise TypeError(
            _("list() got unexpected arguments: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )


def simple_query(
    kwargs: collections.abc.Mapping[str, ty.Any], sort_keys: collections.abc.Sequence[str]
) -> Query:
    """The query of a list with one sort key (tasks, namespaces).

    ``filters`` come first, a list or tuple value sent comma-separated
    (``resource_types`` takes several names so) and None values left out;
    the caller's ``filters`` is not changed. Then ``sort_key``,
    ``sort_dir`` and ``marker``.

    :raises glanceclient.exc.InvalidArgument: a sort key or direction the
        server does not know (also a :class:`ValueError`, as upstream).
    """
    query: Query = []
    for key, value in (kwargs.get("filters") or {}).items():
        if isinstance(value, (list, tuple)):
            query.append((key, ",".join(str(v) for v in value)))
        elif value is not None:
            query.append((key, value))
    for name, allowed in (("sort_key", sort_keys), ("sort_dir", vocabulary.SORT_DIR_VALUES)):
        value = kwargs.get(name)
        if value is None:
            continue
        if value not in allowed:
            raise exc.InvalidArgument(
                _("%(name)s %(value)r is not one of: %(allowed)s.")
                % {"name": name, "value": value, "allowed": ", ".join(allowed)}
            )
        query.append((name, value))
    if kwargs.get("marker") is not None:
        query.append(("marker", kwargs["marker"]))
    return query


def _page_key(path: str, query: Query) -> tuple[str, tuple[tuple[str, str], ...]]:
    """What tells two pages apart: the path and the query, but its
    ``limit`` (which the client sets itself)."""
    return path, tuple(sorted((str(k), str(v)) for k, v in query if k != "limit"))


def _with_limit(query: Query, limit: int) -> Query:
    return [(k, v) for k, v in query if k != "limit"] + [("limit", limit)]


def paginate(
    http_client: http.SessionClient,
    path: str,
    query: Query,
    *,
    key: str,
    make: collections.abc.Callable[[ty.Any], T],
    page_size: int | None,
    limit: int | None = None,
) -> results.ResultGenerator[T]:
    """List a collection lazily: a page is fetched when it is needed.

    :param path: the collection's path (``/v2/images``).
    :param query: the first page's query, as pairs (keys may repeat).
    :param key: the key of the items in each page (``images``).
    :param make: builds a result from each item.
    :param page_size: items asked for per page (None: the server's choice).
    :param limit: items to return at most (None or 0: all).
    :returns: a generator of the items; its ``request_ids`` gathers the
        request id of each page.
    :raises glanceclient.exc.InvalidResponse: a page of the wrong shape,
        or a ``next`` link to a page already read (which would loop).
    """
    request_ids: list[str | None] = []

    def pages() -> collections.abc.Generator[T, None, None]:
        remaining = limit or None
        next_path, next_query = path, query
        read: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
        while True:
            page = _page_key(next_path, next_query)
            if page in read:
                raise exc.InvalidResponse(
                    _(
                        "The server's next link points to a page already read "
                        "(%(url)s); the listing stopped there."
                    )
                    % {"url": exc.truncate(next_path + "?" + parse.urlencode(next_query), 200)}
                )
            read.add(page)
            size = min(x for x in (page_size, remaining) if x) if (page_size or remaining) else None
            if size is not None:
                next_query = _with_limit(next_query, size)
            response, body = http_client.json_request("GET", next_path, params=next_query)
            request_ids.append(results.request_id(response))
            items = body.get(key) if isinstance(body, dict) else body
            items = results.expect(response, items, list, _("list"))
            for item in items:
                yield make(item)
                if remaining is not None:
                    remaining -= 1
                    if remaining <= 0:
                        return
            link = body.get("next") if isinstance(body, dict) else None
            if not items or not isinstance(link, str) or not link:
                return
            parts = parse.urlsplit(link)
            next_path, next_query = parts.path, parse.parse_qsl(parts.query, keep_blank_values=True)

    return results.ResultGenerator(pages(), request_ids)


def simple_list(
    http_client: http.SessionClient,
    path: str,
    kwargs: collections.abc.Mapping[str, ty.Any],
    *,
    key: str,
    make: collections.abc.Callable[[ty.Any], T],
    sort_keys: collections.abc.Sequence[str],
    default_page_size: int,
) -> results.ResultGenerator[T]:
    """:func:`paginate` a list call of one sort key (tasks, namespaces).

    :param kwargs: the call's ``filters``, ``limit``, ``page_size``,
        ``marker``, ``sort_key`` and ``sort_dir`` (see
        :func:`simple_query`).
    :raises TypeError: another keyword argument.
    :raises glanceclient.exc.InvalidArgument: an unknown sort key or
        direction.
    """
    check_arguments(kwargs, "filters", "limit", "page_size", "marker", "sort_key", "sort_dir")
    return paginate(
        http_client,
        path,
        simple_query(kwargs, sort_keys),
        key=key,
        make=make,
        page_size=kwargs.get("page_size") or default_page_size,
        limit=kwargs.get("limit"),
    )
