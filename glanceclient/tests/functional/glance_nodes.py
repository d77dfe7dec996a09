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

"""One real glance-api node: its configuration files and its process.

A node is gunicorn serving ``glance.wsgi.api:application`` from the
servers venv, with ``OS_GLANCE_CONFIG_DIR`` pointing at a directory of its
own. Nodes of one cluster share the sqlite database, the file store, the
lock directory and the paste file; each has its own cache, staging and
tasks directories and log.

Every node offers two file stores, ``local`` (the default) and ``second``
(shared by the cluster's nodes, for ``stores-info``, ``copy-image`` and
``stores-delete``), the read-only HTTP store ``web`` (image locations on
an HTTP server), a staging area for ``glance-direct`` imports,
``show_multiple_locations`` for the old location API, and
``web-download`` and HTTP locations allowed from 127.0.0.1 on any port
(Glance refuses loopback by default).

Cache modes:

* ``centralized_db``: ``image_cache_dir`` set, registers its
  ``worker_self_reference_url`` (``http://127.0.0.1:<port>``) in the shared
  database; the nodes route works.
* ``sqlite``: ``image_cache_dir`` set, local sqlite driver; the nodes route
  answers 409.
* ``None``: no ``image_cache_dir`` and a paste flavor without the cache
  filters (a cache flavor without a cache directory crashes at start);
  /versions tops out at 2.17 and the cache routes answer 404.

Any node can serve HTTPS instead of HTTP (``tls``, a
:class:`~glanceclient.tests.functional.certs.ServerTLS`): gunicorn's
``--certfile``/``--keyfile``, plus ``--ca-certs``/``--cert-reqs`` for a
node that requires a client certificate. Its URL is then ``https://``.
"""

from __future__ import annotations

from collections.abc import Mapping
import os
import pathlib
import ssl

from glanceclient.tests.functional import certs
from glanceclient.tests.functional import ports
from glanceclient.tests.functional import procs
from glanceclient.tests.functional import servers_venv

CENTRALIZED = "centralized_db"
SQLITE = "sqlite"
CACHE_DRIVERS = (CENTRALIZED, SQLITE, None)

AUTH_TRUSTED = "trusted"
AUTH_KEYSTONE = "keystone"

#: The file stores every node offers; the first is the default.
STORES = ("local", "second")
#: The read-only HTTP store, for locations on an HTTP server.
HTTP_STORE = "web"

#: Directory holding the trusted-auth paste filter; it goes on the nodes'
#: PYTHONPATH (and only theirs).
SERVER_SIDE_DIR = pathlib.Path(__file__).resolve().parent / "server_side"
TRUSTED_AUTH_MODULE = "glanceclient_harness_trusted_auth"

# The paste file shared by a cluster's nodes. The pipelines follow Glance's
# stock ones; the "trusted" flavors swap keystonemiddleware's authtoken for
# our trusted-token filter, in front of Glance's real context middleware.
PASTE_INI = """\
[composite:glance-api-trusted]
paste.composite_factory = glance.api:root_app_factory
/: api
/healthcheck: healthcheck

[composite:glance-api-trusted+cachemanagement]
paste.composite_factory = glance.api:root_app_factory
/: api
/healthcheck: healthcheck

[composite:glance-api-keystone]
paste.composite_factory = glance.api:root_app_factory
/: api
/healthcheck: healthcheck

[composite:glance-api-keystone+cachemanagement]
paste.composite_factory = glance.api:root_app_factory
/: api
/healthcheck: healthcheck

[composite:api]
paste.composite_factory = glance.api:pipeline_factory
trusted = %(head)s trustedauth context rootapp
trusted+cachemanagement = %(head)s trustedauth context %(cache)s rootapp
keystone = %(head)s authtoken context rootapp
keystone+cachemanagement = %(head)s authtoken context %(cache)s rootapp

[composite:rootapp]
paste.composite_factory = glance.api:root_app_factory
/: apiversions
/v2: apiv2app

[app:apiversions]
paste.app_factory = glance.api.versions:create_resource

[app:apiv2app]
paste.app_factory = glance.api.v2.router:API.factory

[filter:trustedauth]
paste.filter_factory = %(trusted_module)s:filter_factory

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
delay_auth_decision = true

[filter:context]
paste.filter_factory = glance.api.middleware.context:ContextMiddleware.factory

[filter:cache]
paste.filter_factory = glance.api.middleware.cache:CacheFilter.factory

[filter:cachemanage]
paste.filter_factory = %(mw)s.cache_manage:CacheManageFilter.factory

[filter:versionnegotiation]
paste.filter_factory = %(mw)s.%(vn)s

[filter:osprofiler]
paste.filter_factory = osprofiler.web:WsgiMiddleware.factory

[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = glance
oslo_config_program = glance-api

[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware:HTTPProxyToWSGI.factory

[app:healthcheck]
paste.app_factory = oslo_middleware:Healthcheck.app_factory
backends = disable_by_file
""" % {
    "head": "cors http_proxy_to_wsgi versionnegotiation osprofiler",
    "cache": "cache cachemanage",
    "trusted_module": TRUSTED_AUTH_MODULE,
    "mw": "glance.api.middleware",
    "vn": "version_negotiation:VersionNegotiationFilter.factory",
}


def paste_flavor(auth: str, cache_driver: str | None) -> str:
    """The paste flavor for an auth mode and cache mode."""
    if auth not in (AUTH_TRUSTED, AUTH_KEYSTONE):
        raise ValueError("unknown auth mode %r" % auth)
    return auth + ("+cachemanagement" if cache_driver else "")


def _ini(sections: Mapping[str, Mapping[str, object]]) -> str:
    out = []
    for section, values in sections.items():
        out.append("[%s]" % section)
        out.extend("%s = %s" % (k, v) for k, v in values.items() if v is not None)
        out.append("")
    return "\n".join(out)


class GlanceNode(procs.ManagedServer):
    """A glance-api node.

    :ivar name: e.g. ``node1``, ``sqlite``, ``nocache``.
    :ivar port: its TCP port on 127.0.0.1.
    :ivar url: ``http://127.0.0.1:<port>``, or ``https://`` with
        ``tls`` (also its
        ``worker_self_reference_url``, as the nodes route lists it).
    :ivar cache_driver: ``'centralized_db'``, ``'sqlite'`` or None.
    :ivar log_path: gunicorn's and Glance's log (one file).
    :ivar config_dir: its ``OS_GLANCE_CONFIG_DIR``.
    :ivar cache_dir: its ``image_cache_dir`` (None without a cache).
    :ivar tls: how it serves HTTPS, or None for plain HTTP.
    """

    def __init__(
        self,
        name: str,
        port: int,
        workdir: pathlib.Path,
        shared_dir: pathlib.Path,
        cache_driver: str | None,
        auth: str = AUTH_TRUSTED,
        keystone_authtoken: Mapping[str, str] | None = None,
        debug: bool = False,
        tls: certs.ServerTLS | None = None,
    ) -> None:
        if cache_driver not in CACHE_DRIVERS:
            raise ValueError("unknown cache driver %r" % cache_driver)
        self.name = name
        self.port = port
        self.tls = tls
        self.scheme = "https" if tls else "http"
        self.url = "%s://%s:%d" % (self.scheme, ports.LOOPBACK, port)
        self.cache_driver = cache_driver
        self.auth = auth
        self.workdir = workdir
        self.config_dir = workdir / "etc"
        self.cache_dir = (workdir / "cache") if cache_driver else None
        super().__init__(workdir / "glance-api.log")
        self.label = name
        self.flavor = paste_flavor(auth, cache_driver)
        self._shared = shared_dir
        self._authtoken = dict(keystone_authtoken or {})
        self._debug = debug
        if auth == AUTH_KEYSTONE and not self._authtoken:
            raise ValueError("keystone auth needs keystone_authtoken")

    @property
    def has_cache(self) -> bool:
        return self.cache_driver is not None

    @property
    def ssl_context(self) -> ssl.SSLContext | None:
        """What the harness's own requests reach the node with (None for
        plain HTTP)."""
        return self.tls.context if self.tls else None

    def config(self) -> str:
        """The text of this node's glance-api.conf."""
        w = self.workdir
        default: dict[str, object] = {
            "debug": str(self._debug).lower(),
            "use_stderr": "true",
            "enabled_backends": ", ".join(
                ["%s:file" % s for s in STORES] + ["%s:http" % HTTP_STORE]
            ),
            # The old location API (deprecated in Glance, still served).
            "show_multiple_locations": "true",
            "image_cache_dir": self.cache_dir,
            "image_cache_driver": self.cache_driver,
            "worker_self_reference_url": self.url,
        }
        sections: dict[str, dict[str, object]] = {
            "DEFAULT": default,
            "database": {"connection": "sqlite:///%s" % (self._shared / "glance.sqlite")},
            "glance_store": {"default_backend": STORES[0]},
            STORES[0]: {"filesystem_store_datadir": self._shared / "images"},
            STORES[1]: {"filesystem_store_datadir": self._shared / "images2"},
            "os_glance_staging_store": {"filesystem_store_datadir": w / "staging"},
            "os_glance_tasks_store": {"filesystem_store_datadir": w / "tasks"},
            "oslo_concurrency": {"lock_path": self._shared / "locks"},
            "import_filtering_opts": {
                "allowed_hosts": "[%s]" % ports.LOOPBACK,
                "allowed_ports": "[]",
            },
            "paste_deploy": {
                "flavor": self.flavor,
                "config_file": self._shared / "glance-api-paste.ini",
            },
        }
        if self.auth == AUTH_KEYSTONE:
            sections["keystone_authtoken"] = dict(self._authtoken)
        # The paste file's healthcheck app (oslo.middleware's
        # disable_by_file backend, as in Glance's stock paste file) reads
        # its file from Glance's own configuration: one file per node.
        sections["healthcheck"] = {"disable_by_file_path": self.healthcheck_disable_path}
        return _ini(sections)

    @property
    def healthcheck_disable_path(self) -> pathlib.Path:
        """While this file exists, the node's unauthenticated
        ``/healthcheck`` answers 503 (see :meth:`disable`)."""
        return self.workdir / "healthcheck_disable"

    def disable(self, disabled: bool = True) -> None:
        """Take the node out of service, as operators do (or back in)."""
        if disabled:
            self.healthcheck_disable_path.write_text("disabled by a test\n")
        else:
            self.healthcheck_disable_path.unlink(missing_ok=True)

    def prepare(self) -> None:
        """Write the configuration and make the directories."""
        for d in (self.config_dir, self.workdir / "staging", self.workdir / "tasks"):
            d.mkdir(parents=True, exist_ok=True)
        if self.cache_dir:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
        (self.config_dir / "glance-api.conf").write_text(self.config())

    def start(self) -> None:
        """Start gunicorn (returns at once; see :meth:`wait_ready`)."""
        self.prepare()
        venv = servers_venv.venv_dir()
        env = dict(os.environ)
        for var in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
            env.pop(var, None)
        env["OS_GLANCE_CONFIG_DIR"] = str(self.config_dir)
        env["PYTHONPATH"] = str(SERVER_SIDE_DIR)
        env["PATH"] = "%s:%s" % (venv / "bin", env.get("PATH", ""))
        argv = [
            str(servers_venv.bin_path("gunicorn")),
            "--workers",
            "1",
            "--threads",
            "4",
            "--no-control-socket",
            "--bind",
            "%s:%d" % (ports.LOOPBACK, self.port),
            "--graceful-timeout",
            "3",
            "--timeout",
            "120",
            "--name",
            "glance-api-%s" % self.name,
            *(self.tls.gunicorn_args() if self.tls else []),
            "glance.wsgi.api:application",
        ]
        self.process = procs.ServerProcess(
            "glance-api %s" % self.name,
            argv,
            self.port,
            self.log_path,
            cwd=self.workdir,
            env=env,
            ready_path="/versions",
            listening_marker=procs.gunicorn_listening_marker(self.port, self.scheme),
            ssl_context=self.ssl_context,
        )
        self.process.start()

    def __repr__(self) -> str:
        return "<GlanceNode %s %s cache=%s>" % (self.name, self.url, self.cache_driver)
