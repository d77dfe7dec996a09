"""The documents the fake Glance answers, shaped like Glance 33.0.0's: image
ids and a catalogue of images, the data image, version lists, schemas, the
cache's state, node URLs, and Keystone's token."""

from __future__ import annotations

import datetime
import json
import re
import time
import uuid

from glanceclient.tests.fakeglance.wire import MIB

DEFAULT_TOKEN = "bench-token-0123456789abcdef"
USERNAME = "admin"
PASSWORD = "bench-password"
PROJECT = "admin"
REGION = "RegionOne"

UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{12}$"
)
SIZED_PREFIX = "bec4ca11-0000-4000-8000-"
NIL_UUID = "00000000-0000-0000-0000-000000000000"
MAX_NODES = 1000000
#: Glance's page size when a list names no limit (limit_param_default).
METADEFS_PAGE = 25


def image_id_for(nodes: int) -> str:
    """Return an image id whose nodes answer lists ``nodes`` URLs."""
    if not 0 <= nodes <= MAX_NODES:
        raise ValueError("nodes must be between 0 and %d" % MAX_NODES)
    return "%s%012d" % (SIZED_PREFIX, nodes)


IMAGE_ID_FORMAT = "4e1e5e00-0000-4000-9000-%012x"


def image_ids(count: int, start: int = 1) -> list[str]:
    """Return ``count`` distinct ordinary image ids (default node count)."""
    return [IMAGE_ID_FORMAT % (start + i) for i in range(count)]


CATALOGUE_ID_FORMAT = "ca7a1096-0000-4000-a000-%012x"
#: Glance's ``limit_param_default`` and ``api_limit_max``.
PAGE_DEFAULT, PAGE_MAX = 25, 1000


def catalogue_ids(count: int) -> list[str]:
    """The ids of the first ``count`` images of the catalogue, in order."""
    return [CATALOGUE_ID_FORMAT % (i + 1) for i in range(count)]


def catalogue_image(n: int, image_id: str) -> dict:
    """Image ``n`` of the catalogue, with the fields Glance 33 shows."""
    stamp = _iso(1700000000 + n * 60)
    return {
        "id": image_id,
        "name": "bench-image-%05d" % n,
        "status": "active",
        "visibility": "public",
        "protected": False,
        "os_hidden": False,
        "checksum": "%032x" % n,
        "os_hash_algo": "sha512",
        "os_hash_value": "%0128x" % n,
        "owner": "b" * 32,
        "size": 1048576 + n,
        "virtual_size": 1048576 + n,
        "min_ram": 0,
        "min_disk": 0,
        "disk_format": "qcow2",
        "container_format": "bare",
        "created_at": stamp,
        "updated_at": stamp,
        "tags": ["bench"],
        "stores": "local",
        "os_distro": "cirros",
        "self": "/v2/images/" + image_id,
        "file": "/v2/images/%s/file" % image_id,
        "schema": "/v2/schemas/image",
    }


DATA_IMAGE_ID = "da7a0000-0000-4000-a000-000000000001"
UPLOAD_IMAGE_ID = "da7a0000-0000-4000-a000-000000000002"


def data_block() -> bytes:
    """The MiB the data image repeats (the same in every process)."""
    import random

    return random.Random(1).randbytes(MIB)


def data_images(mib: int) -> dict[str, bytes]:
    """The data image's record (its hash computed here) and the upload's."""
    import hashlib

    block = data_block()
    sha512 = hashlib.sha512()
    md5 = hashlib.md5(usedforsecurity=False)
    for _ in range(mib):
        sha512.update(block)
        md5.update(block)
    records = {}
    for image_id, size in ((DATA_IMAGE_ID, mib * MIB), (UPLOAD_IMAGE_ID, 0)):
        record = catalogue_image(0, image_id)
        record.update(
            name="bench-data",
            size=size,
            virtual_size=size,
            disk_format="raw",
            checksum=md5.hexdigest(),
            os_hash_value=sha512.hexdigest(),
        )
        records[image_id] = json.dumps(record).encode()
    return records


def node_urls(count: int) -> list[str]:
    # Shaped like operator-set worker_self_reference_url values; the real
    # server does not sort them, so neither do we (reverse numeric order).
    return ["http://glance-node-%05d.example.test:60999" % i for i in range(count, 0, -1)]


# ---------------------------------------------------------------- documents


def version_list(base: str) -> list[dict]:
    href = base.rstrip("/") + "/v2/"
    # Same list and order as Glance 33.0.0 with image_cache_dir and
    # enabled_backends set.
    ids = [
        ("2.18", "CURRENT"),
        ("2.17", "SUPPORTED"),
        ("2.16", "SUPPORTED"),
        ("2.15", "SUPPORTED"),
        ("2.14", "SUPPORTED"),
        ("2.13", "SUPPORTED"),
        ("2.12", "SUPPORTED"),
        ("2.11", "SUPPORTED"),
        ("2.10", "SUPPORTED"),
        ("2.9", "SUPPORTED"),
        ("2.8", "SUPPORTED"),
        ("2.7", "SUPPORTED"),
        ("2.6", "SUPPORTED"),
        ("2.5", "SUPPORTED"),
        ("2.4", "SUPPORTED"),
        ("2.3", "SUPPORTED"),
        ("2.2", "SUPPORTED"),
        ("2.1", "SUPPORTED"),
        ("2.0", "SUPPORTED"),
    ]
    return [{"id": "v" + v, "status": s, "links": [{"rel": "self", "href": href}]} for v, s in ids]


def _prop(kind: str, description: str, **extra) -> dict:
    doc = {"type": kind, "description": description}
    doc.update(extra)
    return doc


def _image_schema() -> dict:
    """A JSON schema of an image, of the size and shape Glance serves."""
    uuid_pat = (
        "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$"
    )
    props = {
        "id": _prop("string", "An identifier for the image", pattern=uuid_pat),
        "name": _prop(["null", "string"], "Descriptive name for the image", maxLength=255),
        "status": _prop(
            "string",
            "Status of the image",
            readOnly=True,
            enum=[
                "queued",
                "saving",
                "active",
                "killed",
                "deleted",
                "uploading",
                "importing",
                "pending_delete",
                "deactivated",
            ],
        ),
        "visibility": _prop(
            "string",
            "Scope of image accessibility",
            enum=["community", "public", "private", "shared"],
        ),
        "protected": _prop("boolean", "If true, image will not be deletable."),
        "os_hidden": _prop(
            "boolean", "If true, image will not appear in default image list response."
        ),
        "checksum": _prop(
            ["null", "string"], "md5 hash of image contents.", readOnly=True, maxLength=32
        ),
        "os_hash_algo": _prop(
            ["null", "string"],
            "Algorithm to calculate the os_hash_value",
            readOnly=True,
            maxLength=64,
        ),
        "os_hash_value": _prop(
            ["null", "string"], "Hexdigest of the image contents", readOnly=True, maxLength=128
        ),
        "owner": _prop(["null", "string"], "Owner of the image", maxLength=255),
        "size": _prop(["null", "integer"], "Size of image file in bytes", readOnly=True),
        "virtual_size": _prop(["null", "integer"], "Virtual size of image in bytes", readOnly=True),
        "container_format": _prop(
            ["null", "string"],
            "Format of the container",
            enum=[None, "ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"],
        ),
        "disk_format": _prop(
            ["null", "string"],
            "Format of the disk",
            enum=[
                None,
                "ami",
                "ari",
                "aki",
                "vhd",
                "vhdx",
                "vmdk",
                "raw",
                "qcow2",
                "vdi",
                "iso",
                "ploop",
            ],
        ),
        "created_at": _prop("string", "Date and time of image registration", readOnly=True),
        "updated_at": _prop(
            "string", "Date and time of the last image modification", readOnly=True
        ),
        "tags": {
            "type": "array",
            "description": "List of strings related to the image",
            "items": {"type": "string", "maxLength": 255},
        },
        "direct_url": _prop(
            "string", "URL to access the image file kept in external store", readOnly=True
        ),
        "min_ram": _prop("integer", "Amount of ram (in MB) required to boot image."),
        "min_disk": _prop("integer", "Amount of disk space (in GB) required to boot image."),
        "self": _prop("string", "An image self url", readOnly=True),
        "file": _prop("string", "An image file url", readOnly=True),
        "stores": _prop("string", "Store in which image data resides.", readOnly=True),
        "schema": _prop("string", "An image schema url", readOnly=True),
        "locations": {
            "type": "array",
            "description": "A set of URLs to access the image file kept in external store",
            "items": {
                "type": "object",
                "required": ["url", "metadata"],
                "properties": {
                    "url": {"type": "string", "maxLength": 255},
                    "metadata": {"type": "object"},
                    "validation_data": {"type": "object"},
                },
            },
        },
        "os_distro": _prop("string", "Common name of operating system distribution", is_base=False),
        "os_version": _prop("string", "Operating system version", is_base=False),
        "architecture": _prop("string", "Operating system architecture", is_base=False),
        "kernel_id": _prop(
            ["null", "string"],
            "ID of image stored in Glance used as the kernel",
            pattern=uuid_pat,
            is_base=False,
        ),
        "ramdisk_id": _prop(
            ["null", "string"],
            "ID of image stored in Glance used as the ramdisk",
            pattern=uuid_pat,
            is_base=False,
        ),
        "instance_uuid": _prop(
            "string",
            "Metadata which can be used to record which instance this image is associated with.",
            is_base=False,
        ),
    }
    return {
        "name": "image",
        "properties": props,
        "additionalProperties": {"type": "string"},
        "links": [
            {"rel": "self", "href": "{self}"},
            {"rel": "enclosure", "href": "{file}"},
            {"rel": "describedby", "href": "{schema}"},
        ],
    }


def _named_schema(name: str, fields: list[str]) -> dict:
    return {
        "name": name,
        "properties": {f: {"type": "string", "description": f} for f in fields},
        "additionalProperties": False,
        "required": [fields[0]],
        "links": [{"rel": "self", "href": "{self}"}, {"rel": "describedby", "href": "{schema}"}],
    }


def schemas() -> dict[str, dict]:
    image = _image_schema()
    return {
        "image": image,
        "images": {
            "name": "images",
            "properties": {
                "images": {"type": "array", "items": image},
                "schema": {"type": "string"},
                "first": {"type": "string"},
                "next": {"type": "string"},
            },
            "links": [
                {"rel": "first", "href": "{first}"},
                {"rel": "next", "href": "{next}"},
                {"rel": "describedby", "href": "{schema}"},
            ],
        },
        "member": _named_schema(
            "member", ["member_id", "image_id", "status", "created_at", "updated_at", "schema"]
        ),
        "metadefs/namespace": _named_schema(
            "namespace",
            [
                "namespace",
                "display_name",
                "description",
                "visibility",
                "protected",
                "owner",
                "created_at",
                "updated_at",
                "schema",
                "self",
            ],
        ),
        "metadefs/resource_type": _named_schema(
            "resource_type_association",
            ["name", "prefix", "properties_target", "created_at", "updated_at"],
        ),
    }


def cache_state(count: int = 3) -> dict:
    """A node's ``GET /v2/cache``: ``count`` cached images, two queued."""
    now = time.time()
    cached = [
        {
            "image_id": i,
            "hits": n,
            "last_accessed": now - 60 * n,
            "last_modified": now - 3600 * n,
            "size": 1048576 * n,
        }
        for n, i in enumerate(image_ids(count, start=0x100), 1)
    ]
    return {"cached_images": cached, "queued_images": image_ids(2, start=0x200)}


def _iso(ts: float) -> str:
    return datetime.datetime.fromtimestamp(ts, tz=datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.000000Z"
    )


def token_body(keystone_url: str, glance_url: str) -> bytes:
    """A password token scoped to the admin project, whose catalog names
    ``keystone_url`` (identity) and ``glance_url`` (image)."""
    now = time.time()

    def endpoints(url: str) -> list[dict]:
        return [
            {
                "id": uuid.uuid4().hex,
                "interface": i,
                "region": REGION,
                "region_id": REGION,
                "url": url,
            }
            for i in ("public", "internal", "admin")
        ]

    domain = {"id": "default", "name": "Default"}
    token = {
        "methods": ["password"],
        "user": {
            "domain": domain,
            "id": "a" * 32,
            "name": USERNAME,
            "password_expires_at": None,
        },
        "audit_ids": [uuid.uuid4().hex[:22]],
        "expires_at": _iso(now + 3600),
        "issued_at": _iso(now),
        "project": {"domain": domain, "id": "b" * 32, "name": PROJECT},
        "is_domain": False,
        "roles": [
            {"id": "c" * 32, "name": "admin"},
            {"id": "d" * 32, "name": "member"},
            {"id": "e" * 32, "name": "reader"},
        ],
        "catalog": [
            {
                "id": "f" * 32,
                "type": "identity",
                "name": "keystone",
                "endpoints": endpoints(keystone_url),
            },
            {
                "id": "9" * 32,
                "type": "image",
                "name": "glance",
                "endpoints": endpoints(glance_url),
            },
        ],
    }
    return json.dumps({"token": token}).encode()
