"""Helpers of the deployment tests: the CLI, the test program, gate decisions, and reading
what a deployment left behind (host directories, served versions, store rows).

The deploy commands are registered on the CLI in the subprocess when ``cli/main.py`` does not
register them yet, so these tests run the real ``rcim`` entry point either way.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from rcim.store import open_store
from rcim.store.schema import AuditLogRow, DeploymentHostRow, DeploymentRow

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class CliRun:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


SERVICE = "shipment-tracking"
DEPLOY_BLOCK = """
deploy:
  source: apps/shipment-tracking
  command: "{python} server.py --port {port} --config {config}"
  config:
    fault: none
  strategy: canary
  batch: 1
  keep_releases: 3
"""
CLI = "from rcim.cli.main import run; run()"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_cli(
    program: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 180
) -> CliRun:
    full_env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **(env or {})}
    full_env.pop("RCIM_DB", None)
    proc = subprocess.run(
        [sys.executable, "-c", CLI, "--program", str(program), *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return CliRun(proc.returncode, proc.stdout, proc.stderr)


def popen_cli(
    program: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    full_env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-c", CLI, "--program", str(program), *args],
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def write_service(program: Path, *, ports: tuple[int, int], extra: str = "") -> None:
    """The ABC service with the deploy block, free staging ports and a short health timeout."""
    path = program / "services" / f"{SERVICE}.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("port: 18101", f"port: {ports[0]}").replace(
        "port: 18102", f"port: {ports[1]}"
    )
    text = text.replace("timeout_seconds: 10", "timeout_seconds: 3")
    if "\ndeploy:" not in text:  # the example ships the block; older copies may not
        text += DEPLOY_BLOCK
    path.write_text(text + extra, encoding="utf-8")


def head_commit(program: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=program, capture_output=True, text=True, check=True
    ).stdout.strip()


def stop_all_hosts(program: Path) -> None:
    """Kill every supervisor (and its service) started under the program's hosts."""
    for pid_file in (program / ".rcim" / "hosts").glob("*/*/run/supervisor.pid"):
        with contextlib.suppress(ValueError, OSError):
            os.killpg(int(pid_file.read_text().strip()), signal.SIGKILL)
    for pid_file in (program / ".rcim" / "hosts").glob("*/*/run/service.pid"):
        with contextlib.suppress(ValueError, OSError):
            os.kill(int(pid_file.read_text().strip()), signal.SIGKILL)


def host_root(program: Path, host: str, env: str = "staging") -> Path:
    return program / ".rcim" / "hosts" / env / host


def current_release(program: Path, host: str, env: str = "staging") -> dict[str, object]:
    """The descriptor of the release ``current`` resolves to; fails if it is incomplete."""
    current = host_root(program, host, env) / "current"
    target = current.resolve(strict=True)
    assert (target / "server.py").is_file(), f"{target} is missing the code"
    assert (target / "config.json").is_file(), f"{target} is missing its configuration"
    data: dict[str, object] = json.loads((target / "rcim-release.json").read_text())
    return data


def served_version(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/version", timeout=5) as response:
        return str(json.load(response)["version"])


def service_pid(program: Path, host: str, env: str = "staging") -> int:
    return int((host_root(program, host, env) / "run" / "service.pid").read_text().strip())


def deployments(program: Path) -> list[DeploymentRow]:
    with (
        open_store(f"sqlite:///{program / '.rcim' / 'rcim.db'}") as store,
        store.transaction() as s,
    ):
        return list(
            s.scalars(select(DeploymentRow).order_by(DeploymentRow.started_at, DeploymentRow.id))
        )


def host_outcomes(program: Path, deployment_id: str) -> dict[str, str]:
    with (
        open_store(f"sqlite:///{program / '.rcim' / 'rcim.db'}") as store,
        store.transaction() as s,
    ):
        rows = s.scalars(
            select(DeploymentHostRow).where(DeploymentHostRow.deployment_id == deployment_id)
        )
        return {row.host: row.outcome for row in rows}


def audit_actions(program: Path) -> list[str]:
    with (
        open_store(f"sqlite:///{program / '.rcim' / 'rcim.db'}") as store,
        store.transaction() as s,
    ):
        return list(s.scalars(select(AuditLogRow.action).order_by(AuditLogRow.seq)))
