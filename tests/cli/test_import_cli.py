"""rcim import deployments|incidents through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

from conftest import Run

if TYPE_CHECKING:
    from pathlib import Path

RUNNER = "from rcim.cli.main import run; run()"
SHA_LINE = {
    "service": "booking-web",
    "env": "production",
    "version": "2.0.0",
    "started_at": "2026-03-02T10:00:00+01:00",
    "finished_at": "2026-03-02T10:10:00+01:00",
    "result": "succeeded",
}


def rcim(*args: str | Path) -> Run:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("RCIM_PROGRAM", None)
    env.pop("RCIM_DB", None)
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def head_commit(program: Path) -> str:
    return subprocess.run(
        ["git", "-C", str(program), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_import_twice_is_idempotent(abc_program: Path, tmp_path: Path) -> None:
    path = tmp_path / "deployments.jsonl"
    path.write_text(json.dumps({**SHA_LINE, "commit": head_commit(abc_program)}) + "\n")
    first = rcim("--program", abc_program, "import", "deployments", path, "-f", "json")
    assert first.code == 0, first.output
    assert json.loads(first.stdout)["imported"] == 1
    assert json.loads(first.stdout)["warnings"] == []
    second = rcim("--program", abc_program, "import", "deployments", path)
    assert second.code == 0, second.output
    assert "imported 0 deployments" in second.stdout
    assert "1 already in the store" in second.stdout


def test_unknown_commit_is_a_warning(abc_program: Path, tmp_path: Path) -> None:
    path = tmp_path / "deployments.jsonl"
    path.write_text(json.dumps({**SHA_LINE, "commit": "0" * 40}) + "\n")
    result = rcim("--program", abc_program, "import", "deployments", path)
    assert result.code == 0, result.output
    assert f"{path}:1: commit {'0' * 40} is not in the repository" in result.stderr


def test_malformed_file_exits_2_naming_each_line(abc_program: Path, tmp_path: Path) -> None:
    path = tmp_path / "incidents.jsonl"
    path.write_text(
        '{"id": "INC-1", "service": "booking-web", "priority": "P1",'
        ' "opened_at": "2026-03-02T10:00:00+01:00"}\n'
        "not json\n"
        '{"id": "INC-2", "service": "booking-web", "priority": "P9",'
        ' "opened_at": "2026-03-02T10:00:00+01:00"}\n'
    )
    result = rcim("--program", abc_program, "import", "incidents", path)
    assert result.code == 2, result.output
    assert f"{path}:2: not JSON" in result.stderr
    assert f"{path}:3: priority:" in result.stderr
    assert "Traceback" not in result.output
    audit = rcim("--program", abc_program, "audit", "verify", "-f", "json")
    assert json.loads(audit.stdout)["entries_checked"] == 0


def test_missing_file_exits_2(abc_program: Path, tmp_path: Path) -> None:
    result = rcim("--program", abc_program, "import", "deployments", tmp_path / "none.jsonl")
    assert result.code == 2, result.output
    assert "cannot read" in result.stderr
