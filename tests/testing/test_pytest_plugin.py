"""`pytest --rcim-env staging` runs a team's testinfra tests once per host of the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path

TEAM_TESTS = """
def test_root_is_a_directory(rcim_host, rcim_target):
    assert rcim_host.file(rcim_target.root).is_directory


def test_port_is_in_the_service_range(rcim_target):
    assert 18100 < rcim_target.port < 18120
"""


def run_pytest(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "RCIM_PROGRAM"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:rcim",
            "-p",
            "rcim.testing.plugin",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            *args,
        ],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


@pytest.fixture
def team_tests(abc_program: Path, tmp_path: Path) -> Path:
    for host in ("stg-track-1", "stg-track-2"):
        (abc_program / ".rcim" / "hosts" / "staging" / host).mkdir(parents=True)
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "test_hosts.py").write_text(TEAM_TESTS)
    return folder


def test_tests_run_once_per_host_of_the_environment(team_tests: Path, abc_program: Path) -> None:
    result = run_pytest(
        team_tests, "--rcim-env", "staging", "--rcim-program", str(abc_program), "-v"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test_root_is_a_directory[shipment-tracking/stg-track-1] PASSED" in result.stdout
    assert "test_root_is_a_directory[shipment-tracking/stg-track-2] PASSED" in result.stdout
    assert "4 passed" in result.stdout


def test_missing_host_directory_fails_the_team_test(team_tests: Path, abc_program: Path) -> None:
    (abc_program / ".rcim" / "hosts" / "staging" / "stg-track-2").rmdir()
    result = run_pytest(team_tests, "--rcim-env", "staging", "--rcim-program", str(abc_program))
    assert result.returncode == 1
    assert "1 failed, 3 passed" in result.stdout


def test_without_rcim_env_the_tests_skip(team_tests: Path, abc_program: Path) -> None:
    result = run_pytest(team_tests, "--rcim-program", str(abc_program))
    assert result.returncode == 0, result.stdout
    assert "2 skipped" in result.stdout


def test_unknown_environment_is_a_usage_error(team_tests: Path, abc_program: Path) -> None:
    result = run_pytest(team_tests, "--rcim-env", "qa", "--rcim-program", str(abc_program))
    assert result.returncode == 2  # a collection error interrupts the session
    assert "unknown environment 'qa'" in result.stdout + result.stderr
