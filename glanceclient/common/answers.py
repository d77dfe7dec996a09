"""Reading answers: JSON bodies within a cap and a deadline, image data a
chunk at a time, JSON decoding.

A JSON answer is read whole, but never beyond a size cap (a hostile server
cannot exhaust memory) nor past the call's deadline (a body that trickles
in cannot hold the caller for ever). Image data is streamed: the timeout
then bounds each wait for data, not the whole transfer.
"""

from __future__ import annotations

import json
import time
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.common import faults

if ty.TYPE_CHECKING:
    import collections.abc

    import requests

#: The largest JSON answer read, once decompressed: far beyond any real
#: answer, small enough that a hostile server cannot exhaust memory.
DEFAULT_MAX_JSON_SIZE = 64 * 1024 * 1024
#: How much of an error answer is read to quote the server's message.
MAX_ERROR_BODY = 64 * 1024
#: The size of each read from the network, and of each chunk of image data
#: read from a file and sent: 1 MiB (see the commit that chose it for the
#: measurements).
CHUNK_SIZE = 1024 * 1024
#: The largest Content-Length believed (a signed 64-bit size).
MAX_CONTENT_LENGTH = 2**63 - 1


def content_length(response: requests.Response) -> int | None:
    """An answer's ``Content-Length``, or None when it has none or one that
    is not a byte count. Repeated identical values (``5, 5``, as a proxy
    joins repeated headers) are that value, as HTTP allows."""
    values = {v.strip() for v in response.headers.get("Content-Length", "").split(",")}
    if len(values) != 1:
        return None
    value = values.pop()
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_CONTENT_LENGTH:
        return None
    return int(value)


def too_large(url: str, limit: int) -> exc.ResponseTooLarge:
    """The error for an answer larger than ``limit`` bytes."""
    return exc.ResponseTooLarge(
        _("The answer of %(url)s is larger than %(limit)d bytes; it was not read further.")
        % {"url": exc.redact_url(url), "limit": limit},
        url=url,
    )


def read(
    response: requests.Response,
    url: str,
    limit: int,
    deadline: float | None,
    seconds: float | None,
    *,
    cut: bool = False,
) -> bytes:
    """Read a body, at most ``limit`` bytes, before ``deadline``.

    :param url: the URL requested, for errors.
    :param deadline: when the call must be over (``time.monotonic()``).
    :param seconds: the call's timeout, named in the error.
    :param cut: keep the first ``limit`` bytes of a larger body rather
        than raise.
    :raises glanceclient.exc.ResponseTooLarge: a larger body (not cut).
    :raises glanceclient.exc.Timeout: the deadline passed.
    :raises glanceclient.exc.CommunicationError: the connection broke.
    """
    if response.raw.tell():
        # keystoneauth1 read it already, to log it (--debug).
        body = response.content[: limit + 1]
        if len(body) > limit and not cut:
            raise too_large(url, limit)
        return body[:limit]
    chunks = []
    size = 0
    complete = False
    sock = _socket_of(response)
    original = sock.gettimeout() if sock is not None else None
    try:
        while True:
            # One read at a time, each as soon as some data is there,
            # so that the deadline bounds a body that trickles in.
            _bound_wait(sock, deadline)
            chunk = response.raw.read1(CHUNK_SIZE, decode_content=True)
            if not chunk:
                complete = True
                break
            size += len(chunk)
            if size > limit:
                if cut:
                    chunks.append(chunk[: limit - size])
                    break
                raise too_large(url, limit)
            chunks.append(chunk)
    except exc.ClientException:
        raise
    except Exception as e:
        raise faults.read_error(e, url, seconds) from e
    finally:
        if sock is not None:
            try:
                sock.settimeout(original)
            except OSError:
                pass
        finish(response, complete)
    return b"".join(chunks)


def keep(response: requests.Response, body: bytes) -> None:
    """Make ``body`` the response's content, for ``.content``/``.text``."""
    # requests has no public way to give a response the body read for it.
    response._content = body
    response._content_consumed = True  # type: ignore[attr-defined]


def finish(response: requests.Response, complete: bool) -> None:
    """Give a read connection back to the pool, or drop a half-read one."""
    if complete:
        response.raw.release_conn()
    else:
        response.close()


def _socket_of(response: requests.Response) -> ty.Any:
    """The socket under a streamed response, when there is one."""
    connection = getattr(response.raw, "connection", None)
    return getattr(connection, "sock", None)


def _bound_wait(sock: ty.Any, deadline: float | None) -> None:
    """Let the next read wait no longer than until ``deadline``.

    :raises TimeoutError: the deadline has passed.
    """
    if deadline is None:
        return
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    if sock is not None:
        sock.settimeout(left)


def iter_body(
    response: requests.Response, chunk_size: int = CHUNK_SIZE, seconds: float | None = None
) -> collections.abc.Iterator[bytes]:
    """Yield a streamed answer's body a chunk at a time, then close it.

    The session's timeout bounds each wait for data, not the whole
    transfer, so that a large image takes as long as it needs.

    :param seconds: the timeout, named in the error.
    :raises glanceclient.exc.StreamTimeout: no data came for the timeout.
    :raises glanceclient.exc.StreamError: the connection failed before the
        whole body arrived.
    """
    complete = False
    try:
        yield from response.raw.stream(chunk_size, decode_content=True)
        complete = True
    except Exception as e:
        raise faults.read_error(e, response.url, seconds, stream=True) from e
    finally:
        finish(response, complete)


def decode_json(response: requests.Response) -> ty.Any:
    """Return the decoded JSON body of ``response``.

    :raises glanceclient.exc.InvalidResponse: if the body is not JSON (or
        is nested too deeply to decode).
    """
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):
        text = response.content.decode("utf-8", "replace")
        raise exc.InvalidResponse(
            _("The server at %(url)s answered something that is not JSON: %(body)r")
            % {"url": exc.redact_url(response.url), "body": exc.truncate(text, 120)},
            url=response.url,
            body=text,
        ) from None
