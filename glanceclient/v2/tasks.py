"""Tasks: the server's record of asynchronous work (``/v2/tasks``).

Glance creates an ``api_image_import`` task for each image import; the old
``import`` task type can also be created directly where a deployment
allows it.
"""

from __future__ import annotations

import typing as ty

from glanceclient import vocabulary
from glanceclient.common import base
from glanceclient.common import models
from glanceclient.common import results

DEFAULT_PAGE_SIZE = 20
SORT_DIR_VALUES = vocabulary.SORT_DIR_VALUES
SORT_KEY_VALUES = vocabulary.TASK_SORT_KEY_VALUES


class Controller(base.Controller):
    """Listing, showing and creating tasks.

    :param http_client: sends the requests.
    :param schemas: the client's schemas (fetched once each, when needed).
    """

    name = "tasks"
    path = "/v2/tasks"
    task_path = path + "/{task}"
    list_key = "tasks"
    schema_name = "task"

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
        return self._simple_list(kwargs, SORT_KEY_VALUES, DEFAULT_PAGE_SIZE)

    def get(self, task_id: str) -> models.Model:
        """Return a task.

        :raises glanceclient.exc.HTTPNotFound: no such task.
        :raises glanceclient.exc.InvalidArgument: an ID that cannot be one
            path segment (empty, ``.``, ``..``, holding ``/``).
        """
        return self._model(*self._send("GET", self._path(self.task_path, task=task_id)))

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
        self._validate(kwargs)
        return self._model(*self._send("POST", self.path, json=kwargs))
