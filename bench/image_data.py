#!/usr/bin/env python3
"""The image data path on a real Glance node: download and create --file.

One real glance-api 33.0.0 node on loopback (file store, trusted tokens),
started as the functional tests start theirs (``python -m
glanceclient.tests.functional.cluster --nodes 1``, with the project's
``.venv`` and the servers venv it builds). Contestants, alternated round by
round:

- download of a ``--data-mib`` image, hash checked: this project's
  ``glance image-download --file``, upstream 4.13.0's (its own venv), and
  ``curl | tee FILE | sha512sum``, each to a file that does not exist yet;
- create: ``glance image-create --file`` (create, upload, show) of ours and
  upstream's, and ``curl -X POST`` (create) then ``curl -T`` (upload) of the
  same bytes.

Then the peak memory of our download and of our create.

Goals: download <= 1.1x curl | tee | sha512sum and <= 0.95x upstream,
create <= 1.3x curl -X POST + curl -T, peak RSS of both <= 80 MiB.

Usage: python bench/image_data.py [--runs N] [--data-mib 256]
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

import benchlib as bl
import benchvenvs as bv
import cli

GOALS = {"download": 1.1, "download upstream": 0.95, "create": 1.3}
MEMORY_GOAL_MIB = 80
MIB = 1024 * 1024

#: Downloads go to a file that does not exist yet, for every contestant.
FRESH = 'rm -f "$1" && shift && exec "$@"'
CURL_DOWNLOAD = 'rm -f "$2" && curl -sf -H "$1" "$3" | tee "$2" | sha512sum'
CURL_CREATE = (
    'id=$(curl -sf -H "$1" -H "Content-Type: application/json" -X POST '
    '-d \'{"name": "bench", "disk_format": "raw", "container_format": "bare"}\' '
    '"$2/v2/images" | sed -n \'s/.*"id": *"\\([^"]*\\)".*/\\1/p\') && '
    'curl -sf -H "$1" -H "Content-Type: application/octet-stream" -T "$3" '
    '"$2/v2/images/$id/file" && echo "$id"'
)


class RealGlance:
    """One real Glance node for the length of a ``with`` block.

    :param workdir: where the node keeps its configuration, store and logs
        (on a disk, not /tmp's tmpfs).
    """

    def __init__(self, workdir: str) -> None:
        self.workdir = workdir
        self.url = ""
        self.token = ""
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> RealGlance:
        python = bv.project_python()
        if python is None:
            raise SystemExit("the project's .venv is needed (tools/ensure-venv)")
        env_file = os.path.join(self.workdir, "env")
        log = open(os.path.join(self.workdir, "cluster.log"), "wb")  # noqa: SIM115
        self._process = subprocess.Popen(
            [str(python), "-m", "glanceclient.tests.functional.cluster", "--nodes", "1"]
            + ["--workdir", os.path.join(self.workdir, "cluster"), "--env-file", env_file],
            cwd=str(bv.ROOT),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 600
        while not os.path.exists(env_file):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise SystemExit("the Glance node did not start; see %s/cluster.log" % self.workdir)
            time.sleep(0.5)
        exports = {}
        with open(env_file) as f:
            for line in f:
                if line.startswith("export "):
                    name, _, value = line[len("export ") :].strip().partition("=")
                    exports[name] = shlex.split(value)[0]
        self.url, self.token = exports["OS_IMAGE_URL"], exports["OS_AUTH_TOKEN"]
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(60)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def call(self, method: str, path: str, body: object = None, data_file: str = "") -> object:
        """One request with the standard library (the set-up, not timed)."""
        headers = {"X-Auth-Token": self.token}
        data: object = None
        if data_file:
            headers["Content-Type"] = "application/octet-stream"
            headers["Content-Length"] = str(os.path.getsize(data_file))
            data = open(data_file, "rb")  # noqa: SIM115 - closed below
        elif body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - the node's http URL
            self.url + path, data, headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=600) as answer:  # noqa: S310
                text = answer.read()
        finally:
            if data_file:
                data.close()  # type: ignore[attr-defined]
        return json.loads(text) if text else None


def write_source(path: str, mib: int) -> None:
    """``mib`` MiB of data that does not compress (as a real image's)."""
    block = os.urandom(MIB)
    with open(path, "wb") as f:
        for _ in range(mib):
            f.write(block)


def build(node: RealGlance, scratch: str, mib: int) -> tuple[list[bl.Contestant], str, str]:
    source = os.path.join(scratch, "source.raw")
    write_source(source, mib)
    image = node.call(
        "POST",
        "/v2/images",
        {"name": "bench-data", "disk_format": "raw", "container_format": "bare"},
    )
    image_id = image["id"]  # type: ignore[index]
    node.call("PUT", "/v2/images/%s/file" % image_id, data_file=source)
    installs = cli.glance_installs()
    auth = ["--os-image-url", node.url, "--os-auth-token", node.token]
    cs = []
    for who, (bindir, missing) in installs.items():
        target = os.path.join(scratch, "download-%s.raw" % who.split()[0])
        glance = [str(bindir / "glance"), *auth] if bindir else []
        download = ["sh", "-c", FRESH, "sh", target, *glance] if glance else []
        create = ["image-create", "--name", "bench", "--disk-format", "raw"]
        create += ["--container-format", "bare", "--file", source]
        cs.append(
            bl.Contestant(
                "%s: glance image-download --file (%d MiB)" % (who, mib),
                download + ["image-download", "--file", target, image_id] if glance else [],
                note="%s download" % who.split()[0],
                missing=missing,
            )
        )
        cs.append(
            bl.Contestant(
                "%s: glance image-create --file (%d MiB)" % (who, mib),
                glance + create if glance else [],
                expect=("active",),
                note="%s create" % who.split()[0],
                missing=missing,
            )
        )
    header = "X-Auth-Token: %s" % node.token
    cs.append(
        bl.Contestant(
            "curl, tee FILE, sha512sum in a pipe (%d MiB)" % mib,
            ["sh", "-c", CURL_DOWNLOAD, "sh", header, os.path.join(scratch, "download-curl.raw")]
            + ["%s/v2/images/%s/file" % (node.url, image_id)],
            note="curl download",
        )
    )
    cs.append(
        bl.Contestant(
            "curl -X POST, then curl -T (%d MiB)" % mib,
            ["sh", "-c", CURL_CREATE, "sh", header, node.url, source],
            note="curl create",
        )
    )
    for c in cs:
        if c.argv and c.argv[0] == "sh" and not shutil.which("curl"):
            c.missing = "curl is not installed"
    return cs, image_id, source


def peak_memory(node: RealGlance, scratch: str, image_id: str, source: str) -> list[list[str]]:
    """Peak RSS of our download and our create (once each)."""
    venv, why = cli.ours_installed_venv()
    if venv is None:
        return [["(not measured)", why]]
    glance = [str(venv / "bin" / "glance"), "--os-image-url", node.url]
    glance += ["--os-auth-token", node.token]
    cases = [
        ("image-download", ["image-download", "--file", os.path.join(scratch, "memory.raw")]),
        ("image-create --file", ["image-create", "--disk-format", "raw", "--container-format"]),
    ]
    cases[0][1].append(image_id)
    cases[1][1].extend(["bare", "--file", source])
    rows = []
    bl.MEASURE_RSS = True
    try:
        for label, argv in cases:
            run = bl.run(glance + argv)
            peak = bl.fmt_mib(run.maxrss_kib) if run.rc == 0 else "failed: %s" % run.stderr[-200:]
            verdict = ""
            if run.rc == 0:
                verdict = (
                    "meets goal" if run.maxrss_kib <= MEMORY_GOAL_MIB * 1024 else "MISSES goal"
                )
            rows.append([label, peak, "<= %d MiB" % MEMORY_GOAL_MIB, verdict])
    finally:
        bl.MEASURE_RSS = False
    return rows


def report(
    cs: list[bl.Contestant], memory: list[list[str]], mib: int, runs: int, loads: list[str]
) -> tuple[str, list[dict]]:
    by = {c.note: c for c in cs}
    ratios, data = bl.ratio_rows(
        [
            (
                "download: ours / curl, tee, sha512sum",
                by["ours download"],
                by["curl download"],
                GOALS["download"],
            ),
            (
                "download: ours / upstream",
                by["ours download"],
                by["upstream download"],
                GOALS["download upstream"],
            ),
            (
                "create --file: ours / curl -X POST + curl -T",
                by["ours create"],
                by["curl create"],
                GOALS["create"],
            ),
            (
                "download: upstream / curl, tee, sha512sum",
                by["upstream download"],
                by["curl download"],
                None,
            ),
            (
                "create --file: upstream / curl -X POST + curl -T",
                by["upstream create"],
                by["curl create"],
                None,
            ),
        ]
    )
    out = [
        "## image_data: `glance image-download` and `image-create --file` on a real Glance node",
        "",
        "Whole commands, fork to exit; %d alternating rounds after one warm-up each; "
        "one real glance-api 33.0.0 node on loopback (file store, trusted tokens), "
        "%d MiB of random data; files on disk (not tmpfs). Load average (1, 5, 15 min) "
        "before: %s; after: %s." % (runs, mib, loads[0], loads[1]),
        "",
        bl.timing_table(cs),
        "",
        ratios,
        "",
        "Peak memory (ours):",
        "",
        bl.table(["command", "peak RSS", "goal", "verdict"], memory),
        "",
    ]
    return "\n".join(out), data


def _load() -> str:
    return "%.2f %.2f %.2f" % os.getloadavg()


def main(argv: list[str] | None = None) -> int:
    p = bl.parser(__doc__.split("\n")[0], runs=6)
    p.add_argument("--data-mib", type=int, default=256, help="MiB of image data (default 256)")
    args = p.parse_args(argv)
    base = bv.CACHE / "bench-scratch"
    base.mkdir(parents=True, exist_ok=True)
    scratch = tempfile.mkdtemp(dir=base)
    loads = [_load()]
    try:
        with RealGlance(scratch) as node:
            cs, image_id, source = build(node, scratch, args.data_mib)
            memory = peak_memory(node, scratch, image_id, source)
            bl.alternate(cs, args.runs, None, "image_data")
        loads.append(_load())
        md, data = report(cs, memory, args.data_mib, args.runs, loads)
        print(md)
        bl.save(
            "image_data",
            {"machine": bl.machine_line(), "ratios": data, "contestants": bl.raw(cs)},
        )
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
