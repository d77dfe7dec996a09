"""What the ``glance`` commands that send image data share: where the data
comes from, sending it (upload, stage) with a progress bar, and the options,
checks and end of an import.

Used by ``image-upload``, ``image-stage`` and ``image-import``
(:mod:`glanceclient.v2.commands.image_data`) and by ``image-create`` and
``image-create-via-import`` (:mod:`glanceclient.v2.commands.images`).

Data comes from ``--file``, or from stdin when no ``--file`` is given and
stdin is a pipe, a socket or a regular file: a terminal or ``/dev/null``
(cron jobs, scripts) is not data.
"""

from __future__ import annotations

import argparse
import collections.abc
import contextlib
import os
import stat
import sys
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.cli import errors
from glanceclient.cli import messages
from glanceclient.cli import options
from glanceclient.cli import progress as progress_bar
from glanceclient.cli import schema_options
from glanceclient.cli.args import arg
from glanceclient.cli.args import group
from glanceclient.common import uploads
from glanceclient.v2.commands import common
from glanceclient.v2.commands import import_wait

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

F = ty.TypeVar("F", bound=ty.Callable[..., ty.Any])


STORE = arg(
    "--store",
    metavar="<STORE>",
    help=_("Backend store to upload image to (env OS_IMAGE_STORE)."),
)
SIZE = arg("--size", metavar="<IMAGE_SIZE>", type=int, help=_("Size in bytes of the image data."))
UPLOAD_PROGRESS = arg("--progress", action="store_true", help=_("Show upload progress bar."))


class ImageData(ty.NamedTuple):
    """Image data to send, and what is known of it."""

    stream: ty.BinaryIO
    size: int | None
    #: How the user gave it, for messages (``--file`` or ``stdin``).
    option: str
    #: Whether the command opened it (and so closes it).
    owned: bool


def _stdin_data() -> ty.BinaryIO | None:
    """stdin, if it holds data: a pipe, a socket or a regular file."""
    stdin = sys.stdin
    if stdin is None or stdin.isatty():
        return None
    try:
        mode = os.fstat(stdin.fileno()).st_mode
    except (OSError, ValueError):
        mode = stat.S_IFIFO  # no descriptor: an in-memory stream
    if not (stat.S_ISFIFO(mode) or stat.S_ISREG(mode) or stat.S_ISSOCK(mode)):
        return None
    return ty.cast(ty.BinaryIO, getattr(stdin, "buffer", stdin))


def open_data(path: str | None, size: int | None) -> ImageData | None:
    """The image data the command line gives, if any.

    :param path: ``--file``.
    :param size: ``--size``: checked against a file's size, sent as the
        size of a pipe's data.
    :raises glanceclient.exc.CommandError: an unreadable file, or a
        ``--size`` that is not the file's.
    """
    if size is not None and size < 0:
        raise exc.CommandError(_("--size must be 0 or more bytes."))
    if path:
        try:
            stream: ty.BinaryIO | None = open(path, "rb")  # noqa: SIM115 - closed by closing()
        except OSError as e:
            raise exc.CommandError(
                _("Unable to read image data from %(file)s: %(reason)s")
                % {"file": path, "reason": e.strerror or e}
            ) from None
        option, owned = "--file", True
    else:
        stream = _stdin_data()
        option, owned = "stdin", False
    if stream is None:
        return None
    actual = uploads.regular_file_size(stream)
    if size is not None and actual is not None and size != actual:
        if owned:
            stream.close()
        raise exc.CommandError(
            _("Size mismatch: --size is %(given)d bytes, but %(source)s has %(actual)d.")
            % {"given": size, "source": path or "stdin", "actual": actual}
        )
    return ImageData(stream, actual if actual is not None else size, option, owned)


@contextlib.contextmanager
def closing(data: ImageData | None) -> collections.abc.Iterator[None]:
    """Close the data's file at the end, if the command opened it."""
    try:
        yield
    finally:
        if data is not None and data.owned:
            data.stream.close()


def _send(
    send: collections.abc.Callable[[ty.Any], ty.Any],
    data: ImageData,
    progress: bool,
    image_id: str,
    what: str,
    created: bool,
) -> None:
    """Send data (``send(stream)``), with a progress bar when asked; say
    which image is left without it when that fails."""
    bar = progress_bar.ProgressBar(data.size if progress else None)
    stream = progress_bar.ReaderWithProgress(data.stream, bar) if progress else data.stream
    try:
        with bar:  # an error is printed on a line of its own
            send(stream)
    except exc.ClientException as e:
        if not created:
            raise
        raise exc.CommandError(
            _("Image %(id)s was created, but %(what)s its data failed: %(error)s")
            % {"id": image_id, "what": what, "error": errors.one_line(e)}
        ) from e
    except OSError as e:
        raise exc.CommandError(
            _("Unable to read the image data: %(reason)s") % {"reason": e.strerror or e}
        ) from e
    except KeyboardInterrupt:
        if created:
            messages.warning(
                _("Image %(id)s was created; its data was not uploaded.") % {"id": image_id}
            )
        raise


def upload(
    gc: v2_client.Client,
    image_id: str,
    data: ImageData,
    progress: bool,
    *,
    store: str | None = None,
    created: bool = False,
) -> None:
    """Upload image data (``PUT /v2/images/{id}/file``)."""
    _send(
        lambda stream: gc.images.upload(image_id, stream, image_size=data.size, backend=store),
        data,
        progress,
        image_id,
        _("uploading"),
        created,
    )


def stage(
    gc: v2_client.Client, image_id: str, data: ImageData, progress: bool, *, created: bool = False
) -> None:
    """Stage image data for glance-direct (``PUT /v2/images/{id}/stage``)."""
    _send(
        lambda stream: gc.images.stage(image_id, stream, image_size=data.size),
        data,
        progress,
        image_id,
        _("staging"),
        created,
    )


def check_stores(gc: v2_client.Client, stores: collections.abc.Iterable[str]) -> None:
    """Refuse stores the cloud does not have (when it lists its stores).

    :raises glanceclient.exc.CommandError: an unknown store.
    """
    try:
        known = {store.get("id") for store in gc.images.get_stores_info().get("stores") or ()}
    except exc.HTTPNotFound:
        return  # Not a multi-store cloud: the server will judge.
    for store in stores:
        if store not in known:
            raise exc.CommandError(
                _("Store %(store)s is not valid for this cloud; valid stores: %(known)s.")
                % {"store": store, "known": ", ".join(sorted(str(k) for k in known))}
            )


def _stores(args: argparse.Namespace) -> list[str] | None:
    if not args.stores:
        return None
    return [store.strip() for store in args.stores.split(",") if store.strip()]


def check_import(
    gc: v2_client.Client, args: argparse.Namespace, method: str, *, has_data: bool | None
) -> None:
    """Refuse an import the options or the cloud make impossible.

    :param has_data: whether image data was given; None when the command
        takes none (image-import: the data is already staged).
    :raises glanceclient.exc.CommandError: what is wrong, in one line.
    """
    if args.uri and method != "web-download":
        raise exc.CommandError(_("--uri is only for the web-download import method."))
    if method == "web-download" and not args.uri:
        raise exc.CommandError(_("The web-download import method needs --uri <uri>."))
    if method == "glance-download" and not (args.remote_region and args.remote_image_id):
        raise exc.CommandError(
            _("The glance-download import method needs --remote-region and --remote-image-id.")
        )
    if has_data and method != "glance-direct":
        raise exc.CommandError(
            _("Image data (--file or stdin) is only for the glance-direct import method.")
        )
    if has_data is False and method == "glance-direct":
        raise exc.CommandError(
            _("The glance-direct import method needs image data: give --file or pipe it to stdin.")
        )
    stores = _stores(args)
    if sum(bool(x) for x in (args.store, stores, args.all_stores)) > 1:
        raise exc.CommandError(_("Give only one of --store, --stores and --all-stores."))
    methods = gc.images.get_import_info().get("import-methods", {}).get("value") or []
    if method not in methods:
        raise exc.CommandError(
            _("Import method %(method)s is not offered by this cloud; it offers: %(methods)s.")
            % {"method": method, "methods": ", ".join(methods) or _("none")}
        )
    wanted = stores or ([args.store] if args.store else [])
    if wanted:
        check_stores(gc, wanted)


def import_settings(args: argparse.Namespace, default_method: str | None) -> None:
    """Fill the import options left unset from the environment and defaults."""
    common.from_environment(
        args,
        import_method="OS_IMAGE_IMPORT_METHOD",
        store="OS_IMAGE_STORE",
        stores="OS_IMAGE_STORES",
        allow_failure="OS_IMAGE_ALLOW_FAILURE",
    )
    if args.import_method is None:
        args.import_method = default_method
    if isinstance(args.allow_failure, str):
        try:
            args.allow_failure = schema_options.boolean(args.allow_failure)
        except argparse.ArgumentTypeError as e:
            raise exc.CommandError("OS_IMAGE_ALLOW_FAILURE: %s" % e) from None
    elif args.allow_failure is None:
        args.allow_failure = True


def start_import(
    gc: v2_client.Client, image_id: str, args: argparse.Namespace, method: str
) -> None:
    """Ask the server to import the image (``POST /v2/images/{id}/import``)."""
    gc.images.image_import(
        image_id,
        method=method,
        uri=args.uri,
        remote_region=args.remote_region,
        remote_image_id=args.remote_image_id,
        remote_service_interface=args.remote_service_interface,
        backend=args.store,
        stores=_stores(args),
        allow_failure=args.allow_failure,
        all_stores=args.all_stores,
    )


def import_options(default_method: str | None) -> ty.Callable[[F], F]:
    """The options of image-import and image-create-via-import."""
    method_help = _("Import method used for image import (env OS_IMAGE_IMPORT_METHOD).")
    if default_method:
        method_help += " " + _("Default: %(method)s.") % {"method": default_method}
    return group(
        arg(
            "--import-method",
            metavar="<METHOD>",
            help=method_help,
        ),
        arg("--uri", metavar="<IMAGE_URL>", help=_("URI to download the external image.")),
        arg(
            "--remote-region",
            metavar="<GLANCE_REGION>",
            help=_("Remote Glance region to download the image from (glance-download)."),
        ),
        arg(
            "--remote-image-id",
            metavar="<REMOTE_IMAGE_ID>",
            help=_("The ID of the image to import from the remote Glance (glance-download)."),
        ),
        arg(
            "--remote-service-interface",
            metavar="<REMOTE_SERVICE_INTERFACE>",
            default="public",
            help=_("The interface of the remote Glance service (default: public)."),
        ),
        STORE,
        arg(
            "--stores",
            metavar="<STORES>",
            help=_("Comma-separated list of stores to import to (env OS_IMAGE_STORES)."),
        ),
        arg(
            "--all-stores",
            type=schema_options.boolean,
            metavar="[True|False]",
            default=None,
            help=_("Import to every store of the cloud."),
        ),
        arg(
            "--allow-failure",
            type=schema_options.boolean,
            metavar="[True|False]",
            help=_(
                "With --stores or --all-stores: succeed even if some stores fail "
                "(default True; env OS_IMAGE_ALLOW_FAILURE)."
            ),
        ),
        arg(
            "--wait",
            action="store_true",
            help=_(
                "Follow the import until it ends: show the image then (and the result "
                "per store of a multi-store import); fail if the import failed."
            ),
        ),
        arg(
            "--wait-timeout",
            metavar="<SECONDS>",
            type=options.positive_float,
            default=import_wait.WAIT_TIMEOUT,
            help=_("With --wait: seconds to wait in all (default %(t)g).")
            % {"t": import_wait.WAIT_TIMEOUT},
        ),
    )


def finish_import(gc: v2_client.Client, image_id: str, args: argparse.Namespace) -> int:
    """Show the image once its import was asked for; with ``--wait``, once
    the import ended, with the result per store of a multi-store import.

    :returns: the exit status.
    :raises glanceclient.exc.CommandError: (with ``--wait``) the import
        failed, or did not end within ``--wait-timeout``.
    """
    if not args.wait:
        common.print_image(gc.images.get(image_id))
        return 0
    stores = _stores(args) or ([args.store] if args.store else [])
    outcome = import_wait.follow(
        gc,
        image_id,
        stores,
        every_store=bool(args.all_stores),
        timeout=args.wait_timeout,
        interval=import_wait.WAIT_INTERVAL,
    )
    common.print_image(outcome.image)
    import_wait.print_stores(outcome)
    return import_wait.exit_status(gc, outcome, args.allow_failure)
