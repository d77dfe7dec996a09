#!/usr/bin/env python3
"""`glance md-namespace-list` and `md-namespace-show`: ours against upstream.

Contestants, timed alternately against one fake Glance on loopback that
answers Glance 33.0.0's standard metadata definitions as a real server
recorded them (32 namespaces: two pages of Glance's default 25):

- this project's ``glance``, from a plain install of the checkout in a
  bench venv (what users get);
- upstream python-glanceclient 4.13.0's ``glance``, same arguments, from a
  venv of its own.

Goal: ours <= 0.5x upstream, for each command.

Usage: python bench/metadefs.py [--runs N]
"""

from __future__ import annotations

import sys

import benchlib as bl
import benchvenvs as bv
import cli
import fake_glance as fg

SHOWN = "OS::Compute::Libvirt"

#: What each command's output must hold: the first and last namespaces
#: listed, the namespace shown and its display name.
COMMANDS = (
    (
        "md-namespace-list",
        ["md-namespace-list"],
        ("OS::Compute::CPUPinning", "OS::Software::Runtimes", "OS::Glance::Signatures"),
    ),
    ("md-namespace-show", ["md-namespace-show", SHOWN], (SHOWN, "libvirt Driver Options")),
)


def build(srv: fg.FakeServers) -> list[bl.Contestant]:
    venv, why = cli.ours_installed_venv()
    try:
        upstream, up_why = bv.upstream_venv(), ""
    except (RuntimeError, SystemExit) as e:
        upstream, up_why = None, "no upstream venv: %s" % e
    auth = ["--os-image-url", srv.glance_url, "--os-auth-token", srv.token]
    out = []
    for name, argv, expect in COMMANDS:
        ours = bl.Contestant(
            "ours: glance " + name,
            [str(venv / "bin" / "glance") if venv else "glance"] + auth + argv,
            expect=expect,
            missing=why,
        )
        theirs = bl.Contestant(
            "upstream %s: glance %s" % (bv.UPSTREAM_GLANCECLIENT, name),
            [str(upstream / "bin" / "glance") if upstream else "glance"] + auth + argv,
            expect=expect,
            missing=up_why,
        )
        out += [ours, theirs]
    return out


def report(cs: list[bl.Contestant], runs: int) -> tuple[str, list[dict]]:
    list_ours, list_up, show_ours, show_up = cs
    ratios, data = bl.ratio_rows(
        [
            ("md-namespace-list: ours / upstream", list_ours, list_up, 0.5),
            ("md-namespace-show: ours / upstream", show_ours, show_up, 0.5),
        ]
    )
    out = [
        "## metadefs: `glance md-namespace-list`, `glance md-namespace-show %s`" % SHOWN,
        "",
        "Whole command, fork to exit; %d alternating rounds after one "
        "warm-up each; fake Glance on loopback answering the standard "
        "definitions recorded from Glance 33.0.0 (32 namespaces). "
        '"ours" is a plain install of the checkout in a bench venv made '
        "like the upstream one." % runs,
        "",
        bl.timing_table(cs),
        "",
        ratios,
        "",
        "HTTP requests per command (steady state):",
        "",
        bl.requests_section(cs),
        "",
    ]
    return "\n".join(out), data


def main(argv: list[str] | None = None) -> int:
    args = bl.parser(__doc__.split("\n")[0], runs=20).parse_args(argv)
    return bl.measure(
        "metadefs", args.runs, fg.FakeServers(nodes=3), build, lambda cs: report(cs, args.runs)
    )


if __name__ == "__main__":
    sys.exit(main())
