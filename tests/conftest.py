"""Shared fixtures; plugins under tests/fixtures/ are loaded here."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from rcim.program.scaffold import scaffold

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

pytest_plugins = ["fixtures.postgres", "fixtures.sshd"]

RCIM = [sys.executable, "-c", "from rcim.cli.main import run; run()"]


@dataclass(frozen=True)
class Run:
    """The outcome of one real ``rcim`` process."""

    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_rcim(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run the real CLI in a subprocess, as a user would."""
    full_env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **(env or {})}
    full_env.pop("RCIM_PROGRAM", None)
    full_env.pop("RCIM_DB", None)
    full_env.update(env or {})
    proc = subprocess.run(
        [*RCIM, *map(str, args)],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def rcim() -> Callable[..., Run]:
    return run_rcim


@pytest.fixture
def abc_program(tmp_path: Path) -> Path:
    """A fresh copy of the ABC Logistics example, as its own git repository."""
    return scaffold(tmp_path / "abc", "abc").root
