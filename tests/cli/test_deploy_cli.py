"""The deploy command group's CLI surface: help, status formats, usage errors."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from deploy.helpers import run_cli, write_service

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize("command", ["deploy", "rollback", "verify", "status"])
def test_every_deploy_command_has_help(abc_program: Path, command: str) -> None:
    result = run_cli(abc_program, command, "--help")
    assert result.code == 0, result.output
    assert "Usage:" in result.stdout


def test_status_json_before_any_deployment(abc_program: Path) -> None:
    write_service(abc_program, ports=(18991, 18992))
    result = run_cli(abc_program, "status", "--format", "json")
    assert result.code == 0, result.output
    report = json.loads(result.stdout)
    assert [(r["service"], r["env"]) for r in report] == [
        ("shipment-tracking", "staging"),
        ("shipment-tracking", "production"),
    ]
    assert report[0]["last_deployment"] is None
    assert report[0]["lock_holder"] is None
    assert {h["host"]: h["version"] for h in report[0]["hosts"]} == {
        "stg-track-1": None,
        "stg-track-2": None,
    }


def test_status_text_names_hosts_and_lock(abc_program: Path) -> None:
    write_service(abc_program, ports=(18993, 18994))
    result = run_cli(abc_program, "status", "--service", "shipment-tracking")
    assert result.code == 0, result.output
    assert "stg-track-1" in result.stdout
    assert "lock: free" in result.stdout


def test_service_without_deploy_section_is_bad_input(abc_program: Path) -> None:
    result = run_cli(abc_program, "verify", "--service", "booking-web", "--env", "staging")
    assert result.code == 2
    assert "has no deploy: section" in result.stderr


def test_status_of_unknown_service_exits_2(abc_program: Path) -> None:
    result = run_cli(abc_program, "status", "--service", "nope")
    assert result.code == 2
    assert "unknown service 'nope'" in result.stderr
