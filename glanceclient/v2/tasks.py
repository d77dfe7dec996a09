"""Tasks: the server's record of asynchronous work (``/v2/tasks``).

Glance creates an ``api_image_import`` task for each image import; the old
``import`` task type can also be created directly where a deployment
allows it.
"""

from __future__ import annotations

import typing as ty
from urllib import parse

from glanceclient import vocabulary
from glanceclient.common import models
from glanceclient.common import pagination
from glanceclient.common import results

if ty.TYPE_CHECKING:
    from glanceclient.common import http
    from glanceclient.v2 import schemas

DEFAULT_PAGE_SIZE = 20
SORT_DIR_VALUES = vocabulary.SORT_DIR_VALUES
SORT_KEY_VALUES = vocabulary.TASK_SORT_KEY_VALUES

TASKS = "/v2/tasks"


class Controller:
    """Listing, showing and creating tasks.

    :param http_client: sends the requests.
    :param schemas: the client's schemas (fetched once each, when needed).
    """

    def __init__(self, http_client: http.SessionClient, schemas: schemas.Controller) -> None:
        self._http = http_client
        self._schemas = schemas

    @property
    def model(self) -> type[models.Model]:
        """The class of the tasks this controller returns."""
        return self._schemas.model("task")

    def list(self, **kwargs: ty.Any) -> results.ResultGenerator[models.Model]:
        """List tasks, fetching pages as they are read.

        :param filters: ``type``, ``status``...; not changed.
        :param limit: tasks to return at most (default: all).
        :param page_size: tasks per request (default 20).
        :param marker: the ID of the task to list after.
        :param sort_key: ``id``, ``type`` or ``status``.
        :param sort_dir: ``asc`` or ``desc``.
        :returns: a generator of tasks; its ``request_ids`` holds each
            page's request id.
        :raises glanceclient.exc.InvalidArgument: an unknown sort key or
            direction (also a :class:`ValueError`, as upstream raises).
        """
        model = self.model
        return pagination.simple_list(
            self._http,
            TASKS,
            kwargs,
            key="tasks",
            make=lambda item: models.make(model, item),
            sort_keys=SORT_KEY_VALUES,
            default_page_size=DEFAULT_PAGE_SIZE,
        )

    def get(self, task_id: str) -> models.Model:
        """Return a task.

        :raises glanceclient.exc.HTTPNotFound: no such task.
        """
        response, body = self._http.json_request("GET", TASKS + "/" + parse.quote(task_id, safe=""))
        return results.attach(models.make(self.model, body), response)

    def create(self, **kwargs: ty.Any) -> models.Model:
        """Create a task.

        :param kwargs: ``type`` and ``input`` (a dict); checked against the
            server's task schema before anything is sent.
        :returns: the new task (``pending``).
        :raises glanceclient.exc.SchemaValidationError: a value that does
            not fit the schema (also a :class:`TypeError`).
        :raises glanceclient.exc.HTTPForbidden: the deployment does not
            let this user create tasks.
        """
        self._schemas.get("task").validate(kwargs)
        response, body = self._http.json_request("POST", TASKS, json=kwargs)
        return results.attach(models.make(self.model, body), response)
