"""Information about the deployment: quota usage."""

from __future__ import annotations

import typing as ty

from glanceclient._i18n import _
from glanceclient.common import base
from glanceclient.common import results


class Controller(base.Controller):
    """The ``/v2/info`` resources not tied to images.

    :param http_client: sends the requests.
    """

    name = "info"
    path = "/v2/info/usage"

    def get_usage(self, **kwargs: ty.Any) -> results.DictResult:
        """The caller's quota limits and usage.

        :param kwargs: sent as the query.
        :returns: ``{'image_size_total': {'limit': N, 'usage': N}, ...}``.
        :raises glanceclient.exc.InvalidResponse: the answer is malformed.
        """
        response, body = self._send("GET", self.path, params=kwargs or None)
        usage = body.get("usage") if isinstance(body, dict) else body
        return self._result(response, results.expect(response, usage, dict, _("usage")))
