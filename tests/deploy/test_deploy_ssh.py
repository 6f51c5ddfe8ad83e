"""The same deploy code over SSH, against a real OpenSSH server on 127.0.0.1.

systemd does not run in the test container, so the SSH hosts use the pid-file process
manager (``deploy.config.process_manager: pidfile``); the systemd unit is tested by
rendering it (tests/deploy/test_deploy_units.py).
"""

from __future__ import annotations

import contextlib
import os
import signal
from typing import TYPE_CHECKING

import pytest

from deploy.helpers import deployments, free_port, run_cli, served_version

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from fixtures.sshd import SshServer

pytestmark = pytest.mark.slow


@pytest.fixture
def ssh_program(
    program: Path, sshd_server: SshServer, tmp_path: Path
) -> Iterator[tuple[Path, list[int], Path]]:
    remote = tmp_path / "remote"
    ports = [free_port(), free_port()]
    service_file = program / "services" / "shipment-tracking.yaml"
    hosts = "".join(
        f"    - {{connector: ssh, name: ssh-track-{i}, address: 127.0.0.1, port: {port}, "
        f"ssh_user: {sshd_server.user}, ssh_port: {sshd_server.port}, "
        f"ssh_key_file: {sshd_server.key_file}}}\n"
        for i, port in enumerate(ports, start=1)
    )
    text = service_file.read_text()
    start = text.index("  staging:\n") + len("  staging:\n")
    end = text.index("  production:\n")
    text = text[:start] + hosts + text[end:]
    text = text.replace(
        "    fault: none\n",
        f"    fault: none\n    process_manager: pidfile\n    remote_root: {remote}/{{host}}\n",
    )
    service_file.write_text(text)
    try:
        yield program, ports, remote
    finally:
        for pid_file in remote.glob("*/run/supervisor.pid"):
            with contextlib.suppress(ValueError, OSError):
                os.killpg(int(pid_file.read_text().strip()), signal.SIGKILL)


def test_deploy_and_verify_over_ssh(ssh_program: tuple[Path, list[int], Path]) -> None:
    program, ports, remote = ssh_program
    result = run_cli(
        program, "deploy", "--service", "shipment-tracking", "--env", "staging", "--version", "v1",
        "--skip-gate", "--reason", "deploy mechanics under test",
    )  # fmt: skip
    assert result.code == 0, result.output
    assert [served_version(port) for port in ports] == ["v1", "v1"]
    assert (remote / "ssh-track-1" / "current").resolve().name.startswith("v1-")
    assert deployments(program)[-1].result == "succeeded"
    verified = run_cli(program, "verify", "--service", "shipment-tracking", "--env", "staging")
    assert verified.code == 0, verified.output
    assert "listening tcp://127.0.0.1" in verified.stdout
    broken = run_cli(
        program,
        "deploy",
        "--service",
        "shipment-tracking",
        "--env",
        "staging",
        "--version",
        "v2",
        "--set",
        "fault=unhealthy",
        "--skip-gate",
        "--reason",
        "deploy mechanics under test",
    )
    assert broken.code == 1, broken.output
    assert [served_version(port) for port in ports] == ["v1", "v1"]
    assert deployments(program)[-1].result == "rolled_back"
