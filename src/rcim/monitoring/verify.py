"""Checking generated monitoring files with the real tools: promtool and amtool.

``verify_monitoring`` first plans every tool run (so a missing tool or file is reported before
anything runs), then runs them one by one and keeps each output for the report.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from rcim.errors import ConfigError, InvalidInputError, Problem, ToolMissingError
from rcim.monitoring.generate import ALERTMANAGER_FILE, ROUTES_TESTS_FILE, RULES_DIR, TESTS_DIR
from rcim.program.loader import read_only_model

TOOLS = {
    "promtool": "apt-get install prometheus",
    "amtool": "apt-get install prometheus-alertmanager",
}
TOOL_TIMEOUT_SECONDS = 600


class _RoutesTest(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    name: str
    labels: dict[str, str] = Field(min_length=1)
    receivers: tuple[str, ...] = Field(min_length=1)


class _RoutesTests(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    tests: tuple[_RoutesTest, ...] = ()


@dataclass(frozen=True)
class ToolRun:
    """One invocation of promtool or amtool and what it said."""

    check: str
    command: tuple[str, ...]
    ok: bool = False
    output: str = ""


@dataclass(frozen=True)
class VerifyReport:
    directory: str
    runs: tuple[ToolRun, ...]

    @property
    def ok(self) -> bool:
        return all(run.ok for run in self.runs)


def plan_checks(directory: Path) -> list[ToolRun]:
    """Every tool run that verifies ``directory``; raises for missing files or tools."""
    rules = _files(directory, RULES_DIR)
    tests = _files(directory, TESTS_DIR)
    config = directory / ALERTMANAGER_FILE
    if not config.is_file():
        raise InvalidInputError(f"{config}: file not found; run 'rcim monitoring generate'")
    for tool, hint in TOOLS.items():
        if shutil.which(tool) is None:
            raise ToolMissingError(tool, hint)
    runs = [ToolRun("rules syntax", ("promtool", "check", "rules", *rules))]
    # One promtool per test file, so that files run in parallel and failures name the file.
    runs.extend(
        ToolRun(f"rule tests: {Path(test).name}", ("promtool", "test", "rules", test))
        for test in tests
    )
    runs.append(ToolRun("alertmanager config", ("amtool", "check-config", str(config))))
    runs.extend(_route_checks(directory, config))
    return runs


def verify_monitoring(directory: Path) -> VerifyReport:
    """Run every check of ``directory`` (in parallel, one per core); report which passed."""
    checks = plan_checks(directory)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        runs = tuple(pool.map(_run, checks))
    return VerifyReport(str(directory), runs)


def _route_checks(directory: Path, config: Path) -> list[ToolRun]:
    path = directory / ROUTES_TESTS_FILE
    if not path.is_file():
        return []
    routes, _ = read_only_model(path, _RoutesTests)
    runs = []
    for test in routes.tests:
        labels = [f"{key}={value}" for key, value in test.labels.items()]
        command = (
            "amtool",
            "config",
            "routes",
            "test",
            f"--config.file={config}",
            f"--verify.receivers={','.join(test.receivers)}",
            *labels,
        )
        runs.append(ToolRun(f"route: {test.name}", command))
    return runs


def _files(directory: Path, folder: str) -> list[str]:
    found = sorted(str(p) for p in (directory / folder).glob("*.yml"))
    if not found:
        raise ConfigError(
            [
                Problem(
                    str(directory / folder),
                    None,
                    None,
                    "no *.yml files; run 'rcim monitoring generate'",
                )
            ]
        )
    return found


def _run(check: ToolRun) -> ToolRun:
    try:
        proc = subprocess.run(
            check.command,
            capture_output=True,
            text=True,
            timeout=TOOL_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return ToolRun(
            check.check, check.command, False, f"timed out after {TOOL_TIMEOUT_SECONDS}s"
        )
    output = (proc.stdout + proc.stderr).strip()
    return ToolRun(check.check, check.command, proc.returncode == 0, output)
