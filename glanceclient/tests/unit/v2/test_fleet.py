"""Tests of glanceclient.v2.fleet: the URL map, node URLs, the bounded
runner and its deadlines, probes, and calls on named nodes."""

from __future__ import annotations

import signal
import threading
import time

import requests

from glanceclient import exc
from glanceclient.tests.unit import base
from glanceclient.v2 import fleet

NODES_URL = base.ENDPOINT + "/v2/cache/nodes/" + base.IMAGE_ID
NODE_A = "http://node_a:60999"
NODE_B = "http://node_b:60999"
NODE_C = "http://node_c:60999"


class UrlMapTest(base.TestCase):
    def test_longest_prefix_wins(self):
        url_map = fleet.UrlMap(
            ["http://node_=http://10.0.0.", "http://node_b:60999=https://b.example.test:9292"]
        )
        self.assertEqual("http://10.0.0.a:60999", url_map(NODE_A))
        self.assertEqual("https://b.example.test:9292", url_map(NODE_B))
        self.assertEqual("http://other:1", url_map("http://other:1"))
        self.assertTrue(url_map)
        self.assertFalse(fleet.UrlMap())

    def test_from_config(self):
        from_env = fleet.UrlMap.from_config("http://a=http://x, http://b=http://y")
        self.assertEqual({"http://a": "http://x", "http://b": "http://y"}, from_env.rules)
        from_yaml = fleet.UrlMap.from_config({"http://a": "http://x"})
        self.assertEqual({"http://a": "http://x"}, from_yaml.rules)
        self.assertEqual({}, fleet.UrlMap.from_config(None).rules)
        self.assertEqual(
            {"http://a": "http://x"}, fleet.UrlMap.from_config(["http://a=http://x"]).rules
        )

    def test_bad_rules(self):
        for rules in (["http://a"], ["=http://x"], ["http://a=x"]):
            self.assertRaises(exc.InvalidArgument, fleet.UrlMap, rules)
        self.assertRaises(exc.InvalidArgument, fleet.UrlMap.from_config, 3)


class NodeUrlTest(base.TestCase):
    def test_roots_are_accepted(self):
        self.assertEqual(NODE_A, fleet.node_url(NODE_A))
        self.assertEqual(NODE_A, fleet.node_url(NODE_A + "/"))
        self.assertEqual("https://[::1]:9292", fleet.node_url("https://[::1]:9292"))

    def test_paths_queries_fragments_and_odd_schemes_are_refused(self):
        for url in (
            NODE_A + "/v2",
            NODE_A + "?x=1",
            NODE_A + "#frag",
            NODE_A + "?",
            "node_a:60999",
            "ftp://node_a",
            "http://",
        ):
            self.assertRaises(exc.InvalidArgument, fleet.node_url, url)


class RunBoundedTest(base.TestCase):
    def test_at_most_max_parallel_at_once_in_order(self):
        lock = threading.Lock()
        running, seen = [0], [0]

        def call(n: int) -> int:
            with lock:
                running[0] += 1
                seen[0] = max(seen[0], running[0])
            time.sleep(0.02)
            with lock:
                running[0] -= 1
            return n * 10

        outcomes = fleet.run_bounded(call, list(range(12)), max_parallel=3)
        self.assertEqual([n * 10 for n in range(12)], [o.value for o in outcomes])
        self.assertEqual(3, seen[0])

    def test_every_item_is_tried_and_errors_stay_in_their_row(self):
        def call(n: int) -> int:
            if n % 2:
                raise exc.CommandError("gone %d" % n)
            return n

        outcomes = fleet.run_bounded(call, [0, 1, 2, 3], max_parallel=2)
        self.assertEqual([0, None, 2, None], [o.value for o in outcomes])
        self.assertEqual(["gone 1", "gone 3"], [str(o.error) for o in outcomes if o.error])

    def test_a_call_that_never_ends_costs_its_timeout_and_frees_its_slot(self):
        never = threading.Event()
        self.addCleanup(never.set)

        def call(n: int) -> int:
            if n == 0:
                never.wait()
            return n

        began = time.monotonic()
        outcomes = fleet.run_bounded(
            call, [0, 1, 2], max_parallel=1, timeout=0.3, label=lambda n: "node%d" % n
        )
        took = time.monotonic() - began
        self.assertIsInstance(outcomes[0].error, exc.Timeout)
        self.assertEqual("No answer from node0 within 0.3 s.", str(outcomes[0].error))
        self.assertEqual([1, 2], [o.value for o in outcomes[1:]])
        self.assertLess(took, 10.0)  # not forever: the slot went to the next call
        self.assertGreaterEqual(took, 0.3)

    def test_deadlines_run_side_by_side(self):
        never = threading.Event()
        self.addCleanup(never.set)
        began = time.monotonic()
        outcomes = fleet.run_bounded(lambda n: never.wait(), range(4), max_parallel=4, timeout=1.0)
        self.assertLess(time.monotonic() - began, 3.0)  # one timeout, not four
        self.assertTrue(all(isinstance(o.error, exc.Timeout) for o in outcomes))

    def test_done_hook_hears_every_item_once(self):
        never = threading.Event()
        self.addCleanup(never.set)
        heard = []
        outcomes = fleet.run_bounded(
            lambda n: never.wait() if n == 1 else n,
            [0, 1, 2],
            max_parallel=3,
            timeout=0.3,
            done_hook=heard.append,
        )
        self.assertEqual([0, 1, 2], sorted(heard))
        self.assertEqual(1, heard[-1])  # the one given up, last
        self.assertIsInstance(outcomes[1].error, fleet.NodeTimeout)
        self.assertEqual(0.3, outcomes[1].error.seconds)

    def test_ctrl_c_keeps_what_ended(self):
        never = threading.Event()
        self.addCleanup(never.set)
        started = []

        def call(n: int) -> int:
            started.append(n)
            if n:
                never.wait()
            return n

        def interrupt(index: int) -> None:  # once item 0 has ended, Ctrl-C
            signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)

        with self.assertRaises(fleet.RunInterrupted) as caught:
            fleet.run_bounded(call, [0, 1, 2, 3], max_parallel=2, done_hook=interrupt)
        outcomes = caught.exception.results
        self.assertEqual(0, outcomes[0].value)
        self.assertIsInstance(outcomes[1].error, fleet.Interrupted)
        self.assertIsInstance(caught.exception, KeyboardInterrupt)
        time.sleep(0.1)
        self.assertEqual([0, 1, 2], sorted(started))  # nothing starts afterwards

    def test_bad_bounds(self):
        self.assertRaises(exc.InvalidArgument, fleet.run_bounded, str, [1], max_parallel=0)
        self.assertRaises(
            exc.InvalidArgument, fleet.run_bounded, str, [1], max_parallel=1, timeout=0
        )
        self.assertEqual([], fleet.run_bounded(str, [], max_parallel=1))


class ProbeTest(base.TestCase):
    def setUp(self):
        super().setUp()
        self.client = self.make_client(node_url_map=["http://node_c=http://10.0.0.3"])

    def test_states(self):
        ok = self.requests.get(NODE_A + "/healthcheck", text="OK")
        self.requests.get(NODE_B + "/healthcheck", status_code=503, text="DISABLED BY FILE")
        mapped = self.requests.get(
            "http://10.0.0.3:60999/healthcheck", exc=requests.exceptions.ConnectTimeout
        )
        self.requests.get("http://node_d:1/healthcheck", exc=base.refused())
        self.requests.get("http://node_e:1/healthcheck", status_code=500)
        self.requests.get("http://node_f:1/healthcheck", status_code=300, text="versions")
        states = [
            self.client.fleet.probe(node, timeout=1.5)
            for node in (NODE_A, NODE_B, NODE_C, "http://node_d:1", "http://node_e:1")
        ]
        self.assertEqual(
            ["ok", "disabled", "unreachable", "unreachable", "error"], [s.status for s in states]
        )
        self.assertEqual("http://10.0.0.3:60999", states[2].endpoint)
        self.assertEqual(NODE_C, states[2].url)
        self.assertIsNone(states[2].latency_ms)
        self.assertIsInstance(states[0].latency_ms, float)
        self.assertIsNone(states[1].error)
        self.assertIn("500", states[4].error)
        self.assertEqual("error", self.client.fleet.probe("http://node_f:1").status)
        # A name that does not resolve, as requests reports it.
        self.requests.get(
            "http://node_g:1/healthcheck", exc=base.unresolved("http://node_g:1/healthcheck")
        )
        state = self.client.fleet.probe("http://node_g:1")
        self.assertEqual("unreachable", state.status, state.error)
        # No token on the unauthenticated route; the probe's own timeout.
        self.assertNotIn("X-Auth-Token", ok.last_request.headers)
        self.assertEqual(1.5, ok.last_request.timeout)
        self.assertEqual(1.5, mapped.last_request.timeout)

    def test_check_lists_then_probes_each_node_once(self):
        self.mock_versions()
        self.requests.get(NODES_URL, json=[NODE_B, NODE_A])
        a = self.requests.get(NODE_A + "/healthcheck", text="OK")
        b = self.requests.get(NODE_B + "/healthcheck", status_code=503)
        states = self.client.fleet.check(base.IMAGE_ID)
        self.assertEqual(
            [(NODE_A, "ok"), (NODE_B, "disabled")], [(s.url, s.status) for s in states]
        )
        self.assertEqual((1, 1), (a.call_count, b.call_count))
        self.assertEqual(fleet.PROBE_TIMEOUT, a.last_request.timeout)

    def test_check_forbidden_probes_nothing(self):
        self.mock_versions()
        self.requests.get(NODES_URL, status_code=403, text=base.error_body("403 Forbidden", "no"))
        probe = self.requests.get(NODE_A + "/healthcheck", text="OK")
        self.assertRaises(exc.HTTPForbidden, self.client.fleet.check, base.IMAGE_ID)
        self.assertEqual(0, probe.call_count)


class RunOnNodesTest(base.TestCase):
    def setUp(self):
        super().setUp()
        self.client = self.make_client(node_url_map={"http://node_b": "http://10.0.0.2"})
        for root in (NODE_A, "http://10.0.0.2:60999", NODE_C):
            self.mock_versions(endpoint=root)

    def test_each_node_gets_the_call_with_the_same_token(self):
        a = self.requests.post(NODE_A + "/v2/cache/clean", status_code=200)
        b = self.requests.post("http://10.0.0.2:60999/v2/cache/clean", status_code=200)
        c = self.requests.post(
            NODE_C + "/v2/cache/clean",
            status_code=500,
            text=base.error_body("500 Internal Server Error", "boom"),
        )
        results = self.client.fleet.run([NODE_A, NODE_B, NODE_C], lambda n: n.cache.clean())
        self.assertEqual([NODE_A, NODE_B, NODE_C], [r.node for r in results])
        self.assertEqual("http://10.0.0.2:60999", results[1].endpoint)
        self.assertEqual([True, True, False], [r.ok for r in results])
        self.assertIsInstance(results[2].error, exc.HTTPInternalServerError)
        for route in (a, b, c):
            self.assertEqual(1, route.call_count)
            self.assertEqual(base.TOKEN, route.last_request.headers["X-Auth-Token"])

    def test_per_image_rows(self):
        self.requests.put(NODE_A + "/v2/cache/" + base.IMAGE_ID, status_code=202)
        self.requests.put(NODE_A + "/v2/cache/other", status_code=404, text="gone")
        results = self.client.fleet.run_per_image(
            [NODE_A], [base.IMAGE_ID, "other"], lambda n, i: n.cache.queue(i)
        )
        self.assertEqual([base.IMAGE_ID, "other"], [r.image for r in results])
        self.assertEqual([True, False], [r.ok for r in results])

    def test_delete_everywhere(self):
        self.mock_versions()
        self.requests.get(NODES_URL, json=[NODE_C, NODE_A])
        a = self.requests.delete(NODE_A + "/v2/cache/" + base.IMAGE_ID, status_code=204)
        c = self.requests.delete(NODE_C + "/v2/cache/" + base.IMAGE_ID, status_code=204)
        results = self.client.fleet.delete_everywhere([base.IMAGE_ID])
        self.assertEqual(
            [(NODE_A, base.IMAGE_ID), (NODE_C, base.IMAGE_ID)], [(r.node, r.image) for r in results]
        )
        self.assertEqual((1, 1), (a.call_count, c.call_count))

    def test_delete_everywhere_also_on_inventory_nodes(self):
        """Listed nodes first, then the others given, each node once (the
        same once mapped: node_b is 10.0.0.2 here)."""
        self.mock_versions()
        self.requests.get(NODES_URL, json=[NODE_C, NODE_B])
        routes = {
            n: self.requests.delete(n + "/v2/cache/" + base.IMAGE_ID, status_code=204)
            for n in (NODE_A, "http://10.0.0.2:60999", NODE_C)
        }
        results = self.client.fleet.delete_everywhere(
            [base.IMAGE_ID], also=[NODE_B + "/", "http://10.0.0.2:60999", NODE_A, NODE_A]
        )
        self.assertEqual([NODE_B, NODE_C, NODE_A], [r.node for r in results])
        self.assertEqual([1, 1, 1], [r.call_count for r in routes.values()])

    def test_delete_everywhere_a_deleted_image(self):
        """The nodes list answers 404 for a deleted image: with other nodes
        given, they are still asked, and a node without it is done."""
        self.mock_versions()
        gone = base.error_body("404 Not Found", "Image not found")
        self.requests.get(NODES_URL, status_code=404, text=gone)
        a = self.requests.delete(NODE_A + "/v2/cache/" + base.IMAGE_ID, status_code=204)
        self.requests.delete(NODE_C + "/v2/cache/" + base.IMAGE_ID, status_code=404, text=gone)
        results = self.client.fleet.delete_everywhere([base.IMAGE_ID], also=[NODE_A, NODE_C])
        self.assertEqual([(NODE_A, True), (NODE_C, True)], [(r.node, r.ok) for r in results])
        self.assertEqual(1, a.call_count)
        self.assertRaises(exc.HTTPNotFound, self.client.fleet.delete_everywhere, [base.IMAGE_ID])

    def test_skip_unreachable_probes_first_and_asks_only_the_others(self):
        self.requests.get(NODE_A + "/healthcheck", text="OK")
        self.requests.get("http://10.0.0.2:60999/healthcheck", exc=base.refused())
        self.requests.get(NODE_C + "/healthcheck", status_code=503)  # disabled: still asked
        cleans = [
            self.requests.post(root + "/v2/cache/clean", status_code=200)
            for root in (NODE_A, "http://10.0.0.2:60999", NODE_C)
        ]
        progress = []
        results = self.client.fleet.run(
            [NODE_A, NODE_B, NODE_C],
            lambda n: n.cache.clean(),
            skip_unreachable=True,
            probe_timeout=1,
            progress=lambda done, total: progress.append((done, total)),
        )
        self.assertEqual([1, 0, 1], [c.call_count for c in cleans])
        self.assertIsInstance(results[1].error, fleet.Skipped)
        self.assertEqual("unreachable", str(results[1].error))
        self.assertEqual([None, None], [results[0].error, results[2].error])
        self.assertEqual([(1, 3), (2, 3), (3, 3)], progress)

    def test_progress_counts_nodes_not_calls(self):
        for image in ("i1", "i2"):
            for root in (NODE_A, NODE_C):
                self.requests.put(root + "/v2/cache/" + image, status_code=202)
        progress = []
        self.client.fleet.run_per_image(
            [NODE_A, NODE_C],
            ["i1", "i2"],
            lambda n, i: n.cache.queue(i),
            progress=lambda done, total: progress.append((done, total)),
        )
        self.assertEqual([(1, 2), (2, 2)], progress)

    def test_wait_cached(self):
        self.mock_versions()
        self.requests.get(NODES_URL, [{"json": [NODE_A]}, {"json": [NODE_A, NODE_B + "/"]}])
        seen = []
        missing = self.client.fleet.wait_cached(
            base.IMAGE_ID,
            [NODE_A, NODE_B],
            timeout=5,
            interval=0.01,
            progress=lambda m, w: seen.append(m),
        )
        self.assertEqual([], missing)
        self.assertEqual([[NODE_B], []], seen)

    def test_wait_cached_times_out(self):
        self.mock_versions()
        self.requests.get(NODES_URL, json=[NODE_A])
        missing = self.client.fleet.wait_cached(
            base.IMAGE_ID, [NODE_A, NODE_B], timeout=0.1, interval=0.02
        )
        self.assertEqual([NODE_B], missing)

    def test_node_clients_are_reused_and_share_the_session(self):
        first = self.client.fleet.node_client(NODE_A)
        self.assertIs(first, self.client.fleet.node_client(NODE_A + "/"))
        self.assertIs(self.client.http_client.adapter.session, first.http_client.adapter.session)
