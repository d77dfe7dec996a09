#!/usr/bin/env python3
"""Library cost per image: our SDK, openstacksdk and raw requests.

Each contestant is a fresh process that imports its library, makes a
client, then asks the nodes of K distinct images in a loop; the loop's time
over K is the cost per image (for K = 1 it is the cold first call, with
whatever discovery or authentication the library does lazily). Import and
client set-up are reported apart.

- ours: ``glanceclient.Client('2', endpoint=URL, token=T)
  .cache.list_nodes(id)``;
- openstacksdk: ``Connection(...).image.cached_image_nodes(id)``, with
  password auth through the fake Keystone (the catalog names the fake
  Glance; openstacksdk then discovers the version at ``GET /``);
- raw requests: one ``requests.Session`` with the token header, ``GET``
  and ``.json()``.

All three run in the project's venv interpreter (it holds all three
libraries; the editable install's import hook touches imports only).
A cross-check runs all three clients in one process, interleaved call
by call, which the machine's drift cannot skew.

Goal: ours <= 1.2x raw requests per image.

Usage: python bench/sdk.py [--runs N] [--images 1,200,2000]
"""

from __future__ import annotations

import json
import sys

import benchlib as bl
import benchvenvs as bv
import fake_glance as fg

NODES = 3
INTERLEAVED_IMAGES = 300

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
arg = json.loads(sys.argv[1])
mode, url, token, count = arg['mode'], arg['url'], arg['token'], arg['count']
ids = [arg['id_format'] % (i + 1) for i in range(count)]
if mode == 'ours':
    import glanceclient
    t1 = time.perf_counter()
    client = glanceclient.Client('2', endpoint=url, token=token)
    call = client.cache.list_nodes
elif mode == 'openstacksdk':
    import openstack.connection
    t1 = time.perf_counter()
    conn = openstack.connection.Connection(
        auth=dict(auth_url=arg['auth_url'], username=arg['username'],
                  password=arg['password'], project_name=arg['project'],
                  user_domain_name='Default', project_domain_name='Default'),
        region_name=arg['region'], interface='public',
        identity_api_version='3')
    call = conn.image.cached_image_nodes
else:
    import requests
    t1 = time.perf_counter()
    session = requests.Session()
    session.headers['X-Auth-Token'] = token
    base = url + '/v2/cache/nodes/'
    def call(image_id):
        resp = session.get(base + image_id)
        resp.raise_for_status()
        return resp.json()
t2 = time.perf_counter()
nodes = 0
for image_id in ids:
    nodes += len(call(image_id))
t3 = time.perf_counter()
print(json.dumps({'import': t1 - t0, 'client': t2 - t1, 'loop': t3 - t2,
                  'per_image': (t3 - t2) / count, 'nodes': nodes}))
"""

INTERLEAVED = r"""
import json, statistics, sys, time
arg = json.loads(sys.argv[1])
import glanceclient, openstack.connection, requests
ours = glanceclient.Client('2', endpoint=arg['url'], token=arg['token'])
conn = openstack.connection.Connection(
    auth=dict(auth_url=arg['auth_url'], username=arg['username'],
              password=arg['password'], project_name=arg['project'],
              user_domain_name='Default', project_domain_name='Default'),
    region_name=arg['region'], interface='public', identity_api_version='3')
session = requests.Session()
session.headers['X-Auth-Token'] = arg['token']
base = arg['url'] + '/v2/cache/nodes/'
def raw(image_id):
    resp = session.get(base + image_id)
    resp.raise_for_status()
    return resp.json()
calls = {'ours': ours.cache.list_nodes,
         'openstacksdk': conn.image.cached_image_nodes, 'requests': raw}
names = list(calls)
ids = [arg['id_format'] % (i + 1) for i in range(arg['count'])]
for name in names:          # first calls: discovery, auth, connections
    calls[name](ids[0])
times = {name: [] for name in names}
nodes = 0
for n, image_id in enumerate(ids):
    shift = n % len(names)
    for name in names[shift:] + names[:shift]:
        t = time.perf_counter()
        nodes += len(calls[name](image_id))
        times[name].append(time.perf_counter() - t)
out = {name: statistics.median(v) for name, v in times.items()}
for name in ('ours', 'openstacksdk'):
    out[name + '/requests'] = statistics.median(
        a / b for a, b in zip(times[name], times['requests']))
out['nodes'] = nodes
print(json.dumps(out))
"""

MODES = (
    ("ours", "ours: Client.cache.list_nodes"),
    ("openstacksdk", "openstacksdk: image.cached_image_nodes"),
    ("requests", "raw requests.Session GET"),
)


def sdk_python() -> str | None:
    py = bv.project_python()
    return str(py) if py else None


def _parser(expected_nodes: int):
    def parse(stdout: str) -> dict:
        data = json.loads(stdout.strip().splitlines()[-1])
        if data["nodes"] != expected_nodes:
            raise ValueError("got %s nodes, expected %d" % (data["nodes"], expected_nodes))
        return data

    return parse


def has_module(py: str, module: str) -> str:
    """'' when ``module`` imports under ``py``, else why not."""
    proc = bl.run([py, "-c", "import %s" % module])
    return "" if proc.rc == 0 else bl._tail(proc.stderr, 1)


def build(
    srv: fg.FakeServers, counts: tuple[int, ...], interleaved: bool = True
) -> list[bl.Contestant]:
    """The cross-check first (if ``interleaved``), then count x library."""

    py = sdk_python()
    problems = {}
    for mode, module in (
        ("ours", "glanceclient"),
        ("openstacksdk", "openstack.image.v2._proxy"),
        ("requests", "requests"),
    ):
        problems[mode] = "no project venv interpreter" if py is None else has_module(py, module)
    if not problems["ours"] and py is not None:
        probe = bl.run(
            [
                py,
                "-c",
                "import glanceclient as g; "
                'c = g.Client("2", endpoint="http://127.0.0.1:9", '
                'token="t"); c.cache.list_nodes',
            ]
        )
        if probe.rc:
            problems["ours"] = (
                "glanceclient.Client(...).cache.list_nodes "
                "is not there yet: %s" % bl._tail(probe.stderr, 1)
            )
    if not problems["openstacksdk"] and py is not None:
        probe = bl.run(
            [py, "-c", "import openstack.image.v2._proxy as p; p.Proxy.cached_image_nodes"]
        )
        if probe.rc:
            problems["openstacksdk"] = "this openstacksdk has no cached_image_nodes"
    cs = []
    arg = {
        "url": srv.glance_url,
        "token": srv.token,
        "count": INTERLEAVED_IMAGES,
        "id_format": fg.docs.IMAGE_ID_FORMAT,
        "auth_url": srv.auth_url,
        "username": fg.docs.USERNAME,
        "password": fg.docs.PASSWORD,
        "project": fg.docs.PROJECT,
        "region": fg.docs.REGION,
    }
    inter = bl.Contestant(
        "interleaved in one process, %d images" % INTERLEAVED_IMAGES,
        [str(py), "-c", INTERLEAVED, json.dumps(arg)],
        parse=_parser(3 * INTERLEAVED_IMAGES * NODES),
        value="ours",
        note="interleaved",
    )
    inter.missing = "; ".join(p for p in problems.values() if p)
    if interleaved:
        cs.append(inter)
    for count in counts:
        for mode, label in MODES:
            arg = {
                "mode": mode,
                "url": srv.glance_url,
                "token": srv.token,
                "count": count,
                "id_format": fg.docs.IMAGE_ID_FORMAT,
                "auth_url": srv.auth_url,
                "username": fg.docs.USERNAME,
                "password": fg.docs.PASSWORD,
                "project": fg.docs.PROJECT,
                "region": fg.docs.REGION,
            }
            c = bl.Contestant(
                "%s, %d images" % (label, count),
                [str(py), "-c", CHILD, json.dumps(arg)],
                parse=_parser(count * NODES),
                value="per_image",
                note=mode,
            )
            # Warm up with one image: the point is warm disk caches and
            # bytecode, not a second copy of a long loop.
            c.warmup_argv = [str(py), "-c", CHILD, json.dumps(dict(arg, count=1))]
            c.missing = problems[mode]
            cs.append(c)
    return cs


def report(cs: list[bl.Contestant], counts: tuple[int, ...], runs: int) -> tuple[str, list[dict]]:
    inter, cs = cs[0], cs[1:]
    pairs = []
    by = {(c.note, c.name.rsplit(", ", 1)[1]): c for c in cs}
    for count in counts:
        key = "%d images" % count
        ours, sdk, raw = (by[(m, key)] for m, _ in MODES)
        pairs.append(("ours / raw requests, %s" % key, ours, raw, 1.2))
        pairs.append(("openstacksdk / raw requests, %s" % key, sdk, raw, None))
        pairs.append(("ours / openstacksdk, %s" % key, ours, sdk, None))
    ratios, data = bl.ratio_rows(pairs, "per_image")
    rows = []
    for c in cs:
        if c.ok and c.runs:
            rows.append(
                [c.name]
                + [bl.fmt_time(bl.median(c.values(m))) for m in ("import", "client", "loop")]
            )
    setup = bl.table(["contestant", "import", "client set-up", "loop"], rows)
    if inter.ok and inter.runs:
        irows = [
            [m, bl.fmt_time(bl.median(inter.values(m)))]
            for m in ("ours", "openstacksdk", "requests")
        ]
        irows += [
            [m, "%.3fx" % bl.median(inter.values(m))]
            for m in ("ours/requests", "openstacksdk/requests")
        ]
        ratio = bl.median(inter.values("ours/requests"))
        verdict = "meets goal" if ratio <= 1.2 else "MISSES goal"
        irows[3].append("goal <= 1.20x: %s" % verdict)
        for row in irows:
            row += [""] * (3 - len(row))
        interleaved = bl.table(["per call (median of per-process medians)", "value", ""], irows)
        data.append(
            {
                "pair": "ours / raw requests, interleaved, %d images" % INTERLEAVED_IMAGES,
                "ratio": ratio,
                "goal": 1.2,
                "verdict": verdict,
            }
        )
    else:
        interleaved = "not measured: %s" % bl.why_absent(inter)
    py = sdk_python()
    versions = (
        ", ".join(
            "%s %s" % (d, bv.dist_version(py, d) or "-")
            for d in ("openstacksdk", "keystoneauth1", "requests")
        )
        if py
        else ""
    )
    out = [
        "## sdk: cost per image in one process (%d nodes each)" % NODES,
        "",
        "Loop time / images, fresh process per contestant and image "
        "count; %d alternating rounds after one warm-up each (with 1 "
        "image). For 1 image the figure is the cold first call, "
        "including what each library sets up lazily (openstacksdk does "
        "more at import and connection time, requests at first use). "
        "%s." % (runs, versions),
        "",
        bl.timing_table(cs, "per_image", "per image"),
        "",
        ratios,
        "",
        "Cross-check that drift cannot skew: one process holding all "
        "three clients asks %d images, each through all three in "
        "rotating order (after one untimed first call each); per-call "
        "medians and medians of per-image ratios, then the median over "
        "%d such processes. Medians per call leave out the garbage "
        "collector's pauses and other outliers that the loop figures "
        "above (means) include." % (INTERLEAVED_IMAGES, runs),
        "",
        interleaved,
        "",
        "Import and set-up (medians, not part of the per-image cost):",
        "",
        setup,
        "",
        "HTTP requests (the smallest image count shows the pattern):",
        "",
        bl.requests_section([c for c in cs if c.name.endswith(", %d images" % min(counts))]),
        "",
    ]
    return "\n".join(out), data


def main(argv: list[str] | None = None) -> int:
    p = bl.parser(__doc__.split("\n")[0], runs=4)
    p.add_argument(
        "--images", default="1,200,2000", help="comma-separated image counts (default 1,200,2000)"
    )
    args = p.parse_args(argv)
    counts = tuple(int(x) for x in args.images.split(","))
    return bl.measure(
        "sdk",
        args.runs,
        fg.FakeServers(nodes=NODES),
        lambda srv: build(srv, counts),
        lambda cs: report(cs, counts, args.runs),
    )


if __name__ == "__main__":
    sys.exit(main())
