"""What the tests of the v2 controllers share: resources shaped like Glance
33.0.0's answers, its schemas, clients on the requests-mock fixture, and the
cache report's deployment of three nodes."""

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


IMAGES_URL = base.ENDPOINT + "/v2/images"
ID = base.IMAGE_ID
IMAGE_URL = IMAGES_URL + "/" + ID
#: A small image schema: a few properties of each kind.
IMAGE_SCHEMA = {
    "name": "image",
    "properties": {
        "id": {"type": "string"},
        "name": {"type": ["null", "string"], "maxLength": 255},
        "min_ram": {"type": "integer"},
        "disk_format": {"type": ["null", "string"], "enum": [None, "raw", "qcow2"]},
        "container_format": {"type": ["null", "string"], "enum": [None, "bare"]},
        "tags": {"type": "array", "items": {"type": "string"}},
        "os_distro": {"type": "string", "is_base": False},
    },
    "additionalProperties": {"type": "string"},
}


def image(**props):
    """An image record, ``props`` over a minimal active one."""
    body = {"id": ID, "name": "cirros", "status": "active", "self": "/v2/images/" + ID}
    body.update(props)
    return body


class ImagesTestCase(base.TestCase):
    """A client with the images schema answered."""

    def setUp(self):
        super().setUp()
        self.client = self.make_client()
        self.images = self.client.images
        self.schema = self.requests.get(base.ENDPOINT + "/v2/schemas/image", json=IMAGE_SCHEMA)


# The cache report's deployment.

NODE_A = "http://glance-api-0.internal:9292"
NODE_B = "http://glance-api-1.internal:9292"
NODE_C = "http://glance-api-2.internal:9292"
LIVE = "11111111-1111-4111-8111-111111111111"
GONE = "22222222-2222-4222-8222-222222222222"
QUEUED = "33333333-3333-4333-8333-333333333333"


def entry(image_id: str, size: int, hits: int, accessed: float) -> dict:
    """An entry of a node's cache listing."""
    return {
        "image_id": image_id,
        "size": size,
        "hits": hits,
        "last_accessed": accessed,
        "last_modified": accessed - 5,
    }


class ReportTestCase(base.TestCase):
    """Node A caches LIVE and GONE and queues QUEUED; B caches LIVE; C
    refuses connections."""

    def setUp(self):
        super().setUp()
        for node in (NODE_A, NODE_B, NODE_C):
            self.mock_versions(endpoint=node)
        self.mock_versions()
        self.listing_a = self.requests.get(
            NODE_A + "/v2/cache",
            json={
                "cached_images": [
                    entry(LIVE, 300, 2, 1764000000.5),
                    entry(GONE, 100, 3, 1764000100.25),
                ],
                "queued_images": [QUEUED],
            },
        )
        self.requests.get(
            NODE_B + "/v2/cache",
            json={"cached_images": [entry(LIVE, 300, 1, 1763000000.0)], "queued_images": []},
        )
        self.requests.get(NODE_C + "/v2/cache", exc=base.refused())
        self.requests.get(base.ENDPOINT + "/v2/schemas/image", json=IMAGE_SCHEMA)
        self.live = self.requests.get(
            base.ENDPOINT + "/v2/images/" + LIVE, json={"id": LIVE, "name": "cirros"}
        )
        # The names beside IDs (one listing, id=in:...): the live image only.
        self.requests.get(
            base.ENDPOINT + "/v2/images", json={"images": [{"id": LIVE, "name": "cirros"}]}
        )
        for gone in (GONE, QUEUED):
            self.requests.get(
                base.ENDPOINT + "/v2/images/" + gone,
                status_code=404,
                text=base.error_body("404 Not Found", "No image found with ID %s" % gone),
            )
        self.client = self.make_client(
            image_nodes=[{"url": NODE_A, "cache_max_size": 1000}, NODE_B, NODE_C]
        )
