#!/usr/bin/env python3
"""The images SDK against upstream's: a listing of 5,000 images, and
``import glanceclient`` plus a first ``images.get``.

Each contestant is a fresh process running the same code under a
different install: ours (a plain install of the checkout) or upstream
python-glanceclient 4.13.0 (its own venv). The process times itself:

- list: ``Client('2', endpoint=URL, token=T)``, then
  ``sum(1 for _ in client.images.list())`` over the fake's catalogue of
  5,000 images (default page size: 200 for both, so 25 pages);
- first get: from before ``import glanceclient`` to the return of the first
  ``client.images.get(id)`` (client set-up and whatever the library fetches
  lazily included), then reading ``image.name``.

Goals: each <= 0.5x upstream.

Usage: python bench/sdk_images.py [--runs N] [--images 5000]
"""

from __future__ import annotations

import json
import sys

import benchlib as bl
import benchvenvs as bv
import cli
import fake_glance as fg

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import glanceclient
t1 = time.perf_counter()
arg = json.loads(sys.argv[1])
client = glanceclient.Client('2', endpoint=arg['url'], token=arg['token'])
t2 = time.perf_counter()
if arg['mode'] == 'list':
    count = sum(1 for image in client.images.list() if image.id)
else:
    count = 1 if client.images.get(arg['id']).name else 0
t3 = time.perf_counter()
print(json.dumps({'import': t1 - t0, 'client': t2 - t1, 'call': t3 - t2,
                  'first_get': t3 - t0, 'count': count}))
"""

MODES = (
    ("list", "call", "images.list() of %d images"),
    ("get", "first_get", "import + Client + first images.get"),
)


def _parser(expected: int):
    def parse(stdout: str) -> dict:
        data = json.loads(stdout.strip().splitlines()[-1])
        if data["count"] != expected:
            raise ValueError("got %s images, expected %d" % (data["count"], expected))
        return data

    return parse


def pythons() -> dict[str, tuple[str | None, str]]:
    """The interpreter of each install, or why there is none."""
    venv, why = cli.ours_installed_venv()
    out = {"ours": (str(bv.venv_python(venv)) if venv else None, why)}
    try:
        out["upstream"] = (str(bv.venv_python(bv.upstream_venv())), "")
    except (RuntimeError, SystemExit) as e:
        out["upstream"] = (None, "no upstream venv: %s" % e)
    return out


def build(srv: fg.FakeServers, images: int) -> list[bl.Contestant]:
    cs = []
    found = pythons()
    for mode, metric, label in MODES:
        for who, (py, why) in found.items():
            arg = {
                "mode": mode,
                "url": srv.glance_url,
                "token": srv.token,
                "id": fg.docs.catalogue_ids(1)[0],
            }
            name = "%s: %s" % (
                who if who == "ours" else "upstream %s" % bv.UPSTREAM_GLANCECLIENT,
                label % images if "%d" in label else label,
            )
            c = bl.Contestant(
                name,
                [str(py), "-c", CHILD, json.dumps(arg)],
                parse=_parser(images if mode == "list" else 1),
                value=metric,
                note="%s %s" % (who, mode),
            )
            c.missing = why
            cs.append(c)
    return cs


def report(cs: list[bl.Contestant], images: int, runs: int) -> tuple[str, list[dict]]:
    by = {c.note: c for c in cs}
    pairs = [
        (
            "ours / upstream, %s" % (label % images if "%d" in label else label),
            by["ours %s" % mode],
            by["upstream %s" % mode],
            0.5,
        )
        for mode, _, label in MODES
    ]
    ratios, data = [], []
    for pair, (_mode, metric, _) in zip(pairs, MODES, strict=True):
        text, rows = bl.ratio_rows([pair], metric)
        ratios.append(text)
        data += rows
    parts = []
    for c in cs:
        if c.ok and c.runs:
            parts.append(
                [c.name]
                + [bl.fmt_time(bl.median(c.values(m))) for m in ("import", "client", "call")]
            )
    out = [
        "## sdk_images: listing %d images, and a first images.get" % images,
        "",
        "A fresh process per run, %d alternating rounds after one "
        "warm-up each; the process times itself (interpreter start-up "
        "left out). Ours is a plain install of the checkout, upstream "
        "python-glanceclient %s in its own venv; same keystoneauth1 and "
        "requests." % (runs, bv.UPSTREAM_GLANCECLIENT),
        "",
        bl.timing_table([c for c in cs if c.note.endswith("list")], "call", "listing"),
        "",
        bl.timing_table(
            [c for c in cs if c.note.endswith("get")], "first_get", "import to first image"
        ),
        "",
        "\n\n".join(ratios),
        "",
        "Where the time goes (medians):",
        "",
        bl.table(["contestant", "import", "client set-up", "call"], parts),
        "",
        "HTTP requests:",
        "",
        bl.requests_section([c for c in cs if c.note.endswith("get")]),
        "",
    ]
    return "\n".join(out), data


def main(argv: list[str] | None = None) -> int:
    p = bl.parser(__doc__.split("\n")[0], runs=6)
    p.add_argument(
        "--images", type=int, default=5000, help="images in the catalogue (default 5000)"
    )
    args = p.parse_args(argv)
    return bl.measure(
        "sdk_images",
        args.runs,
        fg.FakeServers(images=args.images),
        lambda srv: build(srv, args.images),
        lambda cs: report(cs, args.images, args.runs),
    )


if __name__ == "__main__":
    sys.exit(main())
