"""End to end: deploy, canary and rolling rollbacks, gate and bad input, on local hosts."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from deploy.helpers import (
    audit_actions,
    current_release,
    deployments,
    free_port,
    host_outcomes,
    host_root,
    served_version,
    service_pid,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from deploy.helpers import CliRun

pytestmark = pytest.mark.slow
# These tests are about deploy mechanics; the gate itself is exercised in tests/release.
SKIP_GATE = ("--skip-gate", "--reason", "deploy mechanics under test")
DEPLOY = ("deploy", "--service", "shipment-tracking", "--env", "staging", *SKIP_GATE)
HOSTS = ("stg-track-1", "stg-track-2")


def test_deploy_v1_to_two_local_hosts_serves_v1(
    program: Path, cli: Callable[..., CliRun], staging_ports: tuple[int, int]
) -> None:
    service_file = program / "services" / "shipment-tracking.yaml"
    checks = (
        "checks:\n"
        '  - kind: file\n    path: "{current}/config.json"\n    contains: \'"fault": "none"\'\n'
        '  - kind: process\n    command: "server.py --port {port}"\n'
    )
    service_file.write_text(service_file.read_text().replace("checks:\n", checks, 1))
    result = cli(
        *DEPLOY, "--version", "v1", "--strategy", "rolling", "--batch", "2", "--format", "json",
        "--change", "CHG-2026-0001",
    )  # fmt: skip
    assert result.code == 0, result.output
    checked = {check["check"].split()[0] for check in json.loads(result.stdout)["checks"]}
    assert checked == {"health", "version", "listening", "file", "process"}
    assert [served_version(port) for port in staging_ports] == ["v1", "v1"]
    for host in HOSTS:
        assert current_release(program, host)["version"] == "v1"
    (deployment,) = deployments(program)
    assert (deployment.result, deployment.version, deployment.strategy) == (
        "succeeded",
        "v1",
        "rolling",
    )
    assert deployment.change_id == "CHG-2026-0001"
    assert host_outcomes(program, deployment.id) == dict.fromkeys(HOSTS, "succeeded")
    assert {"deploy.started", "deploy.finished"} <= set(audit_actions(program))
    metrics = (program / ".rcim" / "metrics" / "deployments.prom").read_text()
    expected = (
        'rcim_deployments_total{service="shipment-tracking",env="staging",result="succeeded"} 1'
    )
    assert expected in metrics


def test_broken_canary_is_rolled_back_and_no_other_host_is_touched(
    program: Path, cli: Callable[..., CliRun], staging_ports: tuple[int, int]
) -> None:
    assert cli(*DEPLOY, "--version", "v1").code == 0
    untouched_pid = service_pid(program, "stg-track-2")
    untouched_mtime = (host_root(program, "stg-track-2") / "releases").stat().st_mtime_ns
    result = cli(*DEPLOY, "--version", "v2", "--strategy", "canary", "--set", "fault=unhealthy")
    assert result.code == 1, result.output
    assert "rolled_back" in result.stdout
    assert [served_version(port) for port in staging_ports] == ["v1", "v1"]
    assert service_pid(program, "stg-track-2") == untouched_pid
    assert (host_root(program, "stg-track-2") / "releases").stat().st_mtime_ns == untouched_mtime
    broken = deployments(program)[-1]
    assert (broken.version, broken.result) == ("v2", "rolled_back")
    assert host_outcomes(program, broken.id) == {
        "stg-track-1": "rolled_back",
        "stg-track-2": "untouched",
    }


def test_rolling_failure_in_second_batch_returns_every_changed_host(
    program: Path, cli: Callable[..., CliRun], staging_ports: tuple[int, int]
) -> None:
    assert cli(*DEPLOY, "--version", "v1", "--strategy", "rolling").code == 0
    result = cli(
        *DEPLOY,
        "--version",
        "v2",
        "--strategy",
        "rolling",
        "--batch",
        "1",
        "--set",
        "fault=unhealthy",
        "--set",
        "fault_hosts=stg-track-2",
    )
    assert result.code == 1, result.output
    assert [served_version(port) for port in staging_ports] == ["v1", "v1"]
    broken = deployments(program)[-1]
    assert broken.result == "rolled_back"
    assert host_outcomes(program, broken.id) == dict.fromkeys(HOSTS, "rolled_back")


def test_errors_fault_is_healthy_but_fails_tracking(
    program: Path, cli: Callable[..., CliRun], staging_ports: tuple[int, int]
) -> None:
    import urllib.error
    import urllib.request

    result = cli(
        *DEPLOY, "--version", "v3", "--skip-gate", "--reason", "demo", "--set", "fault=errors"
    )
    assert result.code == 0, result.output
    assert "release gate skipped" in result.stderr
    with pytest.raises(urllib.error.HTTPError) as failure:
        urllib.request.urlopen(f"http://127.0.0.1:{staging_ports[0]}/track/ABC-1", timeout=5)
    assert failure.value.code == 500
    assert "deploy.gate.skipped" in audit_actions(program)


def test_rollback_to_previous_then_named_version_and_verify(
    program: Path, cli: Callable[..., CliRun], staging_ports: tuple[int, int]
) -> None:
    assert cli(*DEPLOY, "--version", "v1", "--batch", "2").code == 0
    assert cli(*DEPLOY, "--version", "v2", "--batch", "2").code == 0
    back = cli("rollback", "--service", "shipment-tracking", "--env", "staging")
    assert back.code == 0, back.output
    assert [served_version(port) for port in staging_ports] == ["v1", "v1"]
    assert deployments(program)[-1].result == "rolled_back"  # v2 became a failed change
    forward = cli("rollback", "--service", "shipment-tracking", "--env", "staging", "--to", "v2")
    assert forward.code == 0, forward.output
    assert [served_version(port) for port in staging_ports] == ["v2", "v2"]
    verified = cli("verify", "--service", "shipment-tracking", "--env", "staging")
    assert verified.code == 0, verified.output
    status = cli("status", "--service", "shipment-tracking", "--format", "json")
    assert status.code == 0, status.output
    assert '"version": "v2"' in status.stdout


def test_verify_fails_when_a_host_is_down(program: Path, cli: Callable[..., CliRun]) -> None:
    from deploy.helpers import stop_all_hosts

    assert cli(*DEPLOY, "--version", "v1", "--batch", "2").code == 0
    stop_all_hosts(program)
    result = cli("verify", "--service", "shipment-tracking", "--env", "staging")
    assert result.code == 1
    assert "FAIL" in result.stdout


def test_denied_gate_stops_the_deploy_before_any_host(
    program: Path, cli: Callable[..., CliRun]
) -> None:
    gated = tuple(arg for arg in DEPLOY if arg not in SKIP_GATE)
    result = cli(*gated, "--version", "v1")
    assert result.code == 1
    assert "denied commit" in result.stderr
    assert "change_record" in result.stderr  # the example's first commit names no change
    assert not (program / ".rcim" / "hosts").exists()
    assert deployments(program) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--service", "nope", "--env", "staging", "--version", "v1"), "unknown service 'nope'"),
        (
            ("--service", "shipment-tracking", "--env", "qa", "--version", "v1"),
            "unknown environment 'qa'",
        ),
        (
            ("--service", "shipment-tracking", "--env", "staging", "--version", "../x"),
            "not a valid version",
        ),
        (
            (
                "--service",
                "shipment-tracking",
                "--env",
                "staging",
                "--version",
                "v1",
                "--commit",
                "f00",
            ),
            "--commit",
        ),
        (
            (
                "--service",
                "shipment-tracking",
                "--env",
                "staging",
                "--version",
                "v1",
                "--skip-gate",
            ),
            "--reason",
        ),
        (
            ("--service", "shipment-tracking", "--env", "staging", "--version", "v1", "--set", "x"),
            "key=value",
        ),
    ],
    ids=["service", "env", "version", "commit", "skip-gate", "set"],
)
def test_bad_input_exits_2_and_changes_nothing(
    program: Path, cli: Callable[..., CliRun], args: tuple[str, ...], message: str
) -> None:
    result = cli("deploy", *args)
    assert result.code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not (program / ".rcim" / "hosts").exists()


def test_rollback_to_unknown_version_exits_2(program: Path, cli: Callable[..., CliRun]) -> None:
    assert cli(*DEPLOY, "--version", "v1", "--batch", "2").code == 0
    result = cli("rollback", "--service", "shipment-tracking", "--env", "staging", "--to", "v9")
    assert result.code == 2
    assert "release 'v9' is not on host stg-track-1" in result.stderr
    assert current_release(program, "stg-track-1")["version"] == "v1"


def test_unreachable_ssh_host_exits_1_and_changes_nothing(
    program: Path, cli: Callable[..., CliRun]
) -> None:
    service_file = program / "services" / "shipment-tracking.yaml"
    unreachable = (
        f"    - {{connector: ssh, name: gone-1, address: 127.0.0.1, port: {free_port()}, "
        f"ssh_user: root, ssh_port: {free_port()}}}\n"
    )
    text = service_file.read_text().replace("  production:\n", unreachable + "  production:\n")
    service_file.write_text(text)
    result = cli(*DEPLOY, "--version", "v1", "--skip-gate", "--reason", "test")
    assert result.code == 1, result.output
    assert "cannot reach host(s), nothing was changed" in result.stderr
    assert "gone-1" in result.stderr
    assert deployments(program) == []
    assert not (program / ".rcim" / "hosts").exists()
