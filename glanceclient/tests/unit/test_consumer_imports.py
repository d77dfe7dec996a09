"""Every upstream module path and name that released services import.

Gathered from the released wheels of nova 34.0.0, cinder 29.0.0, heat
27.0.1, horizon 27.0.0, zun 18.0.0, octavia 19.0.0, trove 26.0.0 and
mistral-extra 17.0.0 (``grep -rn glanceclient`` over their sources and
tests; UPSTREAM_SURFACE C): the module each one imports, and the names it
reaches through it.
"""

from __future__ import annotations

import importlib

import glanceclient
from glanceclient.tests.unit import base

#: module path -> names used through it, and who uses them.
USED = {
    # nova (nova/image/glance.py, its tests), trove, mistral-extra
    "glanceclient": ["Client"],
    # heat, octavia, zun ("from glanceclient import client")
    "glanceclient.client": ["Client"],
    # horizon (api/glance.py), octavia's tests ("import glanceclient.v2")
    "glanceclient.v2": [],
    "glanceclient.v2.client": ["Client"],
    # nova
    "glanceclient.v2.schemas": ["Schema"],
    # nova's tests: mock spec
    "glanceclient.v1.images": ["ImageManager", "Image"],
    # nova, and its tests' fake results
    "glanceclient.common.utils": ["IterableWithLength", "RequestIdProxy", "_extract_request_id"],
    # zun (zun/image/glance/utils.py)
    "glanceclient.common.exceptions": ["NotFound"],
    # every one of them
    "glanceclient.exc": [
        "BadRequest",
        "ClientException",
        "CommunicationError",
        "Forbidden",
        "HTTPBadRequest",
        "HTTPConflict",
        "HTTPException",
        "HTTPForbidden",
        "HTTPNotFound",
        "HTTPNotImplemented",
        "HTTPOverLimit",
        "HTTPServiceUnavailable",
        "HTTPUnauthorized",
        "InvalidEndpoint",
        "NotFound",
        "ServiceUnavailable",
        "Unauthorized",
    ],
}

#: mistral-extra's glance actions (mistral_extra/actions/openstack/mapping.json):
#: each is a controller method it looks up on a client.
MISTRAL_ACTIONS = {
    "image_members": ["create", "delete", "list", "update"],
    "image_tags": ["delete", "update"],
    "images": [
        "add_location",
        "create",
        "data",
        "deactivate",
        "delete",
        "delete_locations",
        "get",
        "list",
        "reactivate",
        "update",
        "update_location",
        "upload",
    ],
    "schemas": ["get"],
    "tasks": ["create", "get", "list"],
    "metadefs_resource_type": ["associate", "deassociate", "get", "list"],
    "metadefs_property": ["create", "delete", "delete_all", "get", "list", "update"],
    "metadefs_object": ["create", "delete", "delete_all", "get", "list", "update"],
    "metadefs_tag": [
        "create",
        "create_multiple",
        "delete",
        "delete_all",
        "get",
        "list",
        "update",
    ],
    "metadefs_namespace": ["create", "delete", "get", "list", "update"],
    "versions": ["list"],
}


class ConsumerImportsTest(base.TestCase):
    def test_module_paths_and_names(self):
        for path, names in USED.items():
            module = importlib.import_module(path)
            for name in names:
                self.assertTrue(hasattr(module, name), "%s.%s" % (path, name))

    def test_mistral_fake_client_offers_its_actions(self):
        # mistral-extra lists its actions on a client built with no token:
        # glanceclient.Client(endpoint="http://127.0.0.1:9292/v2").
        client = glanceclient.Client(endpoint="http://127.0.0.1:9292/v2")
        for controller, methods in MISTRAL_ACTIONS.items():
            for method in methods:
                self.assertTrue(
                    callable(getattr(getattr(client, controller), method)),
                    "%s.%s" % (controller, method),
                )
        self.assertEqual([], self.requests.request_history)
