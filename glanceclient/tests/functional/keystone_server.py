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

"""A real Keystone on 127.0.0.1 for the functional tests.

Set-up, from the template the servers venv keeps (``keystone-manage
db_sync``, ``fernet_setup``, ``credential_setup`` and ``bootstrap`` run once
when the venv is built): copy the database and key repositories, start
gunicorn, then through the API point the identity endpoint at this server,
register the ``image`` service with a public endpoint, and create the
``member`` and ``reader`` users with those roles on the admin project.

Keystone parses the server's command line with oslo.config, so gunicorn is
configured only through a ``gunicorn.conf.py`` in its working directory and
started with no arguments.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import shutil
import time

from glanceclient.tests.functional import httputil
from glanceclient.tests.functional import ports
from glanceclient.tests.functional import procs
from glanceclient.tests.functional import servers_venv

DOMAIN = "Default"
DOMAIN_ID = "default"


@dataclasses.dataclass(frozen=True)
class Credentials:
    """What a user needs to get a project-scoped token from Keystone."""

    auth_url: str
    username: str
    password: str
    project_name: str
    user_domain_name: str = DOMAIN
    project_domain_name: str = DOMAIN

    def auth_body(self) -> dict[str, object]:
        """The body of POST /v3/auth/tokens for these credentials."""
        return {
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {
                        "user": {
                            "name": self.username,
                            "password": self.password,
                            "domain": {"name": self.user_domain_name},
                        }
                    },
                },
                "scope": {
                    "project": {
                        "name": self.project_name,
                        "domain": {"name": self.project_domain_name},
                    }
                },
            }
        }

    def os_environ(self) -> dict[str, str]:
        """The ``OS_*`` variables for these credentials."""
        return {
            "OS_AUTH_URL": self.auth_url,
            "OS_USERNAME": self.username,
            "OS_PASSWORD": self.password,
            "OS_PROJECT_NAME": self.project_name,
            "OS_USER_DOMAIN_NAME": self.user_domain_name,
            "OS_PROJECT_DOMAIN_NAME": self.project_domain_name,
            "OS_IDENTITY_API_VERSION": "3",
        }


def get_token(credentials: Credentials) -> str:
    """A fresh project-scoped token (POST /v3/auth/tokens)."""
    resp = httputil.expect(
        httputil.request(
            "POST", credentials.auth_url + "/auth/tokens", json_body=credentials.auth_body()
        ),
        201,
    )
    return resp.headers["x-subject-token"]


GUNICORN_CONF = """\
# Written by glanceclient.tests.functional.keystone_server
wsgi_app = 'keystone.wsgi.api:application'
bind = ['%(host)s:%(port)d']
workers = 1
threads = 4
control_socket_disable = True
graceful_timeout = 3
timeout = 120
proc_name = 'keystone-%(port)d'
"""


class KeystoneServer(procs.ManagedServer):
    """Keystone serving on 127.0.0.1:<port> from ``workdir``.

    :ivar url: ``http://127.0.0.1:<port>`` (the identity endpoint in the
        catalog; unversioned).
    :ivar auth_url: ``<url>/v3`` (what OS_AUTH_URL is set to).
    :ivar admin: :class:`Credentials` of the bootstrap admin.
    :ivar users: role name -> :class:`Credentials`, for ``admin``,
        ``member`` and ``reader`` (after :meth:`configure`).
    """

    def __init__(self, port: int, workdir: pathlib.Path, debug: bool = False) -> None:
        self.port = port
        self.url = "http://%s:%d" % (ports.LOOPBACK, port)
        self.auth_url = self.url + "/v3"
        self.workdir = workdir
        super().__init__(workdir / "keystone.log")
        self.label = "keystone"
        self.name = "keystone"
        self._debug = debug
        self.admin = Credentials(
            self.auth_url,
            servers_venv.KEYSTONE_ADMIN_USER,
            servers_venv.KEYSTONE_ADMIN_PASSWORD,
            servers_venv.KEYSTONE_ADMIN_PROJECT,
        )
        self.users: dict[str, Credentials] = {"admin": self.admin}
        self.project_id: str | None = None

    def start(self) -> None:
        """Copy the template and start gunicorn (does not wait)."""
        template = servers_venv.template_path("keystone")
        shutil.copytree(template, self.workdir, dirs_exist_ok=True)
        (self.workdir / "keystone.conf").write_text(
            servers_venv.keystone_conf_text(self.workdir, debug=self._debug)
        )
        (self.workdir / "gunicorn.conf.py").write_text(
            GUNICORN_CONF % {"host": ports.LOOPBACK, "port": self.port}
        )
        env = dict(os.environ)
        for var in (
            "PYTHONPATH",
            "PYTHONHOME",
            "VIRTUAL_ENV",
            "GUNICORN_CMD_ARGS",
            "OS_KEYSTONE_CONFIG_FILES",
        ):
            env.pop(var, None)
        env["OS_KEYSTONE_CONFIG_DIR"] = str(self.workdir)
        venv = servers_venv.venv_dir()
        env["PATH"] = "%s:%s" % (venv / "bin", env.get("PATH", ""))
        self.process = procs.ServerProcess(
            "keystone",
            [str(servers_venv.bin_path("gunicorn"))],
            self.port,
            self.log_path,
            cwd=self.workdir,
            env=env,
            ready_path="/v3",
            listening_marker=procs.gunicorn_listening_marker(self.port),
        )
        self.process.start()

    def configure(self, image_url: str, member_password: str, reader_password: str) -> None:
        """Fix the catalog and add the users (Keystone must be serving).

        :param image_url: the public endpoint of the ``image`` service.
        """
        token = get_token(self.admin)
        api = self.auth_url

        def call(
            method: str, path: str, body: object = None, ok: tuple[int, ...] = (200, 201, 204)
        ) -> object:
            resp = httputil.expect(
                httputil.request(method, api + path, token=token, json_body=body), *ok
            )
            return resp.json() if resp.body else None

        def first(listing: object, key: str) -> dict[str, object]:
            assert isinstance(listing, dict) and listing[key], listing
            item = listing[key][0]
            assert isinstance(item, dict)
            return item

        # The template's identity endpoint points at a placeholder port.
        for ep in call("GET", "/endpoints")["endpoints"]:  # type: ignore
            if ep["url"] == servers_venv.KEYSTONE_PLACEHOLDER_URL:
                call("PATCH", "/endpoints/%s" % ep["id"], {"endpoint": {"url": self.url}})
        service = call(
            "POST",
            "/services",
            {
                "service": {
                    "type": "image",
                    "name": "glance",
                    "description": "Image service (functional test cluster)",
                }
            },
        )
        call(
            "POST",
            "/endpoints",
            {
                "endpoint": {
                    "service_id": service["service"]["id"],  # type: ignore
                    "interface": "public",
                    "url": image_url,
                    "region_id": servers_venv.KEYSTONE_REGION,
                }
            },
        )
        project = first(
            call("GET", "/projects?name=%s" % servers_venv.KEYSTONE_ADMIN_PROJECT), "projects"
        )
        self.project_id = str(project["id"])
        for role, password in (("member", member_password), ("reader", reader_password)):
            role_ref = first(call("GET", "/roles?name=%s" % role), "roles")
            user = call(
                "POST",
                "/users",
                {
                    "user": {
                        "name": role,
                        "password": password,
                        "domain_id": DOMAIN_ID,
                        "default_project_id": self.project_id,
                    }
                },
            )
            call(
                "PUT",
                "/projects/%s/users/%s/roles/%s"
                % (
                    self.project_id,
                    user["user"]["id"],  # type: ignore
                    role_ref["id"],
                ),
            )
            self.users[role] = Credentials(
                self.auth_url, role, password, servers_venv.KEYSTONE_ADMIN_PROJECT
            )

    def authtoken_section(self) -> dict[str, str]:
        """``[keystone_authtoken]`` for Glance nodes using this Keystone.

        Glance validates tokens as the bootstrap admin (a test cluster has
        no separate service user).
        """
        return {
            "www_authenticate_uri": self.auth_url,
            "auth_url": self.auth_url,
            "auth_type": "password",
            "username": self.admin.username,
            "password": self.admin.password,
            "project_name": self.admin.project_name,
            "user_domain_name": DOMAIN,
            "project_domain_name": DOMAIN,
            "region_name": servers_venv.KEYSTONE_REGION,
            # the catalog has public endpoints only (default: internal)
            "interface": "public",
            "service_token_roles_required": "true",
        }


class TokenCache:
    """Keystone tokens per role, fetched again after ``max_age`` seconds."""

    def __init__(self, users: dict[str, Credentials], max_age: float = 1800.0) -> None:
        self._users = users
        self._max_age = max_age
        self._tokens: dict[str, tuple[float, str]] = {}

    def get(self, role: str) -> str:
        now = time.monotonic()
        cached = self._tokens.get(role)
        if cached and now - cached[0] < self._max_age:
            return cached[1]
        token = get_token(self._users[role])
        self._tokens[role] = (now, token)
        return token
