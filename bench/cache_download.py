#!/usr/bin/env python3
"""Downloads from a node's cache: choosing the node, and the transfer.

On fake Glance fleets (``fake_glance.py --fleet-delays ... --hanging N
--data-mib N``), in the project's own ``.venv`` interpreter, a fresh
process per run that times itself:

- choosing a node (``cache_download.choose``: the nodes list, then one
  concurrent round of probes) over 8 live nodes, against one nodes-list
  call plus one probe sent one after the other by a fresh client (the
  probes of the round overlap; no goal beyond the request count: one
  nodes list and one probe per node).
- the same choice over 7 live nodes and one that accepts connections and
  never answers, with a 1 s probe timeout, against that timeout. Goal:
  <= 1.2x (a dead node costs the probe timeout, once).
- the transfer of a 256 MiB image by ``images.data(id, from_cache=<node>)``
  (from the first byte to the last), against curl of the same URL on the
  same node: without the hash check against ``curl -o /dev/null``, with it
  (sha512) against ``curl | sha512sum``. Goal: <= 1.15x.

Usage: python bench/cache_download.py [--runs N] [--mib 256]
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys

import benchlib as bl
import benchvenvs as bv
import fake_glance as fg

PROBE_TIMEOUT = 1.0
LIVE_NODES = 8

CHILD = r"""
import json, sys, time
import glanceclient
from glanceclient.v2 import cache_download
arg = json.loads(sys.argv[1])
client = glanceclient.Client('2', endpoint=arg['url'], token=arg['token'])
image = arg['image']
if arg['mode'] == 'choose':
    t0 = time.perf_counter()
    choice = cache_download.choose(client.fleet, image, timeout=arg['timeout'])
    took = time.perf_counter() - t0
    print(json.dumps({'seconds': took, 'nodes': len(choice.nodes)}))
elif arg['mode'] == 'one_each':
    t0 = time.perf_counter()
    node = client.cache.list_nodes(image)[0]
    status = client.fleet.probe(node).status
    took = time.perf_counter() - t0
    print(json.dumps({'seconds': took, 'nodes': int(status == 'ok')}))
else:
    body = client.images.data(image, from_cache=arg['node'],
                              do_checksum=arg['mode'] == 'checked')
    t0 = time.perf_counter()
    size = sum(len(chunk) for chunk in body)
    took = time.perf_counter() - t0
    assert body.served_by == arg['node'], body.served_by
    print(json.dumps({'seconds': took, 'bytes': size}))
"""


class Fleets(contextlib.ExitStack):
    """A fleet of live nodes holding the image, and one with a dead node."""

    def __init__(self, mib: int) -> None:
        super().__init__()
        self.live = fg.FakeServers(fleet_delays=(0.0,) * LIVE_NODES, data_mib=mib)
        self.dead = fg.FakeServers(fleet_delays=(0.0,) * (LIVE_NODES - 1), hanging=1)

    def __enter__(self) -> Fleets:
        super().__enter__()
        self.enter_context(self.live)
        self.enter_context(self.dead)
        return self

    def reset_log(self) -> None:
        for srv in (self.live, self.dead):
            srv.reset_log()

    def requests_seen(self) -> list[str]:
        return self.live.requests_seen() + self.dead.requests_seen()


def _parse(key: str, expected: int):
    def parse(stdout: str) -> dict:
        data = json.loads(stdout.strip().splitlines()[-1])
        if data[key] != expected:
            raise ValueError("%s is %s, expected %d" % (key, data[key], expected))
        return data

    return parse


def _curl(stdout: str) -> dict:
    seconds, size = stdout.split()
    return {"seconds": float(seconds), "bytes": int(size)}


def _shell_clock(stdout: str) -> dict:
    began, ended = stdout.strip().splitlines()[-1].split()
    return {"seconds": float(ended) - float(began)}


def build(fleets: Fleets, mib: int) -> list[bl.Contestant]:
    python = str(bv.ROOT / ".venv" / "bin" / "python")
    image = fg.docs.DATA_IMAGE_ID
    node = fleets.live.fleet_urls[0]

    def child(note: str, name: str, srv: fg.FakeServers, key: str, expected: int, **arg):
        arg.update(url=srv.glance_url, token=srv.token, image=image, timeout=PROBE_TIMEOUT)
        return bl.Contestant(
            name,
            [python, "-c", CHILD, json.dumps(arg)],
            parse=_parse(key, expected),
            value="seconds",
            note=note,
        )

    size = mib << 20
    curl = bl.Contestant(
        "curl -o /dev/null, the same node",
        [
            "curl",
            "-sS",
            "-o",
            "/dev/null",
            "-w",
            "%{time_total} %{size_download}",
            "-H",
            "X-Auth-Token: " + fleets.live.token,
            "%s/v2/images/%s/file" % (node, image),
        ],
        parse=_curl,
        value="seconds",
        note="curl",
    )
    hashed = bl.Contestant(
        "curl piped to sha512sum, the same node",
        [
            "sh",
            "-c",
            'a=$(date +%s.%N); curl -sS -H "X-Auth-Token: $1" "$2" | sha512sum; '
            'echo "$a $(date +%s.%N)"',
            "sh",
            fleets.live.token,
            "%s/v2/images/%s/file" % (node, image),
        ],
        expect=(hashlib.sha512(fg.docs.data_block() * mib).hexdigest(),),
        parse=_shell_clock,
        value="seconds",
        note="curl_hash",
    )
    return [
        child(
            "choose",
            "choose over %d live nodes" % LIVE_NODES,
            fleets.live,
            "nodes",
            LIVE_NODES,
            mode="choose",
        ),
        child(
            "one_each", "one nodes list, then one probe", fleets.live, "nodes", 1, mode="one_each"
        ),
        child(
            "dead",
            "choose over %d live nodes and a dead one (probe timeout %g s)"
            % (LIVE_NODES - 1, PROBE_TIMEOUT),
            fleets.dead,
            "nodes",
            LIVE_NODES - 1,
            mode="choose",
        ),
        child(
            "checked",
            "images.data(from_cache=node): %d MiB, hash checked" % mib,
            fleets.live,
            "bytes",
            size,
            mode="checked",
            node=node,
        ),
        child(
            "unchecked",
            "images.data(from_cache=node, do_checksum=False): %d MiB" % mib,
            fleets.live,
            "bytes",
            size,
            mode="unchecked",
            node=node,
        ),
        curl,
        hashed,
    ]


def report(cs: list[bl.Contestant], mib: int, runs: int) -> tuple[str, list[dict]]:
    by = {c.note: c for c in cs}
    text, data = bl.ratio_rows(
        [
            ("choose / one nodes list + one probe", by["choose"], by["one_each"], None),
            ("transfer, hash checked / curl to sha512sum", by["checked"], by["curl_hash"], 1.15),
            ("transfer, unchecked / curl", by["unchecked"], by["curl"], 1.15),
        ],
        "seconds",
    )
    ratios = [text]
    dead = by["dead"]
    if dead.ok and dead.runs:
        bound = bl.median(dead.values("seconds")) / PROBE_TIMEOUT
        verdict = "meets goal" if bound <= 1.2 else "MISSES goal"
        ratios.append(
            "\nChoosing with a dead node / the probe timeout: %.3fx (goal <= 1.20x: %s)."
            % (bound, verdict)
        )
        data.append(
            {
                "pair": "choose with a dead node / probe timeout",
                "ratio": bound,
                "goal": 1.2,
                "verdict": verdict,
            }
        )
    out = [
        "## cache_download: choosing the node that caches an image, and the transfer",
        "",
        "A fresh process per run (the project .venv), %d alternating rounds after one "
        "warm-up each; each process times only the step measured. Fake fleets on "
        "loopback; the data image is %d MiB, served with a Content-Length." % (runs, mib),
        "",
        bl.timing_table(cs, "seconds", "step"),
        "",
        "\n".join(ratios),
        "",
        "HTTP requests:",
        "",
        bl.requests_section(cs),
        "",
    ]
    return "\n".join(out), data


def main(argv: list[str] | None = None) -> int:
    p = bl.parser(__doc__.split("\n")[0], runs=5)
    p.add_argument("--mib", type=int, default=256, help="size of the image in MiB (default 256)")
    args = p.parse_args(argv)
    return bl.measure(
        "cache_download",
        args.runs,
        Fleets(args.mib),
        lambda fleets: build(fleets, args.mib),
        lambda cs: report(cs, args.mib, args.runs),
    )


if __name__ == "__main__":
    sys.exit(main())
