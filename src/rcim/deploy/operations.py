"""The pyinfra operations of a deployment, one function per phase, the same for every connector.

Host layout under a target's root::

    releases/<name>/              complete releases (code, config.json, rcim-release.json)
    releases/.incoming-<name>/    an upload in progress; removed by the next run if abandoned
    current -> releases/<name>    switched by renaming a new symlink over it (never missing)
    bin/procman.py                the process manager (see ``rcim.deploy.procman``)
    run/  logs/                   pid files, service log

Only the process manager differs between connectors: the pid-file supervisor, or a systemd
unit that runs the same supervisor in the foreground.
"""

from __future__ import annotations

import io
import json
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from pyinfra.api.operation import add_op
from pyinfra.operations import files, server

from rcim.deploy import procman
from rcim.deploy.model import HostState
from rcim.deploy.units import render_unit, unit_path

if TYPE_CHECKING:
    from pyinfra.api.host import Host
    from pyinfra.api.state import State

    from rcim.deploy.model import HostRelease, Target

PROCMAN_SOURCE = Path(procman.__file__)

# Reads a host's state without depending on anything rcim installed there.
PROBE = r"""
import json, os, sys
root = sys.argv[1]
def load(path):
    try:
        with open(path) as f: return json.load(f)
    except (OSError, ValueError): return None
def alive(path):
    try:
        pid = int(open(path).read().strip()); os.kill(pid, 0); return True
    except (OSError, ValueError): return False
rel = os.path.join(root, "releases")
found = os.listdir(rel) if os.path.isdir(rel) else []
names = sorted((n for n in found if not n.startswith(".")),
               key=lambda n: os.stat(os.path.join(rel, n)).st_mtime, reverse=True)
releases = [dict(load(os.path.join(rel, n, "rcim-release.json")) or {}, name=n) for n in names]
link = os.path.join(root, "current")
current = os.path.basename(os.readlink(link)) if os.path.islink(link) else None
running = None
run = os.path.join(root, "run")
if alive(os.path.join(run, "supervisor.pid")) and alive(os.path.join(run, "service.pid")):
    try: running = open(os.path.join(run, "service.release")).read().strip()
    except OSError: running = None
print(json.dumps({"current": current, "releases": releases, "running": running}))
"""


def probe_command(target: Target) -> str:
    return f"{shlex.quote(target.python)} -c {shlex.quote(PROBE)} {shlex.quote(target.root)}"


def parse_probe(output: str) -> tuple[HostState, str | None]:
    """The probe's JSON as a ``HostState`` and the release the service runs (if any)."""
    data = json.loads(output.strip().splitlines()[-1]) if output.strip() else {}
    releases = [r for r in data.get("releases", []) if isinstance(r, dict)]
    current = data.get("current")
    by_name = {str(r["name"]): r for r in releases}
    descriptor = by_name.get(current or "", {})
    state = HostState(
        current=current,
        current_version=descriptor.get("version"),
        current_previous=descriptor.get("previous"),
        releases=tuple((str(r["name"]), str(r.get("version", ""))) for r in releases),
        current_digest=descriptor.get("digest"),
    )
    return state, data.get("running")


def add_upload(state: State, host: Host, release: HostRelease) -> None:
    """Prepare the layout, clear abandoned uploads, and stage the release in ``.incoming-``."""
    target = release.target
    root = shlex.quote(target.root)
    add_op(
        state,
        server.shell,
        name="prepare host layout",
        commands=[
            f"mkdir -p {root}/releases {root}/run {root}/logs {root}/bin",
            f"rm -rf {root}/releases/.incoming-* {root}/.current.tmp-*",
        ],
        host=host,
    )
    add_op(
        state,
        files.put,
        name="install process manager",
        src=str(PROCMAN_SOURCE),
        dest=f"{target.root}/bin/procman.py",
        host=host,
    )
    if target.process_manager == "systemd":
        _add_unit(state, host, target)
    if not release.install:
        return
    _add_stage(state, host, release)


def _add_stage(state: State, host: Host, release: HostRelease) -> None:
    root = release.target.root
    staged = f"{root}/releases/.incoming-{release.name}"
    add_op(
        state,
        files.put,
        name="upload release",
        src=release.tarball,
        dest=f"{staged}.tar",
        force=True,
        host=host,
    )
    for filename, text in (("config.json", release.config_json), ("rcim-release.json", "")):
        add_op(
            state,
            files.put,
            name=f"render {filename}",
            src=io.StringIO(text or release.release_json),
            dest=f"{staged}.{filename}",
            force=True,
            host=host,
        )
    q = shlex.quote(staged)
    add_op(
        state,
        server.shell,
        name="unpack release",
        commands=[
            f"mkdir -p {q} && tar -xf {q}.tar -C {q} && rm -f {q}.tar",
            f"mv {q}.config.json {q}/config.json && mv {q}.rcim-release.json {q}/rcim-release.json",
        ],
        host=host,
    )


def add_switch(state: State, host: Host, release: HostRelease, keep: int | None) -> None:
    """Finish the upload by renaming it into place, then point ``current`` at it atomically."""
    root = shlex.quote(release.target.root)
    name = shlex.quote(release.name)
    commands = [
        f"cd {root}/releases && if [ -d .incoming-{name} ]; then "
        f"rm -rf -- {name} && mv -T .incoming-{name} {name}; fi",
        f"test -f {root}/releases/{name}/rcim-release.json",
        f"ln -sfn releases/{name} {root}/.current.tmp-$$ "
        f"&& mv -T {root}/.current.tmp-$$ {root}/current",
    ]
    if keep is not None:
        commands.append(_prune_command(release, keep))
    add_op(state, server.shell, name="switch current release", commands=commands, host=host)


def _prune_command(release: HostRelease, keep: int) -> str:
    """Remove all but the ``keep`` newest releases; the new and the previous one always stay."""
    protected = [release.name] + ([release.previous] if release.previous else [])
    skip = max(keep - len(protected), 0)
    excludes = " ".join(f"-e {shlex.quote(name)}" for name in protected)
    return (
        f"cd {shlex.quote(release.target.root)}/releases && ls -1t | grep -vxF {excludes} "
        f"| tail -n +{skip + 1} | xargs -r rm -rf --"
    )


def add_restart(state: State, host: Host, target: Target, timeout: float) -> None:
    """Restart the service of ``current`` and wait until its port accepts connections."""
    procman_cmd = f"{shlex.quote(target.python)} {shlex.quote(target.root)}/bin/procman.py"
    root = shlex.quote(target.root)
    if target.process_manager == "systemd":
        commands = [
            f"systemctl restart {shlex.quote(target.unit)}.service",
            f"{procman_cmd} wait {root} {timeout:.0f}",
        ]
    else:
        commands = [f"{procman_cmd} restart {root} {timeout:.0f}"]
    add_op(state, server.shell, name="restart service", commands=commands, host=host)


def add_stop(state: State, host: Host, target: Target) -> None:
    """Stop the service and remove ``current``: the host goes back to having no release."""
    root = shlex.quote(target.root)
    commands = [_stop_command(target), f"rm -f {root}/current"]
    add_op(state, server.shell, name="stop service", commands=commands, host=host)


def add_halt(state: State, host: Host, target: Target) -> None:
    """Stop the service but keep its release, so the next restart serves it again."""
    add_op(state, server.shell, name="halt service", commands=[_stop_command(target)], host=host)


def _stop_command(target: Target) -> str:
    if target.process_manager == "systemd":
        return f"systemctl stop {shlex.quote(target.unit)}.service"
    procman_cmd = f"{shlex.quote(target.python)} {shlex.quote(target.root)}/bin/procman.py"
    return f"{procman_cmd} stop {shlex.quote(target.root)}"


def _add_unit(state: State, host: Host, target: Target) -> None:
    add_op(
        state,
        files.put,
        name="install systemd unit",
        src=io.StringIO(render_unit(target)),
        dest=unit_path(target),
        host=host,
    )
    add_op(
        state, server.shell, name="reload systemd", commands=["systemctl daemon-reload"], host=host
    )
