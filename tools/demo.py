"""The demo behind ``tools/demo``: see that script."""

from __future__ import annotations

import argparse
import os
import pathlib
import shlex
import subprocess
import sys
import time

from glanceclient.tests.functional import cluster as cluster_mod
from glanceclient.tests.functional import procs

BIN = pathlib.Path(sys.executable).parent
IMAGE_NAME = "demo-cirros"


def show(title: str) -> None:
    print("\n" + "=" * 72 + "\n" + title + "\n" + "=" * 72, flush=True)


def run(env: dict[str, str], *argv: str) -> None:
    """Run one of the project's commands, showing it and its output."""
    procs.check_interrupted()
    print("$ " + " ".join(shlex.quote(a) for a in argv), flush=True)
    command = [str(BIN / argv[0]), *argv[1:]]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    sys.stdout.write(result.stdout + result.stderr)
    if result.returncode:
        print("(exit status %d)" % result.returncode)
    procs.check_interrupted()


def answer_everywhere(env: dict[str, str], sdk: object, image_id: str) -> None:
    run(env, "glance", "cache-nodes-list", IMAGE_NAME)
    run(env, "openstack", "cache", "nodes", "list", IMAGE_NAME, "-f", "json")
    nodes = sdk.cache.list_nodes(image_id)  # type: ignore[attr-defined]
    print(">>> client.cache.list_nodes(%r)\n%r" % (image_id, sorted(nodes)), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", action="store_true", help="leave the servers running")
    args = parser.parse_args()
    # Ctrl-C, SIGTERM and SIGHUP (a closed terminal) stop the servers and
    # remove their directory (Keystone's keys among them), even mid-start.
    procs.interrupt_on_signals()
    try:
        return demo(args.keep)
    except KeyboardInterrupt:
        sys.stderr.write("demo: interrupted; the servers are stopped and their files removed\n")
        return 130


def demo(keep: bool) -> int:
    """Run the demo; with ``keep``, serve until interrupted."""
    show("Starting Keystone and three Glance 33.0.0 nodes on 127.0.0.1")
    began = time.monotonic()
    cluster = cluster_mod.Cluster(nodes=3, auth=cluster_mod.AUTH_KEYSTONE)
    try:
        cluster.start()
        print("started in %.1f s" % (time.monotonic() - began))
        print(cluster.describe())
        node1, node2, node3 = cluster.cache_nodes
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        env.update(cluster.os_environ())
        # The inventory: the nodes named once, for --all-nodes and the report.
        env["OS_IMAGE_NODES"] = ",".join(node.url for node in (node1, node2, node3))
        print("export OS_IMAGE_NODES=%s" % env["OS_IMAGE_NODES"])

        import glanceclient

        sdk = glanceclient.Client("2", session=cluster.keystone_session())
        print('\n>>> sdk = glanceclient.Client("2", session=<keystoneauth1 password session>)')

        show("Uploading a small image, %r" % IMAGE_NAME)
        image_id = cluster.create_image(b"demo image data\n" * 4096, name=IMAGE_NAME)
        print("image id %s (64 KiB)" % image_id)

        show("1. Not cached anywhere yet")
        answer_everywhere(env, sdk, image_id)

        show("2. Downloaded through %s: now cached there" % node1.name)
        cluster.download_image(image_id, node1, wait_cached=True)
        answer_everywhere(env, sdk, image_id)

        show("3. Queued for caching on %s with its own URL" % node2.name)
        run(env, "glance", "--os-image-url", node2.url, "cache-queue", IMAGE_NAME)
        cluster.wait_cached(image_id, node2)
        answer_everywhere(env, sdk, image_id)
        run(env, "glance", "--os-image-url", node2.url, "cache-list")

        show("4. Deleted from the cache of %s" % node1.name)
        run(env, "glance", "--os-image-url", node1.url, "cache-delete", IMAGE_NAME)
        answer_everywhere(env, sdk, image_id)

        # In the cluster's directory: removed with it, even on a signal.
        assert cluster.workdir is not None
        target = str(cluster.workdir / "image.raw")
        show(
            "5. Downloaded from the node that caches it (%s), asking %s" % (node2.name, node1.name)
        )
        run(env, "glance", "image-download", "--from-cache", "--file", target, IMAGE_NAME)
        run(env, "glance", "--os-image-url", node2.url, "cache-list")
        body = sdk.images.data(image_id, from_cache=True)
        size = sum(len(chunk) for chunk in body)
        print(
            ">>> body = client.images.data(%r, from_cache=True)\n"
            "%d bytes; body.served_by = %r" % (image_id, size, body.served_by),
            flush=True,
        )

        show("6. A member is not allowed to ask, and downloads from the regular endpoint")
        member_env = {k: v for k, v in env.items() if not k.startswith("OS_")}
        member_env.update(cluster.os_environ("member"))
        run(member_env, "glance", "cache-nodes-list", IMAGE_NAME)
        run(member_env, "glance", "image-download", "--from-cache", "--file", target, IMAGE_NAME)

        every_node = [a for node in (node1, node2, node3) for a in ("--node", node.url)]
        show("7. Pre-cached on every node at once, waiting until each node has it")
        run(env, "glance", "cache-queue", *every_node, "--wait", IMAGE_NAME)
        run(env, "glance", "cache-nodes-list", "--check", IMAGE_NAME)

        show("8. One command on every node: each node's own cache, in one table")
        run(env, "glance", "cache-list", *every_node)

        show("9. The report: what each node's cache holds, then per image")
        run(env, "glance", "cache-report", "--all-nodes")
        run(env, "glance", "cache-report", "--all-nodes", "--by-image")

        show("10. Evicted everywhere the nodes list names it")
        run(env, "glance", "cache-delete", "--all-nodes", IMAGE_NAME)
        answer_everywhere(env, sdk, image_id)

        show("11. An image deleted through %s stays cached on the others: an orphan" % node1.name)
        doomed = cluster.create_image(b"short-lived\n" * 1024, name="short-lived")
        for node in (node1, node2, node3):
            cluster.download_image(doomed, node, wait_cached=True)
        cluster.delete_image(doomed, node1)
        print("image %s deleted through %s" % (doomed, node1.name))
        run(env, "glance", "cache-orphans", "--all-nodes")
        run(env, "glance", "cache-orphans", "--all-nodes", "--delete")
        run(env, "glance", "cache-orphans", "--all-nodes")

        show(
            "12. Cached on %s and %s again; then %s dies (a download skips it)"
            % (node2.name, node3.name, node3.name)
        )
        run(
            env,
            "glance",
            "cache-queue",
            "--node",
            node2.url,
            "--node",
            node3.url,
            "--wait",
            IMAGE_NAME,
        )
        node3.stop()
        print("(%s stopped: its row stays in the nodes list)" % node3.name)
        run(env, "glance", "cache-nodes-list", "--check", "--probe-timeout", "2", IMAGE_NAME)
        run(env, "openstack", "cache", "nodes", "list", "--check", IMAGE_NAME, "-f", "json")
        states = sdk.fleet.check(image_id, timeout=2)  # type: ignore[attr-defined]
        print(">>> [(s.url, s.status) for s in client.fleet.check(%r)]" % image_id)
        print(repr([(s.url, s.status) for s in states]), flush=True)
        run(env, "glance", "image-download", "--from-cache", "--file", target, IMAGE_NAME)

        show("13. Fan-out, eviction and the report with a dead node: every other node is done")
        run(env, "glance", "cache-clean", *every_node)
        run(env, "glance", "cache-delete", "--all-nodes", IMAGE_NAME)
        run(env, "glance", "cache-nodes-list", "--check", "--probe-timeout", "2", IMAGE_NAME)
        run(env, "glance", "cache-report", "--all-nodes", "--skip-unreachable")

        if keep:
            show("The servers keep running; press Ctrl-C to stop them")
            print(cluster.describe())
            try:
                while True:
                    procs.sleep(3600)
            except KeyboardInterrupt:
                pass
    finally:
        show("Stopping every server")
        cluster.stop()
        print("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
