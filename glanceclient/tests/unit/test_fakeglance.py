"""The stateful fake Glance of the benchmarks, read by the real SDK: the
shapes the benchmarks rely on stay what the client understands."""

from __future__ import annotations

import hashlib

import requests
import testtools

import glanceclient
from glanceclient import exc
from glanceclient.tests.fakeglance import documents as docs
from glanceclient.tests.fakeglance import stateful


class StatefulFakeTest(testtools.TestCase):
    def start(self, **kwargs) -> stateful.Fakes:
        fakes = stateful.Fakes(**kwargs)
        self.addCleanup(fakes.stop)
        return fakes

    def client(self, fakes: stateful.Fakes):
        return glanceclient.Client("2", endpoint=fakes.state.glance_url, token=docs.DEFAULT_TOKEN)

    def test_nodes_images_and_the_request_log(self):
        fakes = self.start(nodes=3, images=210)
        gc = self.client(fakes)
        self.assertEqual(3, len(gc.cache.list_nodes(docs.image_ids(1)[0])))
        self.assertEqual(docs.node_urls(7), gc.cache.list_nodes(docs.image_id_for(7)))
        listed = [image.id for image in gc.images.list()]
        self.assertEqual(docs.catalogue_ids(210), listed)
        self.assertEqual("bench-image-00002", gc.images.get(listed[1]).name)
        self.assertRaises(exc.HTTPNotFound, gc.images.get, docs.NIL_UUID)
        self.assertEqual(
            [
                "glance GET /v2/cache/nodes/" + docs.image_ids(1)[0],
                "glance GET /v2/cache/nodes/" + docs.image_id_for(7),
                "glance GET /v2/images?limit=200",
                "glance GET /v2/images?marker=%s&limit=200" % listed[199],
                "glance GET /v2/images/" + listed[1],
                "glance GET /v2/images/" + docs.NIL_UUID,
            ],
            list(fakes.state.log),
        )

    def test_fleet_nodes_answer_and_hanging_ones_are_listed(self):
        fakes = self.start(nodes=3, fleet_delays=(0.0,), hanging=1)
        gc = self.client(fakes)
        self.assertEqual(fakes.fleet + fakes.hanging, gc.cache.list_nodes(docs.image_ids(1)[0]))
        self.assertEqual("OK", requests.get(fakes.fleet[0] + "/healthcheck", timeout=5).text)

    def test_data_image_streams_what_its_record_announces(self):
        fakes = self.start(data_mib=2)
        gc = self.client(fakes)
        record = gc.images.get(docs.DATA_IMAGE_ID)
        data = b"".join(gc.images.data(docs.DATA_IMAGE_ID))
        self.assertEqual(2 * docs.MIB, record.size)
        self.assertEqual(record.os_hash_value, hashlib.sha512(data).hexdigest())
