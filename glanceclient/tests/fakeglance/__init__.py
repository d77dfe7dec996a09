"""One fake Glance for the unit tests and the benchmarks.

- :mod:`.wire`: the HTTP (a threaded server on 127.0.0.1, one-write
  answers) and answers that misbehave on the wire;
- :mod:`.routes`: fixed answers by route, recording what was asked (unit
  tests);
- :mod:`.stateful` and :mod:`.documents`: a Glance with an image catalogue,
  image data, metadefs, the cache API and fleet nodes, and a Keystone v3,
  answering Glance 33.0.0's shapes fast (the benchmarks, through
  ``bench/fake_glance.py``).
"""
