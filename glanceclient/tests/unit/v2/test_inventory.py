"""The inventory: parsing the nodes of a deployment from the configuration."""

from __future__ import annotations

import testtools

import glanceclient
from glanceclient.v2 import inventory

A = "http://glance-api-0.internal:9292"
B = "https://edge-2.example.com:9292"


def parse(value, source="OS_IMAGE_NODES"):
    return inventory.Inventory.from_config(value, source)


class ParseTest(testtools.TestCase):
    def test_none_is_empty(self):
        nodes = parse(None)
        self.assertEqual(0, len(nodes))
        self.assertFalse(nodes)
        self.assertEqual([], nodes.to_list())

    def test_string_separated_by_commas_and_white_space(self):
        nodes = parse(" %s,%s\n\thttp://edge-3:9292 ,, " % (A, B))
        self.assertEqual([A, B, "http://edge-3:9292"], nodes.urls)

    def test_list_of_urls_and_mappings(self):
        nodes = parse(
            [A + "/", {"url": B, "cache_max_size": 10737418240}, {"url": "http://edge-3"}],
            "clouds.yaml image_nodes",
        )
        self.assertEqual(
            [
                {"url": A, "cache_max_size": None},
                {"url": B, "cache_max_size": 10737418240},
                {"url": "http://edge-3", "cache_max_size": None},
            ],
            nodes.to_list(),
        )
        self.assertEqual(10737418240, nodes.cache_max_size(B + "/"))
        self.assertIsNone(nodes.cache_max_size(A))
        self.assertIsNone(nodes.cache_max_size("http://elsewhere:9292"))

    def test_a_list_item_may_hold_several_urls(self):
        self.assertEqual([A, B], parse(["%s, %s" % (A, B)]).urls)

    def test_size_as_digits(self):
        self.assertEqual(4096, parse([{"url": A, "cache_max_size": "4096"}])[0].cache_max_size)

    def test_duplicates_count_once_first_wins(self):
        nodes = parse(
            [
                {"url": A, "cache_max_size": 100},
                A.upper().replace("HTTP://", "http://") + "/",
                {"url": A, "cache_max_size": 200},
                "http://edge-3:80",
                "http://edge-3",
                "https://edge-4:443",
                "https://edge-4",
            ]
        )
        self.assertEqual([A, "http://edge-3:80", "https://edge-4:443"], nodes.urls)
        self.assertEqual(100, nodes.cache_max_size(A))
        self.assertEqual(100, nodes.cache_max_size(A.replace("glance", "GLANCE")))

    def test_http_and_https_of_one_host_are_two_nodes(self):
        self.assertEqual(2, len(parse("http://edge-1:9292 https://edge-1:9292")))

    def test_an_inventory_is_taken_as_it_is(self):
        nodes = parse(A)
        self.assertIs(nodes, parse(nodes))

    def test_sdk_client_keeps_it(self):
        client = glanceclient.Client(
            "2", "http://glance.example.test:9292", token="t", image_nodes=[A, {"url": B}]
        )
        self.assertEqual([A, B], client.inventory.urls)
        self.assertEqual([], glanceclient.Client("2", "http://g:9292", token="t").inventory.urls)

    def test_require(self):
        self.assertEqual([A], parse(A).require("--all-nodes"))
        e = self.assertRaises(inventory.InventoryError, parse(None).require, "--all-nodes")
        self.assertEqual(
            "--all-nodes needs the nodes of the deployment: name the nodes once with "
            "image_nodes in clouds.yaml, OS_IMAGE_NODES (URLs separated by commas or "
            "spaces) or --os-image-nodes.",
            str(e),
        )


class BadEntryTest(testtools.TestCase):
    """Every bad entry is refused, named, with where it came from."""

    def assert_refused(self, value, *fragments, source="OS_IMAGE_NODES"):
        e = self.assertRaises(inventory.InventoryError, parse, value, source)
        self.assertIsInstance(e, glanceclient.exc.InvalidArgument)
        message = str(e)
        self.assertTrue(message.startswith(source), message)
        self.assertEqual(1, len(message.splitlines()))
        for fragment in fragments:
            self.assertIn(fragment, message)

    def test_not_http(self):
        self.assert_refused("%s ftp://edge-9:21" % A, "'ftp://edge-9:21' is not a node URL")

    def test_no_scheme(self):
        self.assert_refused("edge-9:9292", "'edge-9:9292' is not a node URL")

    def test_no_host(self):
        self.assert_refused("http://", "'http://' is not a node URL")

    def test_path(self):
        self.assert_refused(A + "/v2", "'%s/v2' is not a node URL: it must not hold a path" % A)

    def test_query(self):
        self.assert_refused(A + "?x=1", "'%s?x=1'" % A, "a query")

    def test_empty_query_and_fragment(self):
        self.assert_refused(A + "?", "'%s?'" % A)
        self.assert_refused(A + "#", "'%s#'" % A)

    def test_fragment(self):
        self.assert_refused(A + "#top", "'%s#top'" % A, "a fragment")

    def test_bad_port(self):
        self.assert_refused("http://edge-9:99999", "'http://edge-9:99999'", "port")
        self.assert_refused("http://edge-9:nine", "'http://edge-9:nine'", "port")

    def test_mapping_without_url(self):
        self.assert_refused(
            [{"cache_max_size": 5}],
            "{'cache_max_size': 5} is not a node: give url",
            source="clouds.yaml image_nodes",
        )

    def test_mapping_with_another_key(self):
        self.assert_refused(
            [{"url": A, "cache-max-size": 5}], "'cache-max-size': 5", "is not a node"
        )

    def test_mapping_url_not_a_string(self):
        self.assert_refused([{"url": 9292}], "{'url': 9292} is not a node")

    def test_mapping_bad_url(self):
        self.assert_refused([{"url": A + "/v2"}], "'%s/v2' is not a node URL" % A)

    def test_bad_sizes(self):
        for size in (0, -1, True, 1.5, "10G", "", [1]):
            self.assert_refused(
                [{"url": A, "cache_max_size": size}],
                "cache_max_size %r is not a size in bytes" % (size,),
            )

    def test_item_of_another_type(self):
        self.assert_refused([A, 42], "42 is not a node URL")
        self.assert_refused([None], "None is not a node URL")

    def test_not_a_list(self):
        self.assert_refused({A: {}}, "must be a list of node URLs")
        self.assert_refused(9292, "must be a list of node URLs")

    def test_sdk_client_refuses_it(self):
        self.assertRaises(
            inventory.InventoryError,
            glanceclient.Client,
            "2",
            "http://glance.example.test:9292",
            token="t",
            image_nodes=["ftp://edge-9"],
        )
