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

"""Trusted-token auth for test Glance nodes (runs inside the servers venv).

A paste filter placed just before Glance's real ``context`` middleware. It
reads ``X-Auth-Token`` and fills in the headers keystonemiddleware would,
so Glance's real default policies apply:

* ``admin``  -> roles admin, member, reader (Keystone's implied roles)
* ``member`` -> roles member, reader
* ``reader`` -> role reader
* ``USER:PROJECT:ROLE1,ROLE2`` -> exactly that user, project and roles

Any other token, or none, leaves ``X-Identity-Status: Invalid`` and
Glance's ``context`` middleware answers 401 (as with keystonemiddleware's
``delay_auth_decision``). Identity headers sent by the client are always
dropped first.

This module is loaded by the Glance servers only: its directory is put on
their PYTHONPATH. It uses the standard library alone and must not import
``glanceclient`` (the servers venv may hold another one).
"""

PROJECT_ID = "5d1a7ac1c0de4ad29e3a0c0ffee00001"
PROJECT_NAME = "demo"

# token -> (user id, roles)
NAMED_TOKENS = {
    "admin": ("admin-user", ["admin", "member", "reader"]),
    "member": ("member-user", ["member", "reader"]),
    "reader": ("reader-user", ["reader"]),
}

_DROPPED_PREFIXES = (
    "HTTP_X_IDENTITY_",
    "HTTP_X_USER",
    "HTTP_X_PROJECT",
    "HTTP_X_TENANT",
    "HTTP_X_DOMAIN",
    "HTTP_X_ROLE",
    "HTTP_X_SERVICE",
    "HTTP_X_SYSTEM",
    "HTTP_X_IS_ADMIN",
    "HTTP_X_AUTH_TYPE",
)


def parse_token(token):
    """Return (user_id, project_id, roles), or None for a bad token."""
    if not token:
        return None
    if token in NAMED_TOKENS:
        user, roles = NAMED_TOKENS[token]
        return user, PROJECT_ID, list(roles)
    parts = token.split(":")
    if len(parts) != 3 or not parts[0] or not parts[1]:
        return None
    roles = [r.strip() for r in parts[2].split(",") if r.strip()]
    return parts[0], parts[1], roles


class TrustedAuth:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        for key in [k for k in environ if k.startswith(_DROPPED_PREFIXES)]:
            del environ[key]
        identity = parse_token(environ.get("HTTP_X_AUTH_TOKEN"))
        if identity is None:
            environ["HTTP_X_IDENTITY_STATUS"] = "Invalid"
        else:
            user, project, roles = identity
            environ["HTTP_X_IDENTITY_STATUS"] = "Confirmed"
            environ["HTTP_X_USER_ID"] = user
            environ["HTTP_X_USER_NAME"] = user
            environ["HTTP_X_USER_DOMAIN_ID"] = "default"
            environ["HTTP_X_PROJECT_ID"] = project
            environ["HTTP_X_PROJECT_NAME"] = PROJECT_NAME if project == PROJECT_ID else project
            environ["HTTP_X_PROJECT_DOMAIN_ID"] = "default"
            environ["HTTP_X_ROLES"] = ",".join(roles)
        return self.app(environ, start_response)


def filter_factory(global_conf, **local_conf):
    """Paste entry point: ``paste.filter_factory = <module>:filter_factory``."""
    return TrustedAuth
