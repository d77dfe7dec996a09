"""What the tests of the v2 controllers share: resources shaped like Glance
33.0.0's answers, its schemas, and a client on the requests-mock fixture."""

from __future__ import annotations

import json
import pathlib

from glanceclient.tests.unit import base

NS_URL = base.ENDPOINT + "/v2/metadefs/namespaces"
CPU = "OS::Compute::CPUPinning"
CPU_URL = NS_URL + "/OS%3A%3ACompute%3A%3ACPUPinning"
#: The schemas a Glance 33.0.0 server answers, by name (``metadefs/namespace``).
SCHEMAS = json.loads((pathlib.Path(__file__).parent / "glance_schemas.json").read_text())


def namespace(name: str, **extra: object) -> dict:
    """A metadefs namespace as Glance 33.0.0 answers it."""
    body = {
        "namespace": name,
        "visibility": "public",
        "protected": True,
        "owner": "admin",
        "created_at": "2026-11-25T18:09:04Z",
        "self": "/v2/metadefs/namespaces/" + name,
        "schema": "/v2/schemas/metadefs/namespace",
    }
    body.update(extra)
    return body


TASKS_URL = base.ENDPOINT + "/v2/tasks"
TASK_ID = "3c6f2d7e-1f0a-4b5c-9d8e-7f6a5b4c3d2e"


def task(task_id: str = TASK_ID, **extra: object) -> dict:
    """A task as Glance 33.0.0 answers it."""
    body = {
        "id": task_id,
        "type": "api_image_import",
        "status": "success",
        "owner": "admin",
        "input": {"image_id": base.IMAGE_ID},
        "self": "/v2/tasks/" + task_id,
        "schema": "/v2/schemas/task",
    }
    body.update(extra)
    return body


class ControllerTestCase(base.TestCase):
    """A client on the requests-mock fixture, answers registered with a request id."""

    def setUp(self):
        super().setUp()
        self.gc = self.make_client()

    def mock_schema(self, name: str):
        return self.requests.get(base.ENDPOINT + "/v2/schemas/" + name, json=SCHEMAS[name])

    def answer(self, method: str, url: str, body=None, status: int = 200, request_id=None):
        kwargs = {
            "status_code": status,
            "headers": {"x-openstack-request-id": request_id or base.REQUEST_ID},
        }
        if body is not None:
            kwargs["json"] = body
        return self.requests.register_uri(method, url, **kwargs)

    def sent(self) -> list[tuple[str, str]]:
        return [(r.method, r.url) for r in self.requests.request_history]
