"""Finding and reading one runbook by its ID (``<kind>/<name>``, its path under runbooks/)."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from rcim.errors import ConfigError, NotFoundError
from rcim.runbooks.checks import HostTarget
from rcim.runbooks.markdown import read_runbook_text
from rcim.runbooks.sections import production_env

if TYPE_CHECKING:
    from pathlib import Path

    from rcim.program.loader import Program
    from rcim.program.service import Service
    from rcim.runbooks.model import Runbook


def load_runbook(directory: Path, runbook_id: str) -> Runbook:
    """The runbook ``runbook_id``; unknown IDs and malformed files are errors (exit 2)."""
    path = directory / f"{runbook_id.removesuffix('.md')}.md"
    if ".." in runbook_id.split("/") or not path.is_file():
        raise NotFoundError(f"unknown runbook '{runbook_id}'{_suggestion(directory, runbook_id)}")
    parsed = read_runbook_text(path.read_text(encoding="utf-8"), str(path))
    if parsed.runbook is None:
        raise ConfigError(parsed.problems)
    return parsed.runbook


def service_hosts(program: Program, service: Service | None) -> tuple[HostTarget, ...]:
    """The production hosts as testinfra connection specs."""
    if service is None:
        return ()
    targets = []
    for host in service.hosts.get(production_env(program), ()):
        if host.connector == "local":
            targets.append(HostTarget(host.name, "local://"))
        else:
            spec = f"ssh://{host.ssh_user}@{host.address}:{host.ssh_port}"
            if host.ssh_key_file:
                spec += f"?ssh_identity_file={host.ssh_key_file}"
            targets.append(HostTarget(host.name, spec))
    return tuple(targets)


def _suggestion(directory: Path, runbook_id: str) -> str:
    known = [p.relative_to(directory).as_posix()[:-3] for p in directory.rglob("*.md")]
    close = difflib.get_close_matches(runbook_id, known, n=1)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f" (no such file under {directory})"
