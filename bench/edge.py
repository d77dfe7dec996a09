#!/usr/bin/env python3
"""Edge links: the cache commands when every answer takes a round trip.

An operator at an edge (DCN) site often reaches Glance over a WAN link
with 50-200 ms of round trip; there the number of requests decides how
fast a command answers. The fake Glance and Keystone here hold every
answer ``--delay-ms`` (default 150 ms) before sending it.

Contestants, timed alternately:

- ``glance cache-nodes-list <id>``: ours (plain install) and upstream
  python-glanceclient 4.13.0;
- ``glance cache-delete <id>``: ours and upstream;
- the SDK's first call on a new client, ``list_nodes`` (upstream:
  ``list_cached_nodes``), one ``python -c`` each;
- ``openstack cache nodes list <id>`` with password auth through the fake
  Keystone (the catalog names the fake Glance);
- a ``python -c`` requests one-liner doing the one GET (the floor: start-up
  plus one round trip).

Goals: ours <= 0.45x upstream for ``glance cache-nodes-list``; one request
for each of our ``glance`` commands and the SDK call; three for ``openstack
cache nodes list`` (Keystone's discovery and token, then the call: one
fewer than the four it sent when the version list came first).

Usage: python bench/edge.py [--runs N] [--delay-ms MS]
"""

from __future__ import annotations

import sys

import benchlib as bl
import benchvenvs as bv
import cli
import fake_glance as fg
import osc

DELAY_MS = 150.0

SDK_CALL = (
    "import sys,glanceclient;"
    "c=glanceclient.Client('2',endpoint=sys.argv[1],token=sys.argv[2]);"
    "print('\\n'.join(getattr(c.cache,sys.argv[4])(sys.argv[3])))"
)

#: How many requests each of our contestants may send.
REQUEST_GOALS = {
    "ours: glance cache-nodes-list": 1,
    "ours: glance cache-delete": 1,
    "ours: SDK list_nodes, new client": 1,
    "ours: openstack cache nodes list": 3,
}


def _glance(
    venv, name: str, srv: fg.FakeServers, args: list[str], missing: str, **kw
) -> bl.Contestant:
    argv = ["--os-image-url", srv.glance_url, "--os-auth-token", srv.token]
    c = bl.Contestant(
        name, [str(venv / "bin" / "glance") if venv else "glance"] + argv + args, **kw
    )
    c.missing = "" if venv else missing
    return c


def _sdk(
    py, name: str, srv: fg.FakeServers, image: str, method: str, missing: str
) -> bl.Contestant:
    c = bl.Contestant(
        name,
        [str(py), "-c", SDK_CALL, srv.glance_url, srv.token, image, method],
        expect=cli.expect_nodes(cli.NODES),
    )
    c.missing = "" if py else missing
    return c


def build(srv: fg.FakeServers) -> list[bl.Contestant]:
    image = fg.docs.image_id_for(cli.NODES)
    ours, why_ours = cli.ours_installed_venv()
    try:
        upstream, why_upstream = bv.upstream_venv(), ""
    except (RuntimeError, SystemExit) as e:
        upstream, why_upstream = None, "no upstream venv: %s" % e
    _, plugin, _, why_plugin = osc.osc_venvs()
    up = "upstream %s: " % bv.UPSTREAM_GLANCECLIENT
    return [
        cli.ours_glance(srv),
        cli.upstream_glance(srv),
        _glance(ours, "ours: glance cache-delete", srv, ["cache-delete", image], why_ours),
        _glance(upstream, up + "glance cache-delete", srv, ["cache-delete", image], why_upstream),
        _sdk(
            ours and bv.venv_python(ours),
            "ours: SDK list_nodes, new client",
            srv,
            image,
            "list_nodes",
            why_ours,
        ),
        _sdk(
            upstream and bv.venv_python(upstream),
            up + "SDK list_cached_nodes, new client",
            srv,
            image,
            "list_cached_nodes",
            why_upstream,
        ),
        osc._openstack(
            plugin,
            "ours: openstack cache nodes list",
            ["cache", "nodes", "list", image],
            osc.osc_env(srv),
            why_plugin,
            expect=cli.expect_nodes(cli.NODES),
        ),
        cli.one_liner(srv),
    ]


def request_goals(cs: list[bl.Contestant]) -> tuple[str, list[dict]]:
    rows, data = [], []
    for c in cs:
        goal = REQUEST_GOALS.get(c.name)
        if goal is None:
            continue
        reqs = c.requests if c.requests is not None else c.first_requests
        count = None if reqs is None else len(reqs)
        verdict = (
            "not measured: %s" % bl.why_absent(c)
            if count is None
            else "meets goal"
            if count <= goal
            else "MISSES goal"
        )
        rows.append(
            [
                c.name,
                "-" if count is None else str(count),
                "<= %d" % goal,
                verdict.replace("|", "/"),
            ]
        )
        data.append(
            {
                "pair": "requests: %s" % c.name,
                "ratio": count,
                "goal": goal,
                "unit": "requests",
                "verdict": verdict,
            }
        )
    return bl.table(["command", "HTTP requests", "goal", "verdict"], rows), data


def report(cs: list[bl.Contestant], runs: int, delay_ms: float) -> tuple[str, list[dict]]:
    (nodes, nodes_up, delete, delete_up, sdk, sdk_up, openstack, liner) = cs
    ratios, data = bl.ratio_rows(
        [
            ("glance cache-nodes-list: ours / upstream", nodes, nodes_up, 0.45),
            ("glance cache-delete: ours / upstream", delete, delete_up, None),
            ("SDK, first call: ours / upstream", sdk, sdk_up, None),
            ("glance cache-nodes-list: ours / requests one-liner", nodes, liner, None),
        ]
    )
    counts, count_data = request_goals(cs)
    out = [
        "## edge: over a %.0f ms link" % delay_ms,
        "",
        "Every answer of the fake Glance and Keystone is held %.0f ms "
        "(a WAN round trip); whole processes, fork to exit; %d "
        "alternating rounds after one warm-up each. `openstack` uses "
        "password auth through the fake Keystone (python-openstackclient "
        "%s)." % (delay_ms, runs, osc.osc_version()),
        "",
        bl.timing_table(cs),
        "",
        ratios,
        "",
        counts,
        "",
        "HTTP requests per command (steady state):",
        "",
        bl.requests_section(cs),
        "",
    ]
    return "\n".join(out), data + count_data


def main(argv: list[str] | None = None) -> int:
    p = bl.parser(__doc__.split("\n")[0], runs=8)
    p.add_argument(
        "--delay-ms",
        type=float,
        default=DELAY_MS,
        help="delay of every answer (default %.0f)" % DELAY_MS,
    )
    args = p.parse_args(argv)
    servers = fg.FakeServers(nodes=cli.NODES, delay=args.delay_ms / 1000.0)
    return bl.measure(
        "edge", args.runs, servers, build, lambda cs: report(cs, args.runs, args.delay_ms)
    )


if __name__ == "__main__":
    sys.exit(main())
