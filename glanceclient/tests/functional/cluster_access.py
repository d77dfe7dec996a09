# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""How tests and people reach a cluster, not through the client under
test: tokens, credentials and OS_* environments, the export lines, and
plain HTTP requests as a role (images created, downloaded, deleted, the
cache's state read and waited for)."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
import shlex
import ssl
from typing import Any
from typing import TypeVar
import uuid

from glanceclient.tests.functional import certs
from glanceclient.tests.functional import glance_nodes
from glanceclient.tests.functional import httputil
from glanceclient.tests.functional import keystone_server

T = TypeVar("T")

ADMIN = "admin"
MEMBER = "member"
READER = "reader"
ROLES = (ADMIN, MEMBER, READER)


class ClusterAccess:
    """The access helpers of :class:`~glanceclient.tests.functional.cluster.Cluster`,
    which provides ``auth``, ``nodes``, ``node(name)``, ``keystone``,
    ``authority`` and ``client_cert``."""

    nodes: list[glance_nodes.GlanceNode]
    authority: certs.Authority | None
    client_cert: certs.KeyPair | None

    @property
    def cacert(self) -> str | None:
        """The CA file that verifies the nodes (``tls``), or None."""
        return str(self.authority.cert) if self.authority else None

    # -- identity ---------------------------------------------------------

    @property
    def keystone_url(self) -> str | None:
        """Keystone's unversioned URL, or None in trusted mode."""
        return self.keystone.url if self.keystone else None

    @property
    def auth_url(self) -> str | None:
        """Keystone's ``/v3`` URL (OS_AUTH_URL), or None in trusted mode."""
        return self.keystone.auth_url if self.keystone else None

    def token(self, role: str = ADMIN) -> str:
        """A token for ``admin``, ``member`` or ``reader``.

        Trusted mode: the role name itself. Keystone mode: a real token,
        fetched once and renewed after 30 minutes.
        """
        if role not in ROLES:
            raise KeyError("no such user: %r" % role)
        if self._tokens is None:
            return role
        return self._tokens.get(role)

    @property
    def admin_token(self) -> str:
        return self.token(ADMIN)

    @property
    def member_token(self) -> str:
        return self.token(MEMBER)

    @property
    def reader_token(self) -> str:
        return self.token(READER)

    def credentials(self, role: str = ADMIN) -> keystone_server.Credentials | None:
        """Keystone credentials of a user, or None in trusted mode."""
        if self.keystone is None:
            return None
        return self.keystone.users[role]

    def keystone_session(self, role: str = ADMIN) -> Any:
        """A keystoneauth1 Session with password auth as ``role``
        (Keystone mode only): what an SDK user would build."""
        from keystoneauth1 import loading
        from keystoneauth1 import session

        creds = self.credentials(role)
        if creds is None:
            raise RuntimeError("no Keystone in a %s cluster" % self.auth)
        auth = loading.get_plugin_loader("password").load_from_options(
            auth_url=creds.auth_url,
            username=creds.username,
            password=creds.password,
            project_name=creds.project_name,
            user_domain_name=creds.user_domain_name,
            project_domain_name=creds.project_domain_name,
        )
        return session.Session(auth=auth)

    def os_environ(
        self, role: str = ADMIN, node: glance_nodes.GlanceNode | None = None
    ) -> dict[str, str]:
        """``OS_*`` variables for the ``glance``/``openstack`` commands.

        Trusted mode: OS_IMAGE_URL (``node``, default the first node) and
        OS_AUTH_TOKEN. Keystone mode: OS_AUTH_URL, OS_USERNAME,
        OS_PASSWORD, OS_PROJECT_NAME, OS_USER_DOMAIN_NAME,
        OS_PROJECT_DOMAIN_NAME, OS_IDENTITY_API_VERSION (the image endpoint
        comes from the catalog; OS_IMAGE_URL only when ``node`` is given).
        Both: OS_IMAGE_API_VERSION=2, and OS_CACERT with ``tls``.
        """
        env = {"OS_IMAGE_API_VERSION": "2"}
        if self.cacert:
            env["OS_CACERT"] = self.cacert
        creds = self.credentials(role)
        if creds is None:
            env["OS_IMAGE_URL"] = (node or self.nodes[0]).url
            env["OS_AUTH_TOKEN"] = self.token(role)
        else:
            env.update(creds.os_environ())
            if node is not None:
                env["OS_IMAGE_URL"] = node.url
        return env

    def _url(self, where: glance_nodes.GlanceNode | str | None, path: str) -> str:
        if where is None:
            base = self.nodes[0].url
        elif isinstance(where, str):
            base = self.node(where).url if "://" not in where else where
        else:
            base = where.url
        return base.rstrip("/") + path

    def _ssl_context(self, url: str) -> ssl.SSLContext | None:
        """How the harness reaches ``url``: its node's TLS context."""
        if not url.startswith("https://"):
            return None
        for node in self.nodes:
            if url.startswith(node.url + "/") and node.ssl_context:
                return node.ssl_context
        if self.authority is None:
            raise ValueError("no node of this cluster serves %s" % url)
        return self.authority.client_context(self.client_cert)

    def request(
        self,
        method: str,
        path: str,
        node: glance_nodes.GlanceNode | str | None = None,
        *,
        role: str | None = ADMIN,
        token: str | None = None,
        **kwargs: Any,
    ) -> httputil.Response:
        """One HTTP request to a node (default: the first), as ``role``
        (or with ``token``; ``role=None`` and no token sends none).
        ``kwargs``: ``json_body``, ``data``, ``headers``, ``timeout``."""
        if token is None and role is not None:
            token = self.token(role)
        url = self._url(node, path)
        return httputil.request(method, url, token=token, context=self._ssl_context(url), **kwargs)

    def create_image(
        self,
        data: bytes = b"glanceclient functional test\n",
        node: glance_nodes.GlanceNode | str | None = None,
        *,
        name: str | None = None,
        properties: Mapping[str, Any] | None = None,
    ) -> str:
        """Create an image and upload ``data`` as admin; returns its id.

        The image is ``active`` when this returns.
        """
        body: dict[str, Any] = {
            "name": name or "functional-%s" % uuid.uuid4().hex[:8],
            "disk_format": "raw",
            "container_format": "bare",
        }
        body.update(properties or {})
        image = httputil.expect(
            self.request("POST", "/v2/images", node, json_body=body), 201
        ).json()
        httputil.expect(
            self.request(
                "PUT",
                "/v2/images/%s/file" % image["id"],
                node,
                data=data,
                headers={"Content-Type": "application/octet-stream"},
            ),
            204,
        )
        return str(image["id"])

    def delete_image(
        self, image_id: str, node: glance_nodes.GlanceNode | str | None = None
    ) -> None:
        """Delete an image as admin (a missing one is fine)."""
        httputil.expect(self.request("DELETE", "/v2/images/%s" % image_id, node), 204, 404)

    def download_image(
        self,
        image_id: str,
        node: glance_nodes.GlanceNode | str | None = None,
        *,
        wait_cached: bool = False,
        timeout: float = 30.0,
    ) -> bytes:
        """Download an image's data through ``node`` as admin.

        A node with a cache caches the image once the whole body is read,
        a moment after the client has it: ``wait_cached=True`` polls the
        node's GET /v2/cache until the image is listed there.
        """
        resp = httputil.expect(
            self.request(
                "GET",
                "/v2/images/%s/file" % image_id,
                node,
                headers={"Accept": "application/octet-stream"},
            ),
            200,
        )
        if wait_cached:
            self.wait_cached(image_id, node, timeout=timeout)
        return resp.body

    def cached_image_ids(self, node: glance_nodes.GlanceNode | str | None = None) -> list[str]:
        """Ids in ``cached_images`` of the node's GET /v2/cache."""
        state = httputil.expect(self.request("GET", "/v2/cache", node), 200).json()
        return [c["image_id"] for c in state.get("cached_images", [])]

    def cached_nodes(
        self, image_id: str, node: glance_nodes.GlanceNode | str | None = None
    ) -> list[str]:
        """GET /v2/cache/nodes/{id} as admin, sorted."""
        body = httputil.expect(
            self.request("GET", "/v2/cache/nodes/%s" % image_id, node), 200
        ).json()
        if isinstance(body, dict):  # the spec's shape, should it appear
            body = body.get("cached_nodes")
        assert isinstance(body, list), body
        return sorted(body)

    def wait_cached(
        self,
        image_id: str,
        node: glance_nodes.GlanceNode | str | None = None,
        timeout: float = 30.0,
    ) -> None:
        """Poll the node's GET /v2/cache until ``image_id`` is cached."""
        httputil.wait_for(
            lambda: image_id in self.cached_image_ids(node),
            timeout=timeout,
            message="image %s not cached on %s" % (image_id, self._url(node, "")),
        )

    def wait_for(
        self,
        condition: Callable[[], T],
        timeout: float = 30.0,
        interval: float = 0.1,
        message: str | None = None,
    ) -> T:
        """Poll ``condition`` until truthy (see :func:`httputil.wait_for`)."""
        return httputil.wait_for(condition, timeout=timeout, interval=interval, message=message)

    # -- for people -------------------------------------------------------

    def describe(self) -> str:
        """Shell lines: the exports, then each server as a comment."""
        lines = ["export %s=%s" % (k, shlex.quote(v)) for k, v in sorted(self.os_environ().items())]
        if self.keystone is not None:
            lines.append("# keystone  %s  (log %s)" % (self.keystone.url, self.keystone.log_path))
            for role in (MEMBER, READER):
                creds = self.credentials(role)
                assert creds is not None
                lines.append(
                    "# user %s / %s, project %s"
                    % (creds.username, creds.password, creds.project_name)
                )
        else:
            lines.append("# tokens: admin, member, reader, or user:project:role1,role2")
        if self.client_cert is not None:
            lines.append(
                "# client certificate: --os-cert %s --os-key %s"
                % (self.client_cert.cert, self.client_cert.key)
            )
        for node in self.nodes:
            lines.append(
                "# %-8s %s  cache=%s  (log %s)"
                % (node.name, node.url, node.cache_driver or "off", node.log_path)
            )
        return "\n".join(lines)
