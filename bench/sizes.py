#!/usr/bin/env python3
"""Answer size: 3, 1,000 and 10,000 nodes through our SDK and `glance`.

Contestants for each size, timed alternately (all sizes in every round):

- ours: ``glance cache-nodes-list`` (plain install in a bench venv);
- ours: a process that imports ``glanceclient``, makes a client, calls
  ``cache.list_nodes`` and prints the nodes (same venv); it also times,
  inside the process, the first call and the median of 10 further calls,
  whose time is taken off its wall time;
- for scale: upstream 4.13.0 ``glance cache-nodes-list``, the ``python -c``
  requests one-liner, and a raw ``requests.Session`` process timed like
  our SDK process.

Goal: 10,000 nodes <= 1.2x 3 nodes, for our command and our SDK process.

Usage: python bench/sizes.py [--runs N] [--sizes 3,1000,10000]
"""

from __future__ import annotations

import json
import sys

import benchlib as bl
import benchvenvs as bv
import cli
import fake_glance as fg

CHILD = r"""
import json, statistics, sys, time
t0 = time.perf_counter()
mode, url, token, image_id = sys.argv[1:5]
if mode == 'ours':
    import glanceclient
    call = glanceclient.Client('2', endpoint=url, token=token).cache.list_nodes
else:
    import requests
    session = requests.Session()
    session.headers['X-Auth-Token'] = token
    def call(image_id):
        resp = session.get(url + '/v2/cache/nodes/' + image_id)
        resp.raise_for_status()
        return resp.json()
t1 = time.perf_counter()
nodes = call(image_id)
t2 = time.perf_counter()
again = []
for _ in range(10):
    s = time.perf_counter()
    call(image_id)
    again.append(time.perf_counter() - s)
t3 = time.perf_counter()
print('\n'.join(nodes))
print(json.dumps({'setup': t1 - t0, 'first_call': t2 - t1,
                  'call': statistics.median(again), 'nodes': len(nodes),
                  'excluded': t3 - t2}))
"""

KINDS = ("glance", "sdk", "upstream", "one-liner", "requests")


def _parse(expected: int):
    def parse(stdout: str) -> dict:
        data = json.loads(stdout.strip().rsplit("\n", 1)[-1])
        if data["nodes"] != expected:
            raise ValueError("got %s nodes" % data["nodes"])
        return data

    return parse


def _process(kind: str, py: str | None, srv: fg.FakeServers, size: int, why: str) -> bl.Contestant:
    mode, label = (
        ("ours", "ours: SDK process")
        if kind == "sdk"
        else ("requests", "raw requests.Session process")
    )
    c = bl.Contestant(
        "%s, %d nodes" % (label, size),
        [str(py), "-c", CHILD, mode, srv.glance_url, srv.token, fg.docs.image_id_for(size)],
        expect=cli.expect_nodes(size),
        parse=_parse(size),
        note=kind,
    )
    c.missing = why if py is None or why else ""
    return c


def build(
    srv: fg.FakeServers, sizes: tuple[int, ...], kinds: tuple[str, ...] = KINDS
) -> list[bl.Contestant]:
    venv, why = cli.ours_installed_venv()
    ours_py = str(bv.venv_python(venv)) if venv else None
    helper = cli.helper_python()

    def make(kind: str, size: int) -> bl.Contestant:
        label = ", %d nodes" % size
        if kind == "glance":
            return cli.ours_glance(srv, size, label)
        if kind == "sdk":
            return _process("sdk", ours_py, srv, size, why)
        if kind == "upstream":
            return cli.upstream_glance(srv, size, label)
        if kind == "one-liner":
            return cli.one_liner(srv, size, label)
        return _process("requests", helper, srv, size, "")

    cs = []
    for size in sizes:
        for kind in kinds:
            c = make(kind, size)
            c.note = kind
            cs.append(c)
    return cs


def report(cs: list[bl.Contestant], sizes: tuple[int, ...], runs: int) -> tuple[str, list[dict]]:
    by = {(c.note, int(c.name.rsplit(", ", 1)[1].split()[0])): c for c in cs}
    small, big = min(sizes), max(sizes)
    pairs = []
    for kind in KINDS:
        goal = 1.2 if kind in ("glance", "sdk") else None
        for size in sizes:
            if size == small or (kind, size) not in by:
                continue
            a, b = by[(kind, size)], by[(kind, small)]
            pairs.append(
                ("%s: %d / %d nodes" % (kind, size, small), a, b, goal if size == big else None)
            )
    ratios, data = bl.ratio_rows(pairs)
    rows = []
    for c in cs:
        if c.parse is not None and c.ok and c.runs:
            rows.append(
                [c.name]
                + [bl.fmt_time(bl.median(c.values(m))) for m in ("setup", "first_call", "call")]
            )
    inproc = bl.table(
        ["process", "import + client", "first call", "later call (median of 10)"], rows
    )
    out = [
        "## sizes: answers of %s nodes" % ", ".join(f"{s:,}" for s in sizes),
        "",
        "Whole processes, fork to exit; %d alternating rounds after one "
        "warm-up each. Kinds: `glance` = our command, `sdk` = our "
        "library in a process, the rest for scale. The two SDK-style "
        "processes make 10 extra calls for the in-process figures "
        "(hence their request counts); that time is taken off their "
        "wall time." % runs,
        "",
        bl.timing_table(cs),
        "",
        ratios,
        "",
        "Inside the SDK processes:",
        "",
        inproc,
        "",
    ]
    return "\n".join(out), data


def main(argv: list[str] | None = None) -> int:
    p = bl.parser(__doc__.split("\n")[0], runs=8)
    p.add_argument(
        "--sizes", default="3,1000,10000", help="comma-separated node counts (default 3,1000,10000)"
    )
    args = p.parse_args(argv)
    sizes = tuple(int(x) for x in args.sizes.split(","))
    return bl.measure(
        "sizes",
        args.runs,
        fg.FakeServers(nodes=3),
        lambda srv: build(srv, sizes),
        lambda cs: report(cs, sizes, args.runs),
    )


if __name__ == "__main__":
    sys.exit(main())
