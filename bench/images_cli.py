#!/usr/bin/env python3
"""The image commands of `glance`: download, create --file, image-list.

Contestants, timed alternately against one fake Glance on loopback
(``--data-mib`` MiB of image data, a catalogue of ``--images`` images):

- download: this project's ``glance image-download --file`` (hash checked
  as it streams), upstream 4.13.0's, and ``curl -o`` of the same URL
  followed by ``sha512sum`` (curl with the same verification), each to a
  file that does not exist yet (the previous round's is removed first,
  inside the timing, for all alike);
- create: ``glance image-create --file`` (create, upload, show) of ours
  and upstream's, and ``curl -T`` of the same bytes to the image's file;
- list: ``glance image-list`` of ours and upstream's.

Then the peak memory of our download (one run per size, through the
benchlib launcher), to show it does not grow with the image.

Goals: download <= 1.15x curl + sha512sum, create <= 1.15x curl -T,
image-list <= 0.7x upstream, download peak RSS <= 80 MiB.

Usage: python bench/images_cli.py [--runs N] [--data-mib 256] [--images 500]
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile

import benchlib as bl
import benchvenvs as bv
import cli
import fake_glance as fg

#: The same upload through our SDK, the transfer timed alone (no start-up).
UPLOAD_CHILD = r"""
import json, sys, time
import glanceclient
url, token, image_id, path, size = sys.argv[1:]
client = glanceclient.Client('2', endpoint=url, token=token)
with open(path, 'rb') as f:
    started = time.perf_counter()
    client.images.upload(image_id, f, image_size=int(size))
    print(json.dumps({'upload': time.perf_counter() - started}))
"""

GOALS = {"download": 1.15, "create": 1.15, "list": 0.7}
MEMORY_GOAL_MIB = 80


def _glance(python_bin: bl.Path, srv: fg.FakeServers, *argv: str) -> list[str]:
    return [
        str(python_bin / "glance"),
        "--os-image-url",
        srv.glance_url,
        "--os-auth-token",
        srv.token,
        *argv,
    ]


def _scratch() -> str:
    """A directory for the files (never /tmp's tmpfs: a disk, as users have)."""
    base = bv.CACHE / "bench-scratch"
    base.mkdir(parents=True, exist_ok=True)
    return tempfile.mkdtemp(dir=base)


#: Downloads go to a file that does not exist yet, for every contestant: a
#: rename over an existing file makes ext4 flush the new one first
#: (auto_da_alloc), which would time the disk rather than the client.
FRESH = 'rm -f "$1" && shift && exec "$@"'


def build(srv: fg.FakeServers, scratch: str, mib: int, images: int) -> list[bl.Contestant]:
    source = os.path.join(scratch, "source.raw")
    with open(source, "wb") as f:
        block = fg.docs.data_block()
        for _ in range(mib):
            f.write(block)
    installs = cli.glance_installs()
    venv, why = cli.ours_installed_venv()
    file_url = "%s/v2/images/%s/file" % (srv.glance_url, fg.docs.DATA_IMAGE_ID)
    upload_url = "%s/v2/images/%s/file" % (srv.glance_url, fg.docs.UPLOAD_IMAGE_ID)
    header = "X-Auth-Token: %s" % srv.token
    cs = []
    for who, (bindir, why) in installs.items():
        target = os.path.join(scratch, "download-%s.raw" % who.split()[0])
        cases = [
            (
                "download",
                "glance image-download --file (%d MiB)" % mib,
                ["image-download", "--file", target, fg.docs.DATA_IMAGE_ID],
                (),
            ),
            (
                "create",
                "glance image-create --file (%d MiB)" % mib,
                [
                    "image-create",
                    "--name",
                    "bench",
                    "--disk-format",
                    "raw",
                    "--container-format",
                    "bare",
                    "--file",
                    source,
                ],
                (fg.docs.UPLOAD_IMAGE_ID,),
            ),
            (
                "list",
                "glance image-list (%d images)" % images,
                ["image-list"],
                (fg.docs.catalogue_ids(images)[-1],),
            ),
        ]
        for kind, label, argv, expect in cases:
            command = _glance(bindir, srv, *argv) if bindir else []
            if kind == "download" and command:
                command = ["sh", "-c", FRESH, "sh", target, *command]
            c = bl.Contestant(
                "%s: %s" % (who, label),
                command,
                expect=expect,
                note="%s %s" % (who.split()[0], kind),
            )
            c.missing = why if bindir is None else ""
            cs.append(c)
    upload = bl.Contestant(
        "ours: SDK images.upload alone, timed in-process (%d MiB)" % mib,
        [
            str(bv.venv_python(venv)) if venv else "python",
            "-c",
            UPLOAD_CHILD,
            srv.glance_url,
            srv.token,
            fg.docs.UPLOAD_IMAGE_ID,
            source,
            str(mib * fg.docs.MIB),
        ],
        parse=lambda out: json.loads(out.strip().splitlines()[-1]),
        value="upload",
        note="ours upload",
        missing=why,
    )
    cs.append(upload)
    verify = os.path.join(scratch, "download-curl.raw")
    cs.append(
        bl.Contestant(
            "curl -o, then sha512sum (%d MiB)" % mib,
            [
                "sh",
                "-c",
                'rm -f "$2" && curl -sf -H "$1" -o "$2" "$3" && sha512sum "$2"',
                "sh",
                header,
                verify,
                file_url,
            ],
            note="curl download",
        )
    )
    cs.append(
        bl.Contestant(
            "curl -T (%d MiB)" % mib,
            [
                "curl",
                "-sf",
                "-H",
                header,
                "-H",
                "Content-Type: application/octet-stream",
                "-T",
                source,
                upload_url,
            ],
            note="curl create",
        )
    )
    for c in cs:
        if c.argv and not shutil.which(c.argv[0]) and not os.path.exists(c.argv[0]):
            c.missing = "%s is not installed" % c.argv[0]
    return cs


def peak_memory(srv: fg.FakeServers, scratch: str) -> list[list[str]]:
    """Peak RSS of our download, once per size (memory must not grow)."""
    venv, why = cli.ours_installed_venv()
    if venv is None:
        return [["(not measured)", why]]
    rows = []
    bl.MEASURE_RSS = True
    try:
        target = os.path.join(scratch, "memory.raw")
        run = bl.run(
            _glance(venv / "bin", srv, "image-download", "--file", target, fg.docs.DATA_IMAGE_ID)
        )
        rows.append(
            [
                "%d MiB" % srv.data_mib,
                bl.fmt_mib(run.maxrss_kib)
                if run.rc == 0
                else "failed: %s" % run.stderr.strip()[-200:],
            ]
        )
    finally:
        bl.MEASURE_RSS = False
    return rows


def report(
    cs: list[bl.Contestant], memory: list[list[str]], mib: int, images: int, runs: int
) -> tuple[str, list[dict]]:
    by = {c.note: c for c in cs}
    up = "upstream"
    ratios, data = bl.ratio_rows(
        [
            (
                "download: ours / curl + sha512sum",
                by["ours download"],
                by["curl download"],
                GOALS["download"],
            ),
            (
                "create --file: ours / curl -T",
                by["ours create"],
                by["curl create"],
                GOALS["create"],
            ),
            (
                "upload alone (SDK, in-process) / curl -T",
                by["ours upload"],
                by["curl create"],
                None,
            ),
            ("image-list: ours / upstream", by["ours list"], by[up + " list"], GOALS["list"]),
            (
                "download: upstream / curl + sha512sum",
                by[up + " download"],
                by["curl download"],
                None,
            ),
            ("create --file: upstream / curl -T", by[up + " create"], by["curl create"], None),
        ]
    )
    out = [
        "## images_cli: `glance image-download`, `image-create --file`, `image-list`",
        "",
        "Whole commands, fork to exit; %d alternating rounds after one "
        "warm-up each; fake Glance on loopback serving %d MiB of data and "
        '%d images; files on disk (not tmpfs). "ours" is a plain install '
        "of the checkout." % (runs, mib, images),
        "",
        bl.timing_table(cs),
        "",
        ratios,
        "",
        "Peak memory of `glance image-download` (ours; goal <= %d MiB):" % MEMORY_GOAL_MIB,
        "",
        bl.table(["image size", "peak RSS"], memory),
        "",
        "HTTP requests per command (steady state):",
        "",
        bl.requests_section(cs),
        "",
    ]
    return "\n".join(out), data


def main(argv: list[str] | None = None) -> int:
    p = bl.parser(__doc__.split("\n")[0], runs=8)
    p.add_argument("--data-mib", type=int, default=256, help="MiB of image data (default 256)")
    p.add_argument("--images", type=int, default=500, help="images in the catalogue (default 500)")
    args = p.parse_args(argv)
    scratch = _scratch()
    memory: list[list[str]] = []

    def build_and_measure_memory(srv: fg.FakeServers) -> list[bl.Contestant]:
        memory.extend(peak_memory(srv, scratch))
        return build(srv, scratch, args.data_mib, args.images)

    try:
        return bl.measure(
            "images_cli",
            args.runs,
            fg.FakeServers(images=args.images, data_mib=args.data_mib),
            build_and_measure_memory,
            lambda cs: report(cs, memory, args.data_mib, args.images, args.runs),
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
