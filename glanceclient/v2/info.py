"""Information about the deployment: quota usage."""

from __future__ import annotations

import typing as ty

from glanceclient._i18n import _
from glanceclient.common import results

if ty.TYPE_CHECKING:
    from glanceclient.common import http


class Controller:
    """The ``/v2/info`` resources not tied to images.

    :param http_client: sends the requests.
    """

    def __init__(self, http_client: http.SessionClient) -> None:
        self._http = http_client

    def get_usage(self, **kwargs: ty.Any) -> results.DictResult:
        """The caller's quota limits and usage.

        :param kwargs: sent as the query.
        :returns: ``{'image_size_total': {'limit': N, 'usage': N}, ...}``.
        :raises glanceclient.exc.InvalidResponse: the answer is malformed.
        """
        response, body = self._http.json_request("GET", "/v2/info/usage", params=kwargs or None)
        usage = body.get("usage") if isinstance(body, dict) else body
        usage = results.expect(response, usage, dict, _("usage"))
        return results.attach(results.DictResult(usage), response)
