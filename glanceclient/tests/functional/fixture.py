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

"""Clusters for tests: shared per test process, or private to one test.

Starting a node takes about 2 s, so tests share clusters. A shared cluster
is started lazily, the first time a test asks for that shape (nodes, auth,
extra nodes), kept in this module for every later test of the same process
(any class, any module), and stopped when the process exits (atexit, and on
SIGTERM). stestr runs one process per worker, so each worker has at most one
cluster per shape; tests must therefore not depend on what other tests did:
create your own images (ids are unique) and look only at them.

Typical use::

    from glanceclient.tests.functional import fixture

    class TestSomething(testtools.TestCase):
        def setUp(self):
            super().setUp()
            self.cluster = self.useFixture(fixture.ClusterFixture()).cluster

        def test_it(self):
            image_id = self.cluster.create_image(b'data')
            self.addCleanup(self.cluster.delete_image, image_id)
            node1, node2 = self.cluster.cache_nodes[:2]
            self.cluster.download_image(image_id, node1, wait_cached=True)
            ...

``ClusterFixture(shared=False)`` starts a cluster for that test alone and
stops it at the test's cleanup (for tests that stop or break servers).

A cluster that died (a server exited) is replaced the next time it is
asked for.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import fixtures

from glanceclient.tests.functional import cluster as cluster_mod
from glanceclient.tests.functional import procs

#: The shape most tests want: two centralized-cache nodes plus one node
#: with the sqlite driver (nodes route: 409) and one with caching off.
DEFAULT_SHAPE: dict[str, Any] = {
    "nodes": 2,
    "auth": cluster_mod.AUTH_TRUSTED,
    "sqlite_node": True,
    "nocache_node": True,
    "metadefs": False,
    "tls": False,
    "mtls_node": False,
    "expired_node": False,
    "wronghost_node": False,
}

_shared: dict[tuple[tuple[str, Any], ...], cluster_mod.Cluster] = {}
_shared_lock = threading.RLock()  # reentrant: see procs._stop_and_die
_owner_pid = os.getpid()


def _stop_shared() -> None:
    if os.getpid() != _owner_pid:
        return
    with _shared_lock:
        clusters = list(_shared.values())
        _shared.clear()
    for c in clusters:
        c.stop()


procs.add_exit_hook(_stop_shared)


def shape(**overrides: Any) -> dict[str, Any]:
    """DEFAULT_SHAPE with ``overrides`` (``nodes``, ``auth``,
    ``sqlite_node``, ``nocache_node``, ``metadefs``, ``tls``, ``mtls_node``,
    ``expired_node``, ``wronghost_node``)."""
    unknown = set(overrides) - set(DEFAULT_SHAPE)
    if unknown:
        raise TypeError("unknown cluster options: %s" % sorted(unknown))
    out = dict(DEFAULT_SHAPE)
    out.update(overrides)
    return out


def shared_cluster(**overrides: Any) -> cluster_mod.Cluster:
    """The process-wide running cluster of this shape, started if needed.

    Never stop it yourself; it is stopped at exit.
    """
    spec = shape(**overrides)
    key = tuple(sorted(spec.items()))
    with _shared_lock:
        existing = _shared.get(key)
        if existing is not None and existing.is_alive():
            return existing
        if existing is not None:
            existing.stop()
            del _shared[key]
        procs.install_signal_handlers()
        started = cluster_mod.Cluster(**spec).start()
        _shared[key] = started
        return started


class ClusterFixture(fixtures.Fixture):
    """Gives a test a running :class:`~cluster.Cluster` as ``.cluster``.

    :param shared: True (default) for the process-wide cluster of this
        shape; False for one of the test's own, stopped at its cleanup.
    :param overrides: ``nodes``, ``auth`` (``'trusted'``/``'keystone'``),
        ``sqlite_node``, ``nocache_node``, ``metadefs`` (Glance's standard
        metadata definitions loaded), ``tls`` (every node over HTTPS) and
        its extra nodes ``mtls_node``, ``expired_node``,
        ``wronghost_node``; see :data:`DEFAULT_SHAPE`.
    """

    def __init__(self, shared: bool = True, **overrides: Any) -> None:
        super().__init__()
        self.shared = shared
        self.spec = shape(**overrides)
        self.cluster: cluster_mod.Cluster

    def _setUp(self) -> None:  # noqa: N802 - the fixtures API
        if self.shared:
            self.cluster = shared_cluster(**self.spec)
        else:
            procs.install_signal_handlers()
            c = cluster_mod.Cluster(**self.spec)
            self.addCleanup(c.stop)
            self.cluster = c.start()
