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

"""A cluster of real glance-api nodes (and optionally Keystone) on loopback.

Nodes share one sqlite database, one file store, one lock directory and one
paste file; each has its own port, config directory, cache directory and
log. Centralized-cache nodes are named ``node1``, ``node2``...; the optional
extra nodes are ``sqlite`` (``image_cache_driver = sqlite``: the nodes
route answers 409) and ``nocache`` (no ``image_cache_dir``: /versions tops
out at 2.17 and the cache routes answer 404).

Auth modes:

* ``trusted`` (default): no Keystone. Tokens are role names (``admin``,
  ``member``, ``reader``) or ``user:project:role1,role2``; Glance's real
  default policies apply (see ``server_side/``).
* ``keystone``: a real Keystone with an ``image`` service whose public
  endpoint is the first node (``node1``); users ``admin``, ``member``,
  ``reader`` in project ``admin``. Tokens come from Keystone.

HTTPS (``tls=True``): a CA made on the fly (:mod:`certs`) signs a
certificate for 127.0.0.1 that every node serves (``cluster.cacert`` is
the CA file, ``cluster.client_cert`` a client certificate and key it
signed). Extra nodes for the ways TLS goes wrong: ``mtls`` (requires a
client certificate signed by the CA; centralized cache), ``expired`` (an
expired certificate) and ``wronghost`` (a certificate for
``glance.example.test``); the last two have no cache.

For people::

    python -m glanceclient.tests.functional.cluster --nodes 2 [--keystone]

prints the ``export OS_...`` lines and each node's URL, then serves until
Ctrl-C or SIGTERM. ``--build-venv`` only builds the servers venv.

Tests use :mod:`glanceclient.tests.functional.fixture` instead.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from collections.abc import Mapping
import os
import pathlib
import shlex
import shutil
import ssl
import sys
import tempfile
import threading
import time
from typing import Any
from typing import TypeVar
import uuid

from glanceclient.tests.functional import certs
from glanceclient.tests.functional import glance_nodes
from glanceclient.tests.functional import httputil
from glanceclient.tests.functional import keystone_server
from glanceclient.tests.functional import procs
from glanceclient.tests.functional import servers_venv

T = TypeVar("T")

AUTH_TRUSTED = glance_nodes.AUTH_TRUSTED
AUTH_KEYSTONE = glance_nodes.AUTH_KEYSTONE
CENTRALIZED = glance_nodes.CENTRALIZED
SQLITE = glance_nodes.SQLITE

ADMIN = "admin"
MEMBER = "member"
READER = "reader"
ROLES = (ADMIN, MEMBER, READER)

#: Passwords of the Keystone users (loopback test servers only).
PASSWORDS = {
    ADMIN: servers_venv.KEYSTONE_ADMIN_PASSWORD,
    MEMBER: "member-secret",
    READER: "reader-secret",
}

#: The host name the ``wronghost`` node's certificate is for.
WRONG_HOST = "glance.example.test"

#: Set to 1 to keep a cluster's directory (configs, logs) after it stops.
KEEP_ENV_VAR = "GLANCECLIENT_KEEP_CLUSTER_DIR"

Response = httputil.Response
GlanceNode = glance_nodes.GlanceNode
ServerStartError = procs.ServerStartError
wait_for = httputil.wait_for


class Cluster:
    """N glance-api nodes (plus optional extras and Keystone).

    :param nodes: how many centralized-cache nodes (``node1``...).
    :param auth: ``'trusted'`` or ``'keystone'``.
    :param sqlite_node: add node ``sqlite`` (sqlite cache driver).
    :param nocache_node: add node ``nocache`` (caching off).
    :param metadefs: start from a database holding Glance's standard
        metadata definitions (``glance-manage db load_metadefs``).
    :param tls: every node serves HTTPS with a certificate signed by a CA
        made for the cluster.
    :param mtls_node: add node ``mtls`` (HTTPS, requires a client
        certificate); needs ``tls``.
    :param expired_node: add node ``expired`` (HTTPS, an expired
        certificate); needs ``tls``.
    :param wronghost_node: add node ``wronghost`` (HTTPS, a certificate
        for :data:`WRONG_HOST`); needs ``tls``.
    :param workdir: where configs, data and logs go (default: a new
        temporary directory, removed by :meth:`stop`).
    :param debug: ``debug = true`` in the servers' configs.
    :param start_timeout: seconds each server gets to answer.

    After :meth:`start`:

    :ivar nodes: every :class:`GlanceNode`, centralized ones first.
    :ivar keystone: the :class:`KeystoneServer`, or None.
    :ivar authority: the cluster's :class:`certs.Authority` (``tls``), or
        None.
    :ivar client_cert: a client certificate and key signed by it, or None.
    """

    def __init__(
        self,
        nodes: int = 2,
        *,
        auth: str = AUTH_TRUSTED,
        sqlite_node: bool = False,
        nocache_node: bool = False,
        metadefs: bool = False,
        tls: bool = False,
        mtls_node: bool = False,
        expired_node: bool = False,
        wronghost_node: bool = False,
        workdir: str | os.PathLike[str] | None = None,
        debug: bool = False,
        start_timeout: float = 60.0,
    ) -> None:
        if nodes < 1:
            raise ValueError("a cluster needs at least one node")
        if (mtls_node or expired_node or wronghost_node) and not tls:
            raise ValueError("the mtls, expired and wronghost nodes need tls=True")
        if auth not in (AUTH_TRUSTED, AUTH_KEYSTONE):
            raise ValueError("auth must be %r or %r" % (AUTH_TRUSTED, AUTH_KEYSTONE))
        self.auth = auth
        self.node_count = nodes
        self.with_sqlite_node = sqlite_node
        self.with_nocache_node = nocache_node
        self.with_metadefs = metadefs
        self.tls = tls
        self.with_mtls_node = mtls_node
        self.with_expired_node = expired_node
        self.with_wronghost_node = wronghost_node
        self.authority: certs.Authority | None = None
        self.client_cert: certs.KeyPair | None = None
        self.debug = debug
        self.start_timeout = start_timeout
        self._workdir_arg = pathlib.Path(workdir) if workdir else None
        self.workdir: pathlib.Path | None = None
        self.nodes: list[glance_nodes.GlanceNode] = []
        self.keystone: keystone_server.KeystoneServer | None = None
        self._tokens: keystone_server.TokenCache | None = None
        self._lock = threading.RLock()  # stop() may run in a signal handler
        self.started = False
        self.start_seconds: float | None = None
        #: step -> seconds since start() began, filled in by start()
        self.timings: dict[str, float] = {}

    # -- life cycle -------------------------------------------------------

    def start(self) -> Cluster:
        """Start every server and wait until each answers.

        :raises ServerStartError: when a server fails to start (its log's
            tail is in the message); everything started is stopped.
        """
        if self.started:
            raise RuntimeError("cluster already started")
        began = self._began = time.monotonic()
        servers_venv.ensure()
        self._mark("venv")
        if self._workdir_arg:
            self.workdir = self._workdir_arg
            self.workdir.mkdir(parents=True, exist_ok=True)
        else:
            self.workdir = pathlib.Path(tempfile.mkdtemp(prefix="glanceclient-cluster-"))
        self.started = True
        for attempt in range(3):
            # At exit (or on SIGTERM, see procs.install_signal_handlers)
            # stop this cluster and remove its directory, even mid-start.
            procs.add_exit_hook(self.stop)
            try:
                self._start()
                break
            except procs.ServerStartError as e:
                self.stop(grace=2.0)
                # Another program took a port between our pick and the
                # server's bind: start again on fresh ports.
                if procs.PORT_TAKEN not in str(e) or attempt == 2:
                    raise
                self._reset()
            except BaseException:
                self.stop()
                raise
        self.start_seconds = time.monotonic() - began
        return self

    def _reset(self) -> None:
        assert self.workdir is not None
        if self.workdir.exists():
            for child in list(self.workdir.iterdir()):
                shutil.rmtree(child, ignore_errors=True)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.nodes = []
        self.keystone = None
        self._tokens = None
        self.authority = None
        self.client_cert = None

    def _mark(self, step: str) -> None:
        self.timings[step] = round(time.monotonic() - self._began, 3)

    def _start(self) -> None:
        assert self.workdir is not None
        specs: list[tuple[str, str | None]] = [
            ("node%d" % (i + 1), CENTRALIZED) for i in range(self.node_count)
        ]
        if self.with_sqlite_node:
            specs.append(("sqlite", SQLITE))
        if self.with_nocache_node:
            specs.append(("nocache", None))
        if self.with_mtls_node:
            specs.append(("mtls", CENTRALIZED))
        if self.with_expired_node:
            specs.append(("expired", None))
        if self.with_wronghost_node:
            specs.append(("wronghost", None))
        node_tls = self._make_certificates([name for name, _ in specs]) if self.tls else {}
        keystone = self.auth == AUTH_KEYSTONE
        ports = procs.free_ports(len(specs) + (1 if keystone else 0))

        shared = self.workdir / "shared"
        for d in (shared / "images", shared / "locks"):
            d.mkdir(parents=True, exist_ok=True)
        database = (
            servers_venv.metadefs_template()
            if self.with_metadefs
            else servers_venv.template_path("glance.sqlite")
        )
        shutil.copyfile(database, shared / "glance.sqlite")
        (shared / "glance-api-paste.ini").write_text(glance_nodes.PASTE_INI)

        authtoken = None
        if keystone:
            self.keystone = keystone_server.KeystoneServer(
                ports.pop(), self.workdir / "keystone", debug=self.debug
            )
            self.keystone.start()
            authtoken = self.keystone.authtoken_section()

        for (name, driver), port in zip(specs, ports, strict=True):
            self.nodes.append(
                glance_nodes.GlanceNode(
                    name,
                    port,
                    self.workdir / name,
                    shared,
                    driver,
                    auth=self.auth,
                    keystone_authtoken=authtoken,
                    debug=self.debug,
                    tls=node_tls.get(name),
                )
            )
        # Start them all, then wait: they boot in parallel.
        for node in self.nodes:
            node.start()
        self._mark("spawned")
        if self.keystone is not None:
            self.keystone.wait_ready(self.start_timeout)
            self._mark("keystone")
            self.keystone.configure(
                image_url=self.nodes[0].url,
                member_password=PASSWORDS[MEMBER],
                reader_password=PASSWORDS[READER],
            )
            self._tokens = keystone_server.TokenCache(self.keystone.users)
            self._mark("keystone configured")
        for node in self.nodes:
            node.wait_ready(self.start_timeout)
            self._mark(node.name)

    def _make_certificates(self, names: list[str]) -> dict[str, certs.ServerTLS]:
        """Make the CA and the certificates; how each node of ``names``
        serves HTTPS."""
        assert self.workdir is not None
        ca = self.authority = certs.Authority(self.workdir / "tls")
        client = self.client_cert = ca.issue("client", client=True)
        good = certs.ServerTLS(ca.issue("server"), ca.client_context(client))
        unverified = certs.unverified_context(client)
        special = {
            "mtls": lambda: good._replace(client_ca=ca.cert),
            "expired": lambda: certs.ServerTLS(ca.issue("expired", expired=True), unverified),
            "wronghost": lambda: certs.ServerTLS(ca.issue("wronghost", [WRONG_HOST]), unverified),
        }
        return {name: special[name]() if name in special else good for name in names}

    def stop(self, grace: float = 5.0) -> None:
        """Stop every server (SIGTERM, then SIGKILL after ``grace``
        seconds) and remove the workdir (unless it was given, or
        $GLANCECLIENT_KEEP_CLUSTER_DIR is set). Safe to call more than
        once."""
        with self._lock:
            procs.remove_exit_hook(self.stop)
            servers = [n.process for n in self.nodes]
            if self.keystone is not None:
                servers.append(self.keystone.process)
            procs.stop_processes([p for p in servers if p is not None], grace=grace)
            if (
                self.workdir is not None
                and self._workdir_arg is None
                and not os.environ.get(KEEP_ENV_VAR)
            ):
                shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def is_alive(self) -> bool:
        """True when every server process of the cluster still runs."""
        return self.started and not self.dead_servers()

    def dead_servers(self) -> list[Any]:
        """Nodes (and Keystone) whose process is no longer running."""
        servers: list[Any] = list(self.nodes)
        if self.keystone is not None:
            servers.append(self.keystone)
        return [s for s in servers if not s.running()]

    def pids(self) -> list[int]:
        """PIDs of every server process (gunicorn masters and workers)."""
        out: list[int] = []
        for node in self.nodes:
            out.extend(node.pids())
        if self.keystone is not None:
            out.extend(self.keystone.pids())
        return out

    def ports(self) -> list[int]:
        out = [n.port for n in self.nodes]
        if self.keystone is not None:
            out.append(self.keystone.port)
        return out

    # -- nodes ------------------------------------------------------------

    @property
    def cache_nodes(self) -> list[glance_nodes.GlanceNode]:
        """The centralized-cache nodes (``node1``, ``node2``...)."""
        return [n for n in self.nodes if n.cache_driver == CENTRALIZED]

    def node(self, name: str) -> glance_nodes.GlanceNode:
        for n in self.nodes:
            if n.name == name:
                return n
        raise KeyError(
            "no node named %r (have: %s)" % (name, ", ".join(n.name for n in self.nodes))
        )

    @property
    def sqlite_node(self) -> glance_nodes.GlanceNode:
        return self.node("sqlite")

    @property
    def nocache_node(self) -> glance_nodes.GlanceNode:
        return self.node("nocache")

    @property
    def url(self) -> str:
        """The first node's URL (the ``image`` endpoint in the catalog)."""
        return self.nodes[0].url

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

    # -- fixture helpers (plain HTTP, not the client under test) ----------

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
        wait_for(
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
        return wait_for(condition, timeout=timeout, interval=interval, message=message)

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

    def __repr__(self) -> str:
        return "<Cluster auth=%s nodes=%s>" % (self.auth, [n.name for n in self.nodes])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m glanceclient.tests.functional.cluster",
        description="Run real Glance 33.0.0 nodes (and optionally Keystone "
        "30.0.0) on 127.0.0.1, print the OS_* exports to use "
        "them, and serve until Ctrl-C or SIGTERM.",
    )
    parser.add_argument("--nodes", type=int, default=2, help="centralized-cache nodes (default 2)")
    parser.add_argument(
        "--keystone", action="store_true", help="real Keystone auth (default: trusted tokens)"
    )
    parser.add_argument(
        "--sqlite-node", action="store_true", help="add a node with the sqlite cache driver"
    )
    parser.add_argument("--nocache-node", action="store_true", help="add a node with caching off")
    parser.add_argument(
        "--metadefs", action="store_true", help="load Glance's standard metadata definitions"
    )
    parser.add_argument(
        "--tls",
        action="store_true",
        help="serve every node over HTTPS (a CA of its own; OS_CACERT is exported)",
    )
    parser.add_argument(
        "--mtls-node",
        action="store_true",
        help="with --tls: add a node that requires a client certificate",
    )
    parser.add_argument(
        "--expired-node",
        action="store_true",
        help="with --tls: add a node with an expired certificate",
    )
    parser.add_argument(
        "--wronghost-node",
        action="store_true",
        help="with --tls: add a node whose certificate is for another host",
    )
    parser.add_argument("--workdir", help="directory for configs, data and logs (kept)")
    parser.add_argument(
        "--env-file",
        help="also write the export lines to this file (written once every server answers)",
    )
    parser.add_argument("--debug", action="store_true", help="debug logging in the servers")
    parser.add_argument(
        "--build-venv", action="store_true", help="only build the servers venv, then exit"
    )
    args = parser.parse_args(argv)

    if args.build_venv:
        print(servers_venv.ensure())
        return 0
    procs.interrupt_on_signals()
    cluster = Cluster(
        args.nodes,
        auth=AUTH_KEYSTONE if args.keystone else AUTH_TRUSTED,
        sqlite_node=args.sqlite_node,
        nocache_node=args.nocache_node,
        metadefs=args.metadefs,
        tls=args.tls,
        mtls_node=args.mtls_node,
        expired_node=args.expired_node,
        wronghost_node=args.wronghost_node,
        workdir=args.workdir,
        debug=args.debug,
    )
    try:
        try:
            cluster.start()
        except (procs.ServerStartError, servers_venv.ServersVenvError) as e:
            sys.stderr.write("%s\n" % e)
            return 1
        text = cluster.describe()
        print(text)
        print(
            "# started in %.1f s; Ctrl-C or SIGTERM to stop" % (cluster.start_seconds or 0.0),
            flush=True,
        )
        if args.env_file:
            pathlib.Path(args.env_file).write_text(text + "\n")
        while cluster.is_alive():
            procs.sleep(0.5)
        for dead in cluster.dead_servers():
            sys.stderr.write(
                "%s exited; last lines of %s:\n%s\n" % (dead.name, dead.log_path, dead.log_tail())
            )
        sys.stderr.write("a server died: stopping the cluster\n")
        return 1
    except KeyboardInterrupt:  # Ctrl-C, SIGTERM or SIGHUP
        return 0
    finally:
        cluster.stop()
        print("# cluster stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
