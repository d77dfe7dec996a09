#!/usr/bin/env python3
"""`glance cache-nodes-list`: this project against the alternatives.

Contestants, timed alternately against one fake Glance on loopback:

- this project's ``glance``, from a plain install of the checkout in a
  bench venv (what users get), and from ``<checkout>/.venv/bin/glance``
  (editable install; its import hook slows every start of that venv);
- upstream python-glanceclient 4.13.0's ``glance``, same arguments, from a
  venv of its own (built on first use, then reused);
- a ``python -c`` requests one-liner doing the same GET with the token;
- a ``python -c`` keystoneauth1 one-liner doing the same GET through a bare
  keystoneauth1 Session: the floor of any client built, as ours must be,
  on keystoneauth1 (it imports requests and more);
- ``python -c pass`` (the interpreter's own start-up);
- ``glance help``, ours and upstream's: the whole parser, every command
  listed, no request.

Goals: ours <= 0.33x upstream, ours <= 1.5x the requests one-liner, ours
<= 1.05x the keystoneauth1 one-liner.

Usage: python bench/cli.py [--runs N]
"""

from __future__ import annotations

import sys

import benchlib as bl
import benchvenvs as bv
import fake_glance as fg

NODES = 3

REQUESTS_ONE_LINER = (
    "import sys,requests;"
    "r=requests.get(sys.argv[1],headers={'X-Auth-Token':sys.argv[2]});"
    "r.raise_for_status();print('\\n'.join(r.json()))"
)


KEYSTONEAUTH_ONE_LINER = (
    "import sys;from keystoneauth1 import session,token_endpoint;"
    "s=session.Session(auth=token_endpoint.Token(None,sys.argv[2]));"
    "print('\\n'.join(s.get(sys.argv[1]).json()))"
)


_OURS_VENV: list = []


def ours_installed_venv() -> tuple[bl.Path | None, str]:
    """Our plain install in a bench venv (built once per run, then cached)."""
    if not _OURS_VENV:
        if not (bv.ROOT / "glanceclient" / "shell.py").exists():
            _OURS_VENV.append((None, "glanceclient/shell.py does not exist yet"))
        else:
            try:
                _OURS_VENV.append((bv.ours_venv(), ""))
            except (RuntimeError, SystemExit, OSError) as e:
                _OURS_VENV.append((None, "could not install the project: %s" % e))
    return _OURS_VENV[0]


def glance_installs() -> dict[str, tuple[bl.Path | None, str]]:
    """The ``glance`` commands to time: ours (a plain install) and upstream
    4.13.0's, each as its bin directory, or None and why it is missing."""
    venv, why = ours_installed_venv()
    installs: dict[str, tuple[bl.Path | None, str]] = {
        "ours": (venv / "bin" if venv else None, why)
    }
    try:
        installs["upstream %s" % bv.UPSTREAM_GLANCECLIENT] = (bv.upstream_venv() / "bin", "")
    except (RuntimeError, SystemExit) as e:
        installs["upstream %s" % bv.UPSTREAM_GLANCECLIENT] = (None, str(e))
    return installs


def helper_python() -> str | None:
    """The interpreter of the one-liner and of ``python -c pass``.

    A venv without an editable install's import hook: our plain-install
    venv when it exists, else the upstream venv. Both are made from the
    same base interpreter as the project's venv.
    """
    venv, _ = ours_installed_venv()
    if venv is not None:
        return str(bv.venv_python(venv))
    try:
        return str(bv.venv_python(bv.upstream_venv()))
    except (RuntimeError, SystemExit) as e:
        bv.log("bench: no interpreter for the one-liner: %s" % e)
        return None


def expect_nodes(count: int) -> tuple[str, ...]:
    return ("glance-node-%05d" % 1, "glance-node-%05d" % count)


def glance_args(srv: fg.FakeServers, image_id: str) -> list[str]:
    return [
        "--os-image-url",
        srv.glance_url,
        "--os-auth-token",
        srv.token,
        "cache-nodes-list",
        image_id,
    ]


def ours_glance(srv: fg.FakeServers, nodes: int = NODES, label: str = "") -> bl.Contestant:
    """Our ``glance`` from a plain install (what users get)."""
    venv, why = ours_installed_venv()
    argv = glance_args(srv, fg.docs.image_id_for(nodes))
    c = bl.Contestant(
        "ours: glance cache-nodes-list" + label,
        [str(venv / "bin" / "glance") if venv else "glance"] + argv,
        expect=expect_nodes(nodes),
    )
    c.missing = why
    return c


def ours_glance_editable(srv: fg.FakeServers, nodes: int = NODES, label: str = "") -> bl.Contestant:
    """Our ``glance`` from the project's own venv (editable install)."""
    script = bv.project_script("glance")
    c = bl.Contestant(
        "ours, project .venv (editable): glance cache-nodes-list" + label,
        [str(script)] + glance_args(srv, fg.docs.image_id_for(nodes)),
        expect=expect_nodes(nodes),
    )
    if not (bv.ROOT / "glanceclient" / "shell.py").exists():
        c.missing = "glanceclient/shell.py does not exist yet"
    elif script is None:
        c.missing = (
            "no %s/bin/glance yet (the project is not pip-installed "
            "into its venv)" % bv.PROJECT_VENV
        )
    return c


def upstream_glance(srv: fg.FakeServers, nodes: int = NODES, label: str = "") -> bl.Contestant:
    name = "upstream %s: glance cache-nodes-list%s" % (bv.UPSTREAM_GLANCECLIENT, label)
    try:
        venv = bv.upstream_venv()
    except (RuntimeError, SystemExit) as e:
        return bl.Contestant(name, [], missing="no upstream venv: %s" % e)
    return bl.Contestant(
        name,
        [str(venv / "bin" / "glance")] + glance_args(srv, fg.docs.image_id_for(nodes)),
        expect=expect_nodes(nodes),
    )


def one_liner(srv: fg.FakeServers, nodes: int = NODES, label: str = "") -> bl.Contestant:
    py = helper_python()
    url = "%s/v2/cache/nodes/%s" % (srv.glance_url, fg.docs.image_id_for(nodes))
    c = bl.Contestant(
        "python -c requests one-liner" + label,
        [str(py), "-c", REQUESTS_ONE_LINER, url, srv.token],
        expect=expect_nodes(nodes),
        note=str(py),
    )
    if py is None:
        c.missing = "no interpreter with requests"
    return c


def keystoneauth_one_liner(srv: fg.FakeServers) -> bl.Contestant:
    """The same GET through a bare keystoneauth1 Session (ours's floor)."""
    py = helper_python()
    url = "%s/v2/cache/nodes/%s" % (srv.glance_url, fg.docs.image_id_for(NODES))
    c = bl.Contestant(
        "python -c keystoneauth1 one-liner (floor)",
        [str(py), "-c", KEYSTONEAUTH_ONE_LINER, url, srv.token],
        expect=expect_nodes(NODES),
        note=str(py),
    )
    if py is None:
        c.missing = "no interpreter with keystoneauth1"
    return c


def help_command(upstream: bool = False) -> bl.Contestant:
    """``glance help``: builds the parser and lists every command."""
    if upstream:
        name = "upstream %s: glance help" % bv.UPSTREAM_GLANCECLIENT
        try:
            script, why = str(bv.upstream_venv() / "bin" / "glance"), ""
        except (RuntimeError, SystemExit) as e:
            script, why = "glance", "no upstream venv: %s" % e
    else:
        name = "ours: glance help"
        venv, why = ours_installed_venv()
        script = str(venv / "bin" / "glance") if venv else "glance"
    c = bl.Contestant(name, [script, "help"], expect=("image-list", "cache-nodes-list"))
    c.missing = why
    return c


def python_pass() -> bl.Contestant:
    py = helper_python()
    c = bl.Contestant("python -c pass", [str(py), "-c", "pass"], note=str(py))
    if py is None:
        c.missing = "no interpreter"
    return c


def build(srv: fg.FakeServers) -> list[bl.Contestant]:
    return [
        ours_glance(srv),
        ours_glance_editable(srv),
        upstream_glance(srv),
        one_liner(srv),
        keystoneauth_one_liner(srv),
        python_pass(),
        help_command(),
        help_command(upstream=True),
    ]


def report(cs: list[bl.Contestant], runs: int) -> tuple[str, list[dict]]:
    ours, ours_e, upstream, liner, floor, pass_, help_, upstream_help = cs
    ratios, data = bl.ratio_rows(
        [
            ("ours / upstream", ours, upstream, 0.33),
            ("ours / requests one-liner", ours, liner, 1.5),
            ("ours (editable) / upstream", ours_e, upstream, 0.33),
            ("ours (editable) / requests one-liner", ours_e, liner, 1.5),
            ("ours (editable) / ours", ours_e, ours, None),
            ("keystoneauth1 floor / upstream", floor, upstream, None),
            ("keystoneauth1 floor / requests one-liner", floor, liner, None),
            ("ours / keystoneauth1 floor", ours, floor, 1.05),
            ("ours: glance help / upstream: glance help", help_, upstream_help, None),
            ("ours: glance help / ours: glance cache-nodes-list", help_, ours, None),
            ("upstream / requests one-liner", upstream, liner, None),
            ("requests one-liner / python -c pass", liner, pass_, None),
        ]
    )
    out = [
        "## cli: `glance cache-nodes-list <id>` (%d nodes) and `glance help`" % NODES,
        "",
        "Whole command, fork to exit; %d alternating rounds after one "
        'warm-up each; fake Glance on loopback. "ours" is a plain install '
        "of the checkout in a bench venv made like the upstream one; "
        '"ours, project .venv" is the editable install (its .pth import '
        "hook costs every interpreter start there)." % runs,
        "",
        bl.timing_table(cs),
        "",
        ratios,
        "",
        "HTTP requests per command (steady state):",
        "",
        bl.requests_section(cs),
        "",
        "Interpreter of the one-liner and `pass`: `%s`." % (liner.note or pass_.note),
        "",
    ]
    return "\n".join(out), data


def main(argv: list[str] | None = None) -> int:
    args = bl.parser(__doc__.split("\n")[0], runs=20).parse_args(argv)
    return bl.measure(
        "cli", args.runs, fg.FakeServers(nodes=NODES), build, lambda cs: report(cs, args.runs)
    )


if __name__ == "__main__":
    sys.exit(main())
