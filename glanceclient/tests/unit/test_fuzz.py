"""Generated answers through every response parser: whatever a server
sends, only ``glanceclient.exc`` errors escape a call, and an error's line
is one line, safe for a terminal."""

from __future__ import annotations

import json

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
import requests_mock
import testtools

import glanceclient
from glanceclient import exc
from glanceclient.common import utils
from glanceclient.tests.unit import base

#: Keys the parsers look for, so that generated documents come near the
#: shapes they accept.
KEYS = (
    "versions",
    "id",
    "status",
    "links",
    "cached_nodes",
    "cached_images",
    "queued_images",
    "image_id",
    "size",
    "hits",
    "last_accessed",
    "total_files_pruned",
    "total_bytes_pruned",
    "images",
    "name",
    "next",
    "first",
    "message",
    "detail",
    "explanation",
    "error",
    "properties",
    "schema",
    # Image records' fields the data path reads.
    "os_hash_algo",
    "os_hash_value",
    "checksum",
    # Metadefs answers.
    "namespace",
    "objects",
    "tags",
    "resource_type_associations",
    "resource_types",
    # Schemas.
    "$ref",
    "$schema",
    "$id",
    "type",
    "pattern",
    "enum",
    "items",
    "allOf",
    "additionalProperties",
    "definitions",
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(
        [
            "v2.18",
            "v2.14",
            "2.x",
            "v",
            "http://n1",
            base.IMAGE_ID,
            "\x1b[2J\n",
            "sha512",
            "shake_128",
            "md5",
            "string",
            "(",
            "#/definitions/x",
            "http://127.0.0.1:9/x",
            "file:///etc/hostname",
            "..",
        ]
    )
    | st.fixed_dictionaries({"name": st.text(max_size=3)})
)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=25,
)


def _encode(document: object) -> bytes:
    # NaN and infinities as Python's json writes them: not JSON, still sent.
    return json.dumps(document).encode()


bodies = (
    documents.map(_encode)
    | st.binary(max_size=200)
    | st.integers(min_value=1, max_value=200_000).map(lambda n: b"[" * n)
    | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
#: Headers a hostile server may add to any answer. (Conflicting
#: Content-Length values are tested on a real socket, test_hostile_fields:
#: requests-mock would raise urllib3's error where requests wraps it.)
headers = st.dictionaries(
    st.sampled_from(["Content-Length", "Content-MD5", "x-openstack-request-id", "Content-Range"]),
    st.sampled_from(["5", "5, 5", "-1", "abc", "1" + "0" * 30, "", " 7 ", "\x1b]0;x"]),
    max_size=2,
)
answers = st.tuples(
    st.one_of(st.just(200), st.integers(min_value=100, max_value=599)),
    bodies,
    st.sampled_from(["application/json", "text/html", "text/plain", ""]),
    headers,
)

CALLS = {
    "versions": lambda c: c.versions.list(),
    "list_nodes": lambda c: c.cache.list_nodes(base.IMAGE_ID),
    "cache list": lambda c: c.cache.list(),
    "prune": lambda c: c.cache.prune(),
    "queue": lambda c: c.cache.queue(base.IMAGE_ID),
    "find_id": lambda c: c.images.find_id("cirros"),
    "images get": lambda c: c.images.get(base.IMAGE_ID),
    "images list": lambda c: list(c.images.list()),
    "image data": lambda c: b"".join(c.images.data(base.IMAGE_ID, do_checksum=False)),
    "schema": lambda c: c.schemas.get("image").is_base_property("name"),
    "stores": lambda c: c.images.get_stores_info(),
    "usage": lambda c: c.info.get_usage(),
    "tasks": lambda c: list(c.tasks.list()),
    "namespaces": lambda c: list(c.metadefs_namespace.list()),
    "members": lambda c: list(c.image_members.list(base.IMAGE_ID)),
    "image create": lambda c: c.images.create(name="x", min_ram=1, tags=["a"]),
    "image update": lambda c: c.images.update(base.IMAGE_ID, name="x", remove_props=["os_x"]),
    "checked data": lambda c: b"".join(c.images.data(base.IMAGE_ID)),
    "data length": lambda c: len(c.images.data(base.IMAGE_ID, allow_md5_fallback=True)),
    "task create": lambda c: c.tasks.create(type="import", input={}),
    "md namespace": lambda c: c.metadefs_namespace.get("ns"),
    "md namespace update": lambda c: c.metadefs_namespace.update("ns", description="d"),
    "md namespace create": lambda c: c.metadefs_namespace.create(namespace="ns"),
    "md properties": lambda c: list(c.metadefs_property.list("ns")),
    "md property": lambda c: c.metadefs_property.get("ns", "p"),
    "md property update": lambda c: c.metadefs_property.update("ns", "p", title="t"),
    "md objects": lambda c: list(c.metadefs_object.list("ns")),
    "md object update": lambda c: c.metadefs_object.update("ns", "o", description="d"),
    "md tags": lambda c: list(c.metadefs_tag.create_multiple("ns", tags=["a", "b"])),
    "md tag update": lambda c: c.metadefs_tag.update("ns", "t", name="u"),
    "md resource types": lambda c: list(c.metadefs_resource_type.get("ns")),
    "md associate": lambda c: c.metadefs_resource_type.associate("ns", name="OS::Nova::Server"),
}


class ParserFuzzTest(testtools.TestCase):
    @settings(
        max_examples=300,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(answer=answers, versions=answers, call=st.sampled_from(sorted(CALLS)))
    def test_only_client_errors_escape(self, answer, versions, call):
        status, body, content_type, extra = answer
        headers = dict(extra)
        if content_type:
            headers["Content-Type"] = content_type
        with requests_mock.Mocker() as m:
            m.register_uri(
                requests_mock.ANY, requests_mock.ANY, status_code=status, content=body,
                headers=headers,
            )  # fmt: skip
            v_status, v_body, _, _ = versions
            m.get(base.ENDPOINT + "/versions", status_code=v_status, content=v_body)
            client = glanceclient.Client("2", endpoint=base.ENDPOINT, token=base.TOKEN)
            try:
                CALLS[call](client)
            except exc.ClientException as e:
                line = exc.one_line(e)
                self.assertEqual(utils.safe_text(line), line)
                if status >= 300 and isinstance(e, exc.HTTPException):
                    self.assertGreaterEqual(e.status_code, 300)
