"""Test helpers shared by the unit and functional tests."""

from __future__ import annotations

import json
import os

import fixtures

#: Keystone's answer to a wrong password.
KEYSTONE_401 = {
    "error": {
        "code": 401,
        "title": "Unauthorized",
        "message": "The request you have made requires authentication.",
    }
}


class CloudsYaml(fixtures.Fixture):
    """A clouds.yaml with one password cloud, named by OS_CLIENT_CONFIG_FILE.

    :ivar path: the file's path.
    """

    def __init__(self, cloud: str, auth_url: str, username: str, password: str, project: str):
        super().__init__()
        self.document = {
            "clouds": {
                cloud: {
                    "auth": {
                        "auth_url": auth_url,
                        "username": username,
                        "password": password,
                        "project_name": project,
                        "user_domain_name": "Default",
                        "project_domain_name": "Default",
                    },
                    "region_name": "RegionOne",
                }
            }
        }

    def _setUp(self) -> None:  # noqa: N802 - the fixtures API
        folder = self.useFixture(fixtures.TempDir()).path
        self.path = os.path.join(folder, "clouds.yaml")
        with open(self.path, "w") as f:
            json.dump(self.document, f)  # JSON is YAML
        self.useFixture(fixtures.EnvironmentVariable("OS_CLIENT_CONFIG_FILE", self.path))
