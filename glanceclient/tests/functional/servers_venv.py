# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""A virtualenv of its own for the real Glance and Keystone servers.

The servers are test fixtures, not dependencies of the client: they pin a
dependency set of their own, so they live in a separate virtualenv that is
built once and reused.

* Location: ``$GLANCECLIENT_SERVERS_VENV``, or
  ``~/.cache/python-glanceclient/servers-venv``.
* Completeness: a stamp file is written only after a successful install; a
  venv without a matching stamp (an interrupted install, or an older list of
  requirements) is wiped and built again.
* Concurrency: the build holds an exclusive ``flock`` on a lock file beside
  the venv, so parallel test workers build it once and the others wait.
* A pre-synced Glance sqlite database (``glance-manage db_sync`` run once)
  and a pre-synced Keystone one are kept in the venv; clusters copy them.
  A second Glance database that also holds Glance's standard metadata
  definitions (``glance-manage db load_metadefs``) is made the first time a
  cluster asks for it (:func:`metadefs_template`).

Command line (CI builds the venv up front with it)::

    python -m glanceclient.tests.functional.servers_venv [--rebuild]

Only the standard library is used here, so the module runs on a machine
with nothing but Python.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
import contextlib
import fcntl
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import venv

ENV_VAR = "GLANCECLIENT_SERVERS_VENV"
DEFAULT_DIR = pathlib.Path("~/.cache/python-glanceclient/servers-venv")

#: What the servers venv holds. keystonemiddleware comes with glance (it is
#: in glance's requirements), so it is not listed.
REQUIREMENTS: tuple[str, ...] = (
    "glance==33.0.0",
    "keystone==30.0.0",
    "gunicorn>=23.0.0",
)

#: Bump when what ``_build_templates`` makes changes (only the templates
#: are rebuilt then, not the venv).
TEMPLATES_LAYOUT = 1

STAMP_NAME = ".glanceclient-servers-stamp"
TEMPLATES_DIR = "glanceclient-templates"

#: The pre-bootstrapped Keystone template: admin user, project and role
#: names and the admin password (a loopback test server; not a secret).
KEYSTONE_ADMIN_USER = "admin"
KEYSTONE_ADMIN_PASSWORD = "admin-secret"
KEYSTONE_ADMIN_PROJECT = "admin"
KEYSTONE_REGION = "RegionOne"
#: The identity endpoint the template is bootstrapped with; a cluster
#: rewrites it to its own Keystone's URL once that runs.
KEYSTONE_PLACEHOLDER_URL = "http://127.0.0.1:5000"


class ServersVenvError(RuntimeError):
    """The servers venv could not be built or used."""


def venv_dir() -> pathlib.Path:
    """Where the servers venv lives (not necessarily built yet)."""
    value = os.environ.get(ENV_VAR) or str(DEFAULT_DIR)
    return pathlib.Path(value).expanduser().absolute()


def bin_path(name: str, root: pathlib.Path | None = None) -> pathlib.Path:
    """Path of an executable installed in the servers venv."""
    return (root or venv_dir()) / "bin" / name


def _stamp_content() -> dict[str, object]:
    return {
        "requirements": list(REQUIREMENTS),
        "python": "%d.%d" % sys.version_info[:2],
    }


def _templates_stamp_content() -> dict[str, object]:
    return {"layout": TEMPLATES_LAYOUT}


def _read_json(path: pathlib.Path) -> object:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _venv_complete(root: pathlib.Path) -> bool:
    if _read_json(root / STAMP_NAME) != _stamp_content():
        return False
    wanted = ("python", "gunicorn", "glance-manage", "keystone-manage")
    return all(bin_path(n, root).exists() for n in wanted)


def _templates_complete(root: pathlib.Path) -> bool:
    stamp = root / TEMPLATES_DIR / STAMP_NAME
    return _read_json(stamp) == _templates_stamp_content()


def is_complete(root: pathlib.Path | None = None) -> bool:
    """True when the venv at ``root`` was fully built for our requirements,
    templates included."""
    root = root or venv_dir()
    return _venv_complete(root) and _templates_complete(root)


@contextlib.contextmanager
def _locked(root: pathlib.Path) -> Iterator[None]:
    root.parent.mkdir(parents=True, exist_ok=True)
    lock_path = root.parent / (root.name + ".lock")
    with open(lock_path, "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _run(
    cmd: list[str],
    log_path: pathlib.Path,
    env: dict[str, str] | None = None,
    cwd: pathlib.Path | None = None,
) -> None:
    with open(log_path, "a") as log:
        log.write("\n$ %s\n" % " ".join(cmd))
        log.flush()
        rc = subprocess.call(
            cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, cwd=cwd
        )
    if rc != 0:
        tail = log_path.read_text(errors="replace").splitlines()[-40:]
        raise ServersVenvError(
            "command failed (exit %d): %s\nlast lines of %s:\n%s"
            % (rc, " ".join(cmd), log_path, "\n".join(tail))
        )


def _run_parallel(jobs: list[tuple[list[str], pathlib.Path]], log_path: pathlib.Path) -> None:
    """Run (command, cwd) jobs at once; their output goes to the log."""
    running = []
    for i, (cmd, cwd) in enumerate(jobs):
        job_log = log_path.with_name("%s.%d" % (log_path.name, i))
        with open(job_log, "w") as out:
            out.write("\n$ %s\n" % " ".join(cmd))
            out.flush()
            proc = subprocess.Popen(
                cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=cwd
            )
        running.append((cmd, proc, job_log))
    failed = []
    with open(log_path, "a") as log:
        for cmd, proc, job_log in running:
            rc = proc.wait()
            text = job_log.read_text(errors="replace")
            job_log.unlink()
            log.write(text)
            if rc != 0:
                failed.append(
                    "command failed (exit %d): %s\n%s"
                    % (rc, " ".join(cmd), "\n".join(text.splitlines()[-30:]))
                )
    if failed:
        raise ServersVenvError("\n".join(failed))


def _wipe(root: pathlib.Path) -> None:
    if not root.exists():
        return
    # Only remove what looks like a venv we made (or an empty directory),
    # never an arbitrary directory someone pointed the variable at.
    if (root / "pyvenv.cfg").exists() or not any(root.iterdir()):
        shutil.rmtree(root)
    else:
        raise ServersVenvError(
            "%s exists and is not a virtualenv; point %s elsewhere or remove it" % (root, ENV_VAR)
        )


def _create_venv(root: pathlib.Path, log_path: pathlib.Path) -> None:
    try:
        import ensurepip  # noqa: F401

        has_ensurepip = True
    except ImportError:
        has_ensurepip = False
    venv.EnvBuilder(with_pip=has_ensurepip, symlinks=True).create(root)
    python = str(bin_path("python", root))
    if has_ensurepip:
        installer = [python, "-m", "pip"]
    else:
        # Debian's python3 without python3-venv has no ensurepip: drive the
        # venv from the running interpreter's pip (pip >= 22.3).
        installer = [sys.executable, "-m", "pip", "--python", python]
    _run(installer + ["install", "--disable-pip-version-check", "--upgrade", "pip"], log_path)
    _run([python, "-m", "pip", "install", "--disable-pip-version-check", *REQUIREMENTS], log_path)


def _build_templates(root: pathlib.Path, log_path: pathlib.Path) -> None:
    """Build the pre-synced databases kept inside the venv.

    * ``glance.sqlite``: after ``glance-manage db_sync``.
    * ``keystone/``: ``keystone.sqlite`` after ``keystone-manage db_sync``
      and ``bootstrap`` (admin user, project, roles, region, identity
      endpoint at KEYSTONE_PLACEHOLDER_URL), with the ``fernet-keys`` and
      ``credential-keys`` repositories from ``fernet_setup`` and
      ``credential_setup``.

    Built in a scratch directory and renamed into place, then stamped.
    """
    final = root / TEMPLATES_DIR
    work = pathlib.Path(tempfile.mkdtemp(prefix="templates-", dir=root))
    try:
        conf = work / "glance-api.conf"
        conf.write_text(
            "[DEFAULT]\nuse_stderr = true\n"
            "[database]\nconnection = sqlite:///%s\n" % (work / "glance.sqlite")
        )
        kdir = work / "keystone"
        kdir.mkdir()
        kconf = kdir / "keystone.conf"
        kconf.write_text(keystone_conf_text(kdir, debug=False))
        manage = [str(bin_path("keystone-manage", root)), "--config-file", str(kconf)]
        owner = ["--keystone-user", str(os.getuid()), "--keystone-group", str(os.getgid())]
        # Independent steps run side by side (each is ~2.5 s of imports).
        _run_parallel(
            [
                (
                    [str(bin_path("glance-manage", root)), "--config-file", str(conf), "db_sync"],
                    work,
                ),
                (manage + ["db_sync"], kdir),
                (manage + ["fernet_setup"] + owner, kdir),
                (manage + ["credential_setup"] + owner, kdir),
            ],
            log_path,
        )
        _run(
            manage
            + [
                "bootstrap",
                "--bootstrap-username",
                KEYSTONE_ADMIN_USER,
                "--bootstrap-password",
                KEYSTONE_ADMIN_PASSWORD,
                "--bootstrap-project-name",
                KEYSTONE_ADMIN_PROJECT,
                "--bootstrap-role-name",
                "admin",
                "--bootstrap-service-name",
                "keystone",
                "--bootstrap-region-id",
                KEYSTONE_REGION,
                "--bootstrap-public-url",
                KEYSTONE_PLACEHOLDER_URL,
            ],
            log_path,
            cwd=kdir,
        )
        conf.unlink()
        kconf.unlink()
        (work / STAMP_NAME).write_text(json.dumps(_templates_stamp_content()))
        shutil.rmtree(final, ignore_errors=True)
        os.rename(work, final)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def keystone_conf_text(kdir: pathlib.Path, debug: bool = False) -> str:
    """keystone.conf for a Keystone whose files live in ``kdir``."""
    return (
        "[DEFAULT]\n"
        "use_stderr = true\n"
        "debug = %(debug)s\n"
        "[database]\n"
        "connection = sqlite:///%(dir)s/keystone.sqlite\n"
        "[fernet_tokens]\n"
        "key_repository = %(dir)s/fernet-keys\n"
        "[fernet_receipts]\n"
        "key_repository = %(dir)s/fernet-keys\n"
        "[credential]\n"
        "key_repository = %(dir)s/credential-keys\n"
        "[identity]\n"
        "password_hash_rounds = 4\n"
        "[cache]\n"
        "enabled = true\n"
        "backend = oslo_cache.dict\n" % {"dir": kdir, "debug": str(debug).lower()}
    )


def ensure(rebuild: bool = False, log: bool = True) -> pathlib.Path:
    """Return the root of a complete servers venv, building it if needed.

    Only the templates are rebuilt when the venv itself is complete.

    :param rebuild: wipe and rebuild even when the venv is complete.
    :param log: say on stderr when a build starts and ends.
    :returns: the venv's root directory.
    :raises ServersVenvError: when the build fails (with the log's tail).
    """
    root = venv_dir()
    if not rebuild and is_complete(root):
        return root
    with _locked(root):
        if not rebuild and is_complete(root):
            return root  # another process built it while we waited
        log_path = root.parent / (root.name + "-build.log")
        started = time.monotonic()
        if log:
            sys.stderr.write(
                "building the Glance/Keystone servers venv in %s (log: %s)...\n" % (root, log_path)
            )
        if rebuild or not _venv_complete(root):
            (root / STAMP_NAME).unlink(missing_ok=True)
            _wipe(root)
            root.parent.mkdir(parents=True, exist_ok=True)
            log_path.write_text("")
            _create_venv(root, log_path)
            (root / STAMP_NAME).write_text(json.dumps(_stamp_content()))
        _build_templates(root, log_path)
        if log:
            sys.stderr.write("servers venv ready in %.1f s\n" % (time.monotonic() - started))
    return root


def template_path(name: str, root: pathlib.Path | None = None) -> pathlib.Path:
    """Path of a template: ``glance.sqlite`` or the ``keystone`` directory
    (``keystone.sqlite``, ``fernet-keys/``, ``credential-keys/``)."""
    path = (root or venv_dir()) / TEMPLATES_DIR / name
    if not path.exists():
        raise ServersVenvError("no template %s at %s: run ensure() first" % (name, path))
    return path


#: The Glance database template with the standard metadata definitions.
METADEFS_TEMPLATE = "glance-metadefs.sqlite"


def metadefs_template(root: pathlib.Path | None = None) -> pathlib.Path:
    """Path of a Glance database holding Glance's standard metadata
    definitions (the JSON files glance installs under
    ``etc/glance/metadefs``, loaded by ``glance-manage db load_metadefs``).

    Made from the ``glance.sqlite`` template on first use (about 2 s) and
    kept beside it; it is not part of the templates' stamp, so clusters
    that do not ask for it never pay for it.

    :raises ServersVenvError: when loading the definitions fails.
    """
    root = root or venv_dir()
    final = root / TEMPLATES_DIR / METADEFS_TEMPLATE
    if final.exists():
        return final
    base = template_path("glance.sqlite", root)
    with _locked(root):
        if final.exists():
            return final  # another process made it while we waited
        work = pathlib.Path(tempfile.mkdtemp(prefix="metadefs-", dir=root))
        try:
            db = work / METADEFS_TEMPLATE
            shutil.copyfile(base, db)
            conf = work / "glance-api.conf"
            conf.write_text(
                "[DEFAULT]\nuse_stderr = true\n[database]\nconnection = sqlite:///%s\n" % db
            )
            _run(
                [
                    str(bin_path("glance-manage", root)),
                    "--config-file",
                    str(conf),
                    "db",
                    "load_metadefs",
                    "--path",
                    str(root / "etc" / "glance" / "metadefs"),
                ],
                root.parent / (root.name + "-metadefs.log"),
                cwd=work,
            )
            os.rename(db, final)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return final


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m glanceclient.tests.functional.servers_venv",
        description="Build (or check) the virtualenv holding the real "
        "Glance and Keystone servers used by the functional "
        "tests. Location: $%s or %s." % (ENV_VAR, DEFAULT_DIR),
    )
    parser.add_argument("--rebuild", action="store_true", help="wipe and rebuild even if complete")
    parser.add_argument(
        "--check", action="store_true", help="only say whether it is complete (exit 0/1)"
    )
    args = parser.parse_args(argv)
    if args.check:
        ok = is_complete()
        print("%s: %s" % (venv_dir(), "complete" if ok else "missing"))
        return 0 if ok else 1
    try:
        root = ensure(rebuild=args.rebuild)
    except ServersVenvError as e:
        sys.stderr.write("%s\n" % e)
        return 1
    print(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
