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
import os
import pathlib
import shutil
import sys
import tempfile
import threading
import time
from typing import Any
from typing import TypeVar

from glanceclient.tests.functional import certs
from glanceclient.tests.functional import cluster_access
from glanceclient.tests.functional import glance_nodes
from glanceclient.tests.functional import httputil
from glanceclient.tests.functional import keystone_server
from glanceclient.tests.functional import ports
from glanceclient.tests.functional import procs
from glanceclient.tests.functional import servers_venv

T = TypeVar("T")

AUTH_TRUSTED = glance_nodes.AUTH_TRUSTED
AUTH_KEYSTONE = glance_nodes.AUTH_KEYSTONE
CENTRALIZED = glance_nodes.CENTRALIZED
SQLITE = glance_nodes.SQLITE

ADMIN = cluster_access.ADMIN
MEMBER = cluster_access.MEMBER
READER = cluster_access.READER
ROLES = cluster_access.ROLES

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


class Cluster(cluster_access.ClusterAccess):
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
        free = ports.free_ports(len(specs) + (1 if keystone else 0))

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
                free.pop(), self.workdir / "keystone", debug=self.debug
            )
            self.keystone.start()
            authtoken = self.keystone.authtoken_section()

        for (name, driver), port in zip(specs, free, strict=True):
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
