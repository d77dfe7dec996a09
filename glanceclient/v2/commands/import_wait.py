"""``--wait`` of ``image-import`` and ``image-create-via-import``: follow
an import to its end.

Glance holds an image's import lock (the ``os_glance_import_task``
property) from the import call until the import task ends, and lists the
stores still being imported to in ``os_glance_importing_to_stores`` and
those that failed in ``os_glance_failed_import``. The import has ended
when the lock is released and no store is pending; it succeeded for each
store the image's ``stores`` lists, and as a whole when the image is
``active``. A failed import leaves the image in its former status
(``queued``, ``uploading``); the message of its task says why.
"""

from __future__ import annotations

import collections.abc
import time
import typing as ty

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.cli import messages
from glanceclient.cli import output

if ty.TYPE_CHECKING:
    from glanceclient.v2 import client as v2_client

#: Seconds ``--wait`` waits by default, and between two looks at the image.
WAIT_TIMEOUT = 3600.0
WAIT_INTERVAL = 2.0

LOCK = "os_glance_import_task"
IMPORTING = "os_glance_importing_to_stores"
FAILED = "os_glance_failed_import"

IMPORTED = "imported"
FAILED_RESULT = "failed"


def _stores(value: ty.Any) -> list[str]:
    """A comma-separated list of stores as Glance keeps it in a property."""
    if not isinstance(value, str):
        return []
    return [store.strip() for store in value.split(",") if store.strip()]


class Outcome(ty.NamedTuple):
    """How an import ended.

    :ivar image: the image as it was last seen.
    :ivar stores: the result per store, ``imported`` or ``failed``, in the
        order asked (empty for an import to one, unnamed, store).
    """

    image: ty.Any
    stores: dict[str, str]

    @property
    def ok(self) -> bool:
        """The image is active and no store failed."""
        return self.image.get("status") == "active" and FAILED_RESULT not in self.stores.values()


def follow(
    gc: v2_client.Client,
    image_id: str,
    stores: collections.abc.Sequence[str] = (),
    *,
    every_store: bool = False,
    timeout: float = WAIT_TIMEOUT,
    interval: float = WAIT_INTERVAL,
    sleep: collections.abc.Callable[[float], None] = time.sleep,
    clock: collections.abc.Callable[[], float] = time.monotonic,
) -> Outcome:
    """Wait until an import started on ``image_id`` has ended.

    :param stores: the stores asked for (``--stores``, ``--store``).
    :param every_store: the import was to every store (``--all-stores``):
        the result names each store the image is in or failed to reach.
    :raises glanceclient.exc.CommandError: still importing after ``timeout``
        seconds.
    """
    deadline = clock() + timeout
    while True:
        image = gc.images.get(image_id)
        pending = _stores(image.get(IMPORTING))
        if LOCK not in image and not pending and image.get("status") != "importing":
            break
        if clock() + interval > deadline:
            raise exc.CommandError(
                _("Image %(id)s is still importing after %(seconds)g seconds%(pending)s.")
                % {
                    "id": image_id,
                    "seconds": timeout,
                    "pending": (_(" (stores left: %s)") % ", ".join(pending)) if pending else "",
                }
            )
        sleep(interval)
    imported, failed = _stores(image.get("stores")), _stores(image.get(FAILED))
    multi = stores or every_store or failed
    names = list(dict.fromkeys([*stores, *imported, *failed])) if multi else []
    results = {
        name: IMPORTED if name in imported and name not in failed else FAILED_RESULT
        for name in names
    }
    return Outcome(image, results)


def failure_reason(gc: v2_client.Client, image_id: str) -> str | None:
    """The message of the image's last import task, when the server tells."""
    try:
        tasks = gc.images.get_associated_image_tasks(image_id).get("tasks") or []
    except exc.ClientException:
        return None  # older than Image API 2.12, or not allowed to see tasks
    messages = [t.get("message") for t in tasks if t.get("type") == "api_image_import"]
    return next((str(m) for m in reversed(messages) if m), None)


def print_stores(outcome: Outcome) -> None:
    """The per-store results of a multi-store import, as a table."""
    if outcome.stores:
        output.print_list(list(outcome.stores.items()), ["Store", "Result"])


def exit_status(gc: v2_client.Client, outcome: Outcome, allow_failure: bool) -> int:
    """Say how the import ended, in one line when it did not succeed.

    :returns: 0 when it succeeded (with ``allow_failure``, when the image
        is active though some stores failed: a warning names them).
    :raises glanceclient.exc.CommandError: the import failed.
    """
    image_id = outcome.image.get("id")
    failed = [s for s, r in outcome.stores.items() if r == FAILED_RESULT]
    if outcome.ok:
        return 0
    if outcome.image.get("status") == "active":
        text = _("Image %(id)s was not imported to store(s) %(stores)s.") % {
            "id": image_id,
            "stores": ", ".join(failed),
        }
        if allow_failure:
            messages.warning(text)
            return 0
        raise exc.CommandError(text)
    reason = failure_reason(gc, image_id)
    raise exc.CommandError(
        _("The import of image %(id)s failed; it is %(status)s%(reason)s.")
        % {
            "id": image_id,
            "status": outcome.image.get("status"),
            "reason": (": %s" % reason.rstrip(".")) if reason else "",
        }
    )
