"""Each way the nodes route can refuse, as the real server words it, through
the SDK, ``glance`` and ``openstack``: a clear line and a non-zero status."""

from __future__ import annotations

from glanceclient import exc
from glanceclient.tests.functional import base
from glanceclient.tests.functional import ports


class NodesRouteErrorsTest(base.FunctionalTest):
    def check_all(self, image: str, cls: type[Exception], message: str, node=None, role="admin"):
        e = self.assertRaises(cls, self.sdk(node, role).cache.list_nodes, image)
        self.assertIn(message, str(e))
        self.assertNotIn(self.cluster.token(role) + ")", str(e))
        glance = self.glance("cache-nodes-list", image, node=node, role=role)
        self.assert_fails_with(glance, "glance: error: ", message)
        self.assertIn(without_request_id(str(e)), glance.err)
        osc = self.openstack("cache", "nodes", "list", image, node=node, role=role)
        self.assert_fails_with(osc, "", message)
        self.assertIn(without_request_id(str(e)), osc.err)

    def test_unknown_image(self) -> None:
        missing = base.random_id()
        self.check_all(
            missing, exc.HTTPNotFound, "HTTP 404 Not Found: Image %s not found." % missing
        )

    def test_member_is_forbidden(self) -> None:
        image_id = self.new_image()
        self.check_all(
            image_id,
            exc.HTTPForbidden,
            "HTTP 403 Forbidden: You are not authorized to complete list_cached_nodes action.",
            role="member",
        )

    def test_sqlite_driver_node(self) -> None:
        image_id = self.new_image()
        self.check_all(
            image_id,
            exc.HTTPConflict,
            "HTTP 409 Conflict: Centralized caching is not enabled",
            node=self.cluster.sqlite_node,
        )

    def test_node_without_cache(self) -> None:
        image_id = self.new_image()
        node = self.cluster.nocache_node
        self.check_all(
            image_id,
            exc.CachingNotEnabled,
            "Image caching is not enabled on the Glance API at %s" % node.url,
            node=node,
        )

    def test_awkward_ids_reach_the_route(self) -> None:
        client = self.sdk()
        for image in ("50%", "what?x=1", "with space", "frag#x", "..."):
            e = self.assertRaises(exc.HTTPNotFound, client.cache.list_nodes, image)
            self.assertEqual("Image %s not found." % image, e.details)
        # The server echoes a non-ASCII id as its UTF-8 bytes read as
        # Latin-1 (PEP 3333 paths): proof that the bytes arrived intact.
        e = self.assertRaises(exc.HTTPNotFound, client.cache.list_nodes, "ünï")
        self.assertEqual("Image %s not found." % "ünï".encode().decode("latin-1"), e.details)

    def test_ids_with_slashes_are_refused(self) -> None:
        # Quoted as %2F, the WSGI server would still decode it before
        # routing: "nodes/<id>" given to delete reached the nodes route.
        client = self.sdk()
        image = self.new_image(name="slashed-" + base.random_id()[:8])
        for call in (client.cache.list_nodes, client.cache.delete, client.cache.queue):
            for bad in ("a/b", "a/..", "../v2/images", "nodes/" + image):
                e = self.assertRaises(exc.InvalidArgument, call, bad)
                self.assertEqual("%r is not an image ID." % bad, str(e))

    def test_names_with_operators_match_exactly(self) -> None:
        # Glance reads "in:" and "eq:" in its name filter as operators.
        client = self.sdk()
        suffix = base.random_id()[:8]
        target = self.new_image(name="target-" + suffix)
        weird = self.new_image(name="in:weird-" + suffix)
        self.assertEqual(weird, client.images.find_id("in:weird-" + suffix))
        self.assertEqual(target, client.images.find_id("target-" + suffix))
        for name in ("in:target-" + suffix, "eq:target-" + suffix, 'in:"target-%s",x' % suffix):
            self.assertRaises(exc.NoImageMatch, client.images.find_id, name)

    def test_connection_refused(self) -> None:
        port = ports.free_ports(1)[0]
        url = "http://127.0.0.1:%d" % port
        image_id = base.random_id()
        result = base.run_command(
            [
                "glance",
                "--os-image-url",
                url,
                "--os-auth-token",
                "admin",
                "cache-nodes-list",
                image_id,
            ],
            {},
        )
        # The first request is the call itself (no version list first).
        self.assert_fails_with(
            result,
            "glance: error: ",
            "Unable to connect to %s/v2/cache/nodes/%s: Connection refused." % (url, image_id),
        )

    def test_unknown_name(self) -> None:
        name = "no-such-image-" + base.random_id()[:8]
        result = self.glance("cache-nodes-list", name)
        self.assert_fails_with(
            result, "glance: error: ", "No image with a name or ID of %r exists." % name
        )

    def test_ambiguous_name(self) -> None:
        name = "twin-" + base.random_id()[:8]
        first, second = self.new_image(name=name), self.new_image(name=name)
        result = self.glance("cache-nodes-list", name)
        self.assert_fails_with(result, "glance: error: ", "More than one image is named %r" % name)
        self.assertIn(first, result.err)
        self.assertIn(second, result.err)


def without_request_id(message: str) -> str:
    """An error line up to its request id, which differs on every call."""
    return message.split(", request id ")[0]
