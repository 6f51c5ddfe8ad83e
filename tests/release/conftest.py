"""Fixtures for the gate, rules, linkage and notes: a real git repository built from the ABC
example, commits with trailers, and the real CLI (with the change, gate, release and stage
groups registered even before ``rcim.cli.main`` lists them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import select

from rcim.cli.context import default_db_url
from rcim.store import Store, open_store
from rcim.store.schema import DeploymentRow, IncidentRow

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class Run:
    """The outcome of one real ``rcim`` process."""

    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


_RUNNER = "from rcim.cli.main import run; run()"

GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def run_cli(*args: str | Path, env: dict[str, str] | None = None) -> Run:
    full_env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    full_env.pop("RCIM_PROGRAM", None)
    full_env.pop("RCIM_DB", None)
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-c", _RUNNER, *map(str, args)],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@dataclass
class Program:
    """A program repository under test and helpers to act on it as people would."""

    root: Path
    now: str = "2026-06-10T10:00:00+02:00"  # a Wednesday, no freeze

    def rcim(self, *args: str | Path, at: str | None = None) -> Run:
        return run_cli("--program", self.root, *args, env={"RCIM_NOW": at or self.now})

    def git(self, *args: str, email: str = "tomas.novak@abc-logistics.example") -> str:
        env = {
            **os.environ,
            **GIT_ENV,
            "GIT_AUTHOR_NAME": email.split("@")[0],
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": "ci",
            "GIT_COMMITTER_EMAIL": "ci@abc-logistics.example",
        }
        proc = subprocess.run(
            ["git", "-C", str(self.root), *args],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return proc.stdout.strip()

    def commit(self, path: str, text: str, message: str, **kwargs: str) -> str:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        self.git("add", "--", path, **kwargs)
        self.git("commit", "-q", "-m", message, **kwargs)
        return self.git("rev-parse", "HEAD")

    def head(self) -> str:
        return self.git("rev-parse", "HEAD")


def baseline_program(root: Path) -> Program:
    """The ABC example, whose first commit rcim init tags as the baseline (released before rcim)."""
    prog = Program(root)
    assert prog.git("tag", "--list", "rcim-baseline") == "rcim-baseline"
    return prog


@pytest.fixture
def program(abc_program: Path) -> Program:
    return baseline_program(abc_program)


WIDE_WINDOW = ("2026-01-01T00:00:00", "2027-12-31T00:00:00")
SERVICE = "shipment-tracking"


def store_of(prog: Program) -> Store:
    return open_store(default_db_url(prog.root))


def insert_deployment(prog: Program, env: str, commit: str, result: str = "succeeded") -> None:
    at = datetime(2026, 6, 10, 6, tzinfo=UTC)
    with store_of(prog) as store, store.transaction() as session:
        count = len(list(session.scalars(select(DeploymentRow.id))))
        session.add(
            DeploymentRow(
                id=f"dep-{count + 1}",
                service=SERVICE,
                env=env,
                version="v1",
                commit_sha=commit,
                change_id=None,
                strategy="rolling",
                started_at=at,
                finished_at=at,
                result=result,
                source="test",
            )
        )


def insert_incident(prog: Program, incident_id: str, priority: str) -> None:
    at = datetime(2026, 6, 10, 7, tzinfo=UTC)
    with store_of(prog) as store, store.transaction() as session:
        session.add(
            IncidentRow(
                id=incident_id,
                service=SERVICE,
                priority=priority,
                title="Tracking is down",
                state="open",
                impact=True,
                opened_at=at,
                acknowledged_at=None,
                mitigated_at=None,
                resolved_at=None,
                caused_by_change=None,
                caused_by_deployment=None,
            )
        )


def count_rows(prog: Program, row: type[Any]) -> int:
    with store_of(prog) as store, store.transaction() as session:
        return len(list(session.scalars(select(row))))


def new_change(
    prog: Program,
    *extra: str,
    change_type: str = "normal",
    author: str = "tomas",
    service: str = SERVICE,
    window: tuple[str, str] | None = WIDE_WINDOW,
) -> str:
    args = [
        "change",
        "new",
        "--service",
        service,
        "--type",
        change_type,
        "--as",
        author,
        "--title",
        f"Improve {service}",
        "--backout-plan",
        "Roll back to the previous release with rcim rollback.",
    ]
    if window:
        args += ["--window-start", window[0], "--window-end", window[1]]
    result = prog.rcim(*args, *extra)
    assert result.code == 0, result.output
    return result.stdout.strip()


def ok(result: Run) -> Run:
    assert result.code == 0, result.output
    return result


def ready_change(
    prog: Program, *, approvers: tuple[str, ...] = ("martin", "anna", "jana")
) -> tuple[str, str]:
    """A normal change with one code commit, assessed, approved at HEAD and scheduled."""
    change = new_change(prog)
    prog.git("add", "release/changes")
    prog.git("commit", "-q", "-m", f"Record {change}\n\nChange: {change}")
    sha = prog.commit(f"apps/{SERVICE}/speed.py", "FAST = True\n", f"Speed up\n\nChange: {change}")
    ok(prog.rcim("change", "submit", change, "--as", "tomas"))
    ok(prog.rcim("change", "risk", change, "--as", "martin"))
    for person in approvers:
        ok(prog.rcim("change", "approve", change, "--as", person))
    if approvers:
        ok(prog.rcim("change", "schedule", change, "--as", "martin"))
    return change, sha


def pass_stages(prog: Program, sha: str, *names: str) -> None:
    for name in names or ("unit", "integration", "acceptance"):
        ok(prog.rcim("stage", "record", name, "--commit", sha, "--status", "passed"))


def gate(prog: Program, env: str, *extra: str, at: str | None = None) -> tuple[Run, dict[str, Any]]:
    args = ["gate", "check", "--service", SERVICE, "--env", env, "--format", "json"]
    if at:
        args += ["--at", at]
    result = prog.rcim(*args, *extra)
    assert result.code in (0, 1), result.output
    return result, json.loads(result.stdout)


def statuses(decision: dict[str, Any]) -> dict[str, str]:
    return {rule["rule"]: rule["status"] for rule in decision["rules"]}


def reasons(decision: dict[str, Any]) -> dict[str, str]:
    return {rule["rule"]: rule["reason"] for rule in decision["rules"]}


@pytest.fixture
def released(program: Program) -> tuple[Program, str, str]:
    """Everything holds for production: change approved, stages passed, verified in staging."""
    change, sha = ready_change(program)
    pass_stages(program, sha)
    insert_deployment(program, "staging", sha)
    return program, change, sha
