"""A deploy killed at any step leaves complete releases and the next run converges; two
concurrent deploys of one environment: exactly one proceeds."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from deploy.helpers import (
    audit_actions,
    current_release,
    deployments,
    host_root,
    popen_cli,
    served_version,
)
from rcim.store import open_store
from rcim.store.schema import DeployLockRow

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from deploy.helpers import CliRun

pytestmark = pytest.mark.slow
# These tests are about deploy mechanics; the gate itself is exercised in tests/release.
SKIP_GATE = ("--skip-gate", "--reason", "deploy mechanics under test")
DEPLOY = ("deploy", "--service", "shipment-tracking", "--env", "staging", *SKIP_GATE)
HOSTS = ("stg-track-1", "stg-track-2")


@pytest.mark.parametrize("point", ["after-upload", "after-switch", "after-restart", "after-verify"])
def test_killed_deploy_leaves_complete_releases_and_next_run_converges(
    program: Path, cli: Callable[..., CliRun], staging_ports: tuple[int, int], point: str
) -> None:
    assert cli(*DEPLOY, "--version", "v1", "--batch", "2").code == 0
    killed = cli(*DEPLOY, "--version", "v2", "--batch", "2", env={"RCIM_FAILPOINTS": point})
    assert killed.code == -9, killed.output
    for host in HOSTS:
        assert current_release(program, host)["version"] in ("v1", "v2")
    assert deployments(program)[-1].result == "running"
    again = cli(*DEPLOY, "--version", "v2", "--batch", "2")
    assert again.code == 0, again.output
    assert [served_version(port) for port in staging_ports] == ["v2", "v2"]
    for host in HOSTS:
        assert current_release(program, host)["version"] == "v2"
        leftovers = [p.name for p in (host_root(program, host) / "releases").iterdir()]
        assert not [name for name in leftovers if name.startswith(".")], leftovers
    interrupted = deployments(program)[-2]
    assert (interrupted.version, interrupted.result) == ("v2", "failed")
    assert "deploy.lock.takeover" in audit_actions(program)


def test_rollback_recovers_after_a_killed_deploy(
    program: Path, cli: Callable[..., CliRun], staging_ports: tuple[int, int]
) -> None:
    assert cli(*DEPLOY, "--version", "v1", "--batch", "2").code == 0
    killed = cli(
        *DEPLOY, "--version", "v2", "--batch", "2", env={"RCIM_FAILPOINTS": "after-switch"}
    )
    assert killed.code == -9
    back = cli("rollback", "--service", "shipment-tracking", "--env", "staging", "--to", "v1")
    assert back.code == 0, back.output
    assert [served_version(port) for port in staging_ports] == ["v1", "v1"]


def test_two_concurrent_deploys_exactly_one_proceeds(program: Path) -> None:
    procs = [popen_cli(program, *DEPLOY, "--version", "v1", "--batch", "2") for _ in range(2)]
    results = [(proc.wait(timeout=180), proc.communicate()) for proc in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 1], results
    refused = next(err for code, (_, err) in results if code == 1)
    assert "is being deployed by" in refused
    assert len(deployments(program)) == 1


def _hold_lock(program: Path, pid: int, expires_in: timedelta) -> None:
    now = datetime.now(UTC)
    with (
        open_store(f"sqlite:///{program / '.rcim' / 'rcim.db'}") as store,
        store.transaction() as session,
    ):
        session.add(
            DeployLockRow(
                service="shipment-tracking",
                env="staging",
                holder=f"alice@{socket.gethostname()}:{pid}",
                pid=pid,
                hostname=socket.gethostname(),
                acquired_at=now,
                expires_at=now + expires_in,
            )
        )


def test_live_lock_refuses_with_its_holder(program: Path, cli: Callable[..., CliRun]) -> None:
    _hold_lock(program, os.getpid(), timedelta(minutes=10))
    result = cli(*DEPLOY, "--version", "v1")
    assert result.code == 1
    assert f"alice@{socket.gethostname()}:{os.getpid()}" in result.stderr
    assert not (program / ".rcim" / "hosts").exists()


def test_expired_lock_is_taken_over(program: Path, cli: Callable[..., CliRun]) -> None:
    _hold_lock(program, os.getpid(), timedelta(minutes=-1))
    result = cli(*DEPLOY, "--version", "v1", "--batch", "2")
    assert result.code == 0, result.output
    assert "deploy.lock.takeover" in audit_actions(program)
