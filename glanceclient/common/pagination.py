"""Reading a collection page by page, following the server's ``next``."""

from __future__ import annotations

import collections.abc
import typing as ty
from urllib import parse

from glanceclient._i18n import _
from glanceclient.common import results

if ty.TYPE_CHECKING:
    from glanceclient.common import http

T = ty.TypeVar("T")
Query = list[tuple[str, ty.Any]]


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
    :raises glanceclient.exc.InvalidResponse: a page of the wrong shape.
    """
    request_ids: list[str | None] = []

    def pages() -> collections.abc.Generator[T, None, None]:
        remaining = limit or None
        next_path, next_query = path, query
        while True:
            size = min(x for x in (page_size, remaining) if x) if (page_size or remaining) else None
            if size is not None:
                next_query = _with_limit(next_query, size)
            response, body = http_client.json_request("GET", next_path, params=next_query)
            request_ids.append(results.request_id(response))
            items = body.get(key) if isinstance(body, dict) else body
            items = results.checked(response, items, list, _("list"))
            for item in items:
                yield make(item)
                if remaining is not None:
                    remaining -= 1
                    if remaining <= 0:
                        return
            link = body.get("next")
            if not items or not isinstance(link, str) or not link:
                return
            parts = parse.urlsplit(link)
            next_path, next_query = parts.path, parse.parse_qsl(parts.query, keep_blank_values=True)

    return results.ResultGenerator(pages(), request_ids)
