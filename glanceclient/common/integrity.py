"""Checking downloaded image data against the image record: its size, and
the hashes Glance recorded."""

from __future__ import annotations

import collections.abc
import hashlib
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _

if ty.TYPE_CHECKING:
    import requests

MD5 = "md5"


def hasher(algorithm: str) -> ty.Any:
    """A new hash object for ``algorithm`` (a :mod:`hashlib` name).

    :raises glanceclient.exc.UnknownHashAlgorithm: (a :class:`ValueError`)
        an algorithm this Python does not have, or one without a fixed
        digest size (``shake_128``).
    """
    if algorithm.lower() == MD5:
        # Not for security: it checks a transfer (and works under FIPS).
        return hashlib.md5(usedforsecurity=False)
    try:
        digest = hashlib.new(algorithm)
    except (ValueError, TypeError):
        digest = None
    if digest is None or not digest.digest_size:
        raise exc.UnknownHashAlgorithm(
            _("The image's hash algorithm %(algorithm)r is not available here.")
            % {"algorithm": exc.truncate(algorithm, 40)}
        )
    return digest


def _hex_field(image: collections.abc.Mapping[str, ty.Any], name: str) -> str | None:
    """A hash value of the image record, which must be a string if set.

    :raises glanceclient.exc.InvalidResponse: it is something else.
    """
    value = image.get(name)
    if value is None or value == "" or isinstance(value, str):
        return value or None
    raise exc.InvalidResponse(
        _("The image's %(name)s is not a string: %(value)s")
        % {"name": name, "value": exc.truncate(repr(value), 60)}
    )


def verified(
    chunks: collections.abc.Iterable[bytes],
    algorithm: str,
    expected: str,
    what: str,
) -> collections.abc.Iterator[bytes]:
    """Yield ``chunks``, then check their hash against ``expected``.

    :param what: ``Hash`` or ``Checksum``, as the error names it.
    :raises glanceclient.exc.CorruptDownload: (an :class:`OSError` with
        errno ``EPIPE``) after the last chunk, on a mismatch.
    """
    # Imported here, by a download only: every command that loads the image
    # controllers (whose downloads check their data here) pays the start-up
    # of a module imported at the top.
    from concurrent import futures

    digest = hasher(algorithm)
    # The hash runs in a thread of its own (hashlib lets go of the GIL for
    # large buffers) while the next chunk is read and this one written: a
    # download then takes about as long as the slower of the two, not the
    # sum of both.
    with futures.ThreadPoolExecutor(1, thread_name_prefix="glanceclient-hash") as pool:
        hashing: futures.Future[None] | None = None
        for chunk in chunks:
            if hashing is not None:
                hashing.result()
            hashing = pool.submit(digest.update, chunk)
            yield chunk
        if hashing is not None:
            hashing.result()
    found = digest.hexdigest()
    if found != expected.lower():
        raise exc.CorruptDownload(
            _("Corrupt image download. %(what)s was %(found)s expected %(expected)s")
            % {"what": what, "found": found, "expected": expected}
        )


def check(
    chunks: collections.abc.Iterable[bytes],
    image: collections.abc.Mapping[str, ty.Any] | None,
    response: requests.Response,
    allow_md5_fallback: bool = False,
) -> collections.abc.Iterable[bytes]:
    """Wrap downloaded ``chunks`` in the strongest check available.

    In order: the image's multihash (``os_hash_algo``/``os_hash_value``);
    then, if the multihash algorithm is unknown here and
    ``allow_md5_fallback``, or there is no multihash, its MD5
    ``checksum``; then the answer's ``Content-MD5``. With none of them the
    data is not checked.

    :raises glanceclient.exc.UnknownHashAlgorithm: (a :class:`ValueError`)
        the image's multihash algorithm is unknown here and
        ``allow_md5_fallback`` is false (raised at once).
    :raises glanceclient.exc.InvalidResponse: a hash value of the record
        that is not a string.
    """
    image = image or {}
    algorithm, value = image.get("os_hash_algo"), _hex_field(image, "os_hash_value")
    if value:
        try:
            hasher(str(algorithm))
        except exc.UnknownHashAlgorithm:
            if not allow_md5_fallback:
                raise
        else:
            return verified(chunks, str(algorithm), value, "Hash")
    checksum = _hex_field(image, "checksum") or response.headers.get("Content-MD5")
    if checksum:
        return verified(chunks, MD5, checksum, "Checksum")
    return chunks


def too_long(where: str, size: int) -> exc.StreamError:
    """The error for image data longer than the image.

    :param where: the URL the data came from.
    """
    return exc.StreamError(
        _("%(url)s sent more than the image's %(size)d bytes.")
        % {"url": exc.redact_url(where), "size": size}
    )


def too_short(where: str, received: int, size: int) -> exc.StreamError:
    """The error for image data that ended before the image's size.

    :param where: the URL the data came from.
    """
    return exc.StreamError(
        _("The download from %(url)s ended after %(got)d of %(size)d bytes.")
        % {"url": exc.redact_url(where), "got": received, "size": size}
    )


def exactly(
    chunks: collections.abc.Iterator[bytes], size: int, where: str
) -> collections.abc.Iterator[bytes]:
    """Yield image data that must be ``size`` bytes: a chunk that runs past
    the end is not yielded and the body is closed (an endless one is read
    no further); a body that ends short fails after its last chunk.

    :param where: the URL the data comes from, for the errors.
    :raises glanceclient.exc.StreamError: longer or shorter than ``size``.
    """
    received = 0
    try:
        for chunk in chunks:
            received += len(chunk)
            if received > size:
                raise too_long(where, size)
            yield chunk
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    if received < size:
        raise too_short(where, received, size)
