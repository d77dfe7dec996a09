"""Where ``glance image-download --file`` writes: the file named, and only it.

- A name that does not exist yet becomes a new file, atomically: the data
  goes to a hidden temporary file beside it (``.NAME.XXXXXXXX.part``, mode
  0666 less the umask), renamed to the name once complete and verified. A
  failed or interrupted download leaves nothing behind.
- A symbolic link is followed, never replaced: what it points to is
  written (created as above when it does not exist yet). ``/dev/stdout``,
  ``/dev/fd/1`` and ``/proc/self/fd/1`` write to whatever stdout is.
- Something that is not a regular file (a character or block device, a
  FIFO, a terminal, a pipe behind ``/proc/self/fd/N``) is written to
  directly, as the data arrives.
- An existing regular file is rewritten in place, so that it stays the same
  file: its mode, owner, ACLs, extended attributes and hard links are kept.
  It is opened for writing before anything is downloaded (a file the user
  may not write fails at once, untouched); the data goes to a temporary
  file beside it, and only once complete and verified is it copied into the
  file. Where no temporary file can be made beside it (a directory the
  user cannot write, a read-only or pseudo file system), the data is
  written straight into the file as it arrives.
"""

from __future__ import annotations

import collections.abc
import contextlib
import os
import stat
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _

#: Chunks a download may hold between the network and the disk.
QUEUED_CHUNKS = 8
#: How much is copied at a time from a verified temporary file in place.
COPY_SIZE = 1024 * 1024


def write(chunks: collections.abc.Iterable[bytes], path: str) -> None:
    """Write ``chunks`` to ``path`` (see the module's description).

    :raises glanceclient.exc.CommandError: ``path`` cannot be written.
    """
    try:
        mode: int | None = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as e:
        raise _cannot_write(path, e) from None
    if mode is None:
        _write_new(chunks, path)
    elif stat.S_ISREG(mode):
        _write_in_place(chunks, path)
    elif stat.S_ISDIR(mode):
        raise _cannot_write(path, IsADirectoryError(_("Is a directory")))
    else:
        try:
            out = open(path, "wb")  # noqa: SIM115 - closed below
        except OSError as e:
            raise _cannot_write(path, e) from None
        with out:
            copy(chunks, out, path)


def _cannot_write(path: str, error: OSError) -> exc.CommandError:
    return exc.CommandError(
        _("Unable to write %(file)s: %(reason)s")
        % {"file": path, "reason": error.strerror or error}
    )


def _temporary(target: str) -> tuple[int, str]:
    """A new hidden file beside ``target``: its descriptor and name.

    :raises OSError: none can be made there.
    """
    import tempfile

    return tempfile.mkstemp(
        dir=os.path.dirname(target) or ".",
        prefix="." + os.path.basename(target) + ".",
        suffix=".part",
    )


def _write_new(chunks: collections.abc.Iterable[bytes], path: str) -> None:
    """Create ``path`` (or what the link ``path`` points to) atomically."""
    # A dangling link: create what it points to, and keep the link.
    target = os.path.realpath(path) if os.path.islink(path) else os.path.abspath(path)
    try:
        handle, partial = _temporary(target)
    except OSError as e:
        raise _cannot_write(path, e) from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(handle, 0o666 & ~umask)
        with os.fdopen(handle, "wb") as out:
            copy(chunks, out, path)
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise


def _write_in_place(chunks: collections.abc.Iterable[bytes], path: str) -> None:
    """Rewrite the existing regular file ``path``, keeping its inode."""
    try:
        out = open(path, "r+b")  # noqa: SIM115 - closed below
    except OSError as e:
        raise _cannot_write(path, e) from None
    with out:
        try:
            handle, partial = _temporary(os.path.realpath(path))
        except OSError:
            # Nowhere to verify the data first: write it as it comes.
            out.truncate(0)
            copy(chunks, out, path)
            return
        try:
            with os.fdopen(handle, "w+b") as verified:
                copy(chunks, verified, path)
                verified.seek(0)
                out.truncate(0)
                _copy_file(verified, out, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(partial)


def _copy_file(source: ty.BinaryIO, out: ty.BinaryIO, name: str) -> None:
    """Copy ``source`` into ``out`` from where each is."""
    try:
        while piece := source.read(COPY_SIZE):
            out.write(piece)
        out.flush()
    except OSError as e:
        raise _download_error(name, e) from e


def _download_error(name: str, error: OSError) -> exc.CommandError:
    reason = error.strerror if error.filename is None and error.strerror else str(error)
    return exc.CommandError(
        _("Unable to download the image to %(file)s: %(reason)s") % {"file": name, "reason": reason}
    )


def copy(chunks: collections.abc.Iterable[bytes], out: ty.BinaryIO, name: str) -> None:
    """Write ``chunks`` to ``out``: the disk in a thread of its own.

    Receiving and checking the hash (in this thread) overlap with writing
    (in the other): both release the GIL, so a download costs the slower
    of the two rather than their sum. At most :data:`QUEUED_CHUNKS` chunks
    wait in between.

    :param name: the destination, for messages.
    :raises glanceclient.exc.CommandError: ``out`` cannot be written.
    """
    import queue
    import threading

    pending: queue.Queue[bytes | None] = queue.Queue(QUEUED_CHUNKS)
    failed: list[BaseException] = []

    def writer() -> None:
        try:
            while (chunk := pending.get()) is not None:
                out.write(chunk)
            out.flush()
        except BaseException as e:  # handed to the other thread
            failed.append(e)
            while pending.get() is not None:
                pass  # let the other thread finish putting

    thread = threading.Thread(target=writer, name="glance-download-writer", daemon=True)
    thread.start()
    try:
        for chunk in chunks:
            if failed:
                break
            pending.put(chunk)
    finally:
        pending.put(None)
        thread.join()
    if failed:
        e = failed[0]
        if isinstance(e, OSError):
            raise _download_error(name, e) from e
        raise e
