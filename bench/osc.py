#!/usr/bin/env python3
"""`openstack` commands: our OSC plugin against OSC's own cache command.

Contestants, timed alternately with password auth against a fake Keystone
v3 whose catalog points at a fake Glance (both on loopback):

- ``openstack cache nodes list <id>`` (our plugin);
- ``openstack cached image list`` (python-openstackclient's own command),
  in the same venv as the line above;
- ``openstack --version`` without our plugin and with it.

Two venvs made the same way from the same interpreter, with the same
python-openstackclient and dependency versions (pinned to the project's
venv): ``bench-osc`` has python-openstackclient only, ``bench-osc-plugin``
has that plus a plain (not editable) install of the checkout. They differ
only by our package, so ``--version`` in each shows what installing the
plugin costs (OSC imports every ``openstack.cli.extension`` module and
calls its ``build_option_parser`` even for ``--version``).

Goals: nodes list <= 1.0x cached image list; the plugin adds <= 3% to
``openstack --version``.

Usage: python bench/osc.py [--runs N]
"""

from __future__ import annotations

from pathlib import Path
import sys

import benchlib as bl
import benchvenvs as bv
import fake_glance as fg

NODES = 3
PLUGIN_WARNING = "Failed to import plugin"


def osc_version() -> str:
    py = bv.project_python()
    found = bv.dist_version(py, "python-openstackclient") if py else None
    return found or bv.DEFAULT_OSC


def osc_venvs() -> tuple[Path | None, Path | None, str, str]:
    """(base venv, plugin venv, why base is missing, why plugin is)."""
    req = ["python-openstackclient==%s" % osc_version()]
    pins = bv.project_constraints()
    try:
        base = bv.ensure_venv(bv.CACHE / "bench-osc", req, pins)
    except (RuntimeError, SystemExit, OSError) as e:
        return None, None, "could not build the venv: %s" % e, str(e)
    if not (bv.ROOT / "glanceclient" / "osc" / "plugin.py").exists():
        return base, None, "", "glanceclient/osc/plugin.py does not exist yet"
    try:
        plugin = bv.ensure_venv(bv.CACHE / "bench-osc-plugin", req, pins)
        with bv._locked(plugin):
            bv.install_project_snapshot(plugin, pins)
    except (RuntimeError, SystemExit, OSError) as e:
        return base, None, "", "could not install the project: %s" % e
    return base, plugin, "", ""


def osc_env(srv: fg.FakeServers) -> dict[str, str]:
    return bv.clean_env(
        {
            "OS_AUTH_URL": srv.auth_url,
            "OS_AUTH_TYPE": "password",
            "OS_USERNAME": fg.docs.USERNAME,
            "OS_PASSWORD": fg.docs.PASSWORD,
            "OS_PROJECT_NAME": fg.docs.PROJECT,
            "OS_USER_DOMAIN_NAME": "Default",
            "OS_PROJECT_DOMAIN_NAME": "Default",
            "OS_IDENTITY_API_VERSION": "3",
            "OS_REGION_NAME": fg.docs.REGION,
            "OS_INTERFACE": "public",
        }
    )


def _openstack(
    venv: Path | None, name: str, args: list[str], env: dict[str, str], why: str, **kw
) -> bl.Contestant:
    exe = str(venv / "bin" / "openstack") if venv else "openstack"
    c = bl.Contestant(name, [exe] + args, env=env, forbid_stderr=(PLUGIN_WARNING,), **kw)
    c.missing = "" if venv else why
    return c


def build(srv: fg.FakeServers) -> list[bl.Contestant]:
    base, plugin, why_base, why_plugin = osc_venvs()
    env = osc_env(srv)
    image = fg.docs.image_id_for(NODES)
    # "cached image list" runs where "cache nodes list" runs, so that pair
    # shares one venv; without the plugin venv, in the base one.
    cached_venv = plugin or base
    return [
        _openstack(
            plugin,
            "ours: openstack cache nodes list",
            ["cache", "nodes", "list", image],
            env,
            why_plugin,
            expect=("glance-node-00001", "glance-node-00003"),
        ),
        _openstack(
            cached_venv,
            "OSC: openstack cached image list",
            ["cached", "image", "list"],
            env,
            why_base,
            expect=(fg.docs.image_ids(1, start=0x100)[0],),
            note="plugin venv" if plugin else "base venv",
        ),
        _openstack(
            base,
            "openstack --version (without our plugin)",
            ["--version"],
            env,
            why_base,
            expect=("openstack",),
        ),
        _openstack(
            plugin,
            "openstack --version (with our plugin)",
            ["--version"],
            env,
            why_plugin,
            expect=("openstack",),
        ),
    ]


PLUGIN_TIMER = r"""
import importlib, sys, time
spent = [0.0]
real_import = importlib.import_module

def timed_call(func):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started
    return wrapper

def import_module(name, package=None):
    if not name.startswith('glanceclient'):
        return real_import(name, package)
    module = timed_call(real_import)(name, package)
    if hasattr(module, 'build_option_parser'):
        module.build_option_parser = timed_call(module.build_option_parser)
    return module

importlib.import_module = import_module
import atexit
atexit.register(lambda: sys.stderr.write('BENCH-PLUGIN %.6f\n' % spent[0]))
sys.argv = ['openstack', '--version']
from openstackclient.shell import main
sys.exit(main())
"""


def plugin_import_cost(cs: list[bl.Contestant], tries: int = 5) -> str:
    """What our plugin costs inside ``openstack --version``, timed inside.

    A figure that the machine's drift moves far less than it moves a 3%
    difference of two whole commands: OSC loads each plugin with
    ``importlib.import_module`` and then calls its ``build_option_parser``;
    the time of both calls for our module is taken inside the process.
    """
    ver_plugin = cs[3]
    if not ver_plugin.ok or not ver_plugin.runs:
        return ""
    py = str(Path(ver_plugin.argv[0]).with_name("python"))
    spent, walls = [], []
    for _ in range(tries):
        res = bl.run([py, "-c", PLUGIN_TIMER], ver_plugin.env)
        for line in res.stderr.splitlines():
            if line.startswith("BENCH-PLUGIN "):
                spent.append(float(line.split()[1]))
                walls.append(res.wall)
    if not spent:
        return "Could not time the plugin inside `openstack --version`."
    share = bl.median([s / w for s, w in zip(spent, walls, strict=True)])
    return (
        "Inside `openstack --version` (median of %d): importing our "
        "plugin module and running its `build_option_parser` take %s, "
        "%.1f%% of the command's %s."
        % (len(spent), bl.fmt_time(bl.median(spent)), 100 * share, bl.fmt_time(bl.median(walls)))
    )


def report(cs: list[bl.Contestant], runs: int) -> tuple[str, list[dict]]:
    nodes, cached, ver_base, ver_plugin = cs
    ratios, data = bl.ratio_rows(
        [
            ("cache nodes list / cached image list", nodes, cached, 1.0),
            ("--version with plugin / without", ver_plugin, ver_base, 1.03),
            ("cached image list / --version (without plugin)", cached, ver_base, None),
        ]
    )
    out = [
        "## osc: `openstack` commands (python-openstackclient %s)" % osc_version(),
        "",
        "Whole command, fork to exit, password auth through a fake "
        "Keystone; %d alternating rounds after one warm-up each. "
        "`cached image list` ran in the %s. The two `--version` lines "
        "come from two venvs that differ only by our package." % (runs, cached.note or "base venv"),
        "",
        bl.timing_table(cs),
        "",
        ratios,
        "",
        plugin_import_cost(cs),
        "",
        "HTTP requests per command (steady state):",
        "",
        bl.requests_section(cs),
        "",
    ]
    return "\n".join(out), data


def main(argv: list[str] | None = None) -> int:
    args = bl.parser(__doc__.split("\n")[0], runs=8).parse_args(argv)
    return bl.measure(
        "osc", args.runs, fg.FakeServers(nodes=NODES), build, lambda cs: report(cs, args.runs)
    )


if __name__ == "__main__":
    sys.exit(main())
