"""rcim stage record through the real CLI, on a git repository made from the ABC example."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import git
import pytest
from sqlalchemy import select

from conftest import Run
from rcim.store import iter_audit, open_store
from rcim.store.schema import StageResultRow

DATA = Path(__file__).parents[1] / "release" / "data" / "junit"
NOW = "2026-12-04T09:30:00+01:00"
# Adds the stage group when rcim.cli.main does not list it yet; a no-op once it does.
RUNNER = "from rcim.cli.main import run; run()"


def stage(program: Path, *args: str | Path) -> Run:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "RCIM_NOW": NOW}
    for name in ("RCIM_PROGRAM", "RCIM_DB"):
        env.pop(name, None)
    command = [sys.executable, "-c", RUNNER, "--program", str(program), "stage", "record"]
    proc = subprocess.run(
        [*command, *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def head(program: Path) -> str:
    repo = git.Repo(program)
    try:
        return str(repo.head.commit.hexsha)
    finally:
        repo.close()


def stored(program: Path) -> tuple[list[StageResultRow], int]:
    with (
        open_store(f"sqlite:///{program / '.rcim' / 'rcim.db'}") as store,
        store.transaction() as session,
    ):
        rows = list(session.execute(select(StageResultRow).order_by(StageResultRow.id)).scalars())
        return rows, len(list(iter_audit(session)))


def test_records_a_passing_stage_at_a_short_sha(abc_program: Path) -> None:
    sha = head(abc_program)
    result = stage(
        abc_program, "integration", "--commit", sha[:8], "--junit", DATA / "junit5-nested.xml"
    )
    assert result.code == 0, result.output
    assert result.stdout.strip() == (
        f"recorded stage integration at {sha[:12]}: passed - "
        "4 tests, 0 failures, 0 errors, 1 skipped, 2.5s"
    )
    rows, audit_entries = stored(abc_program)
    assert [(r.name, r.commit_sha, r.status, r.service) for r in rows] == [
        ("integration", sha, "passed", None)
    ]
    assert rows[0].source == f"junit: {DATA / 'junit5-nested.xml'}"
    assert audit_entries == 1


def test_failed_and_empty_runs_are_recorded_as_failed_with_exit_0(abc_program: Path) -> None:
    failing = stage(abc_program, "unit", "--commit", "HEAD", "--junit", DATA / "pytest-xunit2.xml")
    assert failing.code == 0, failing.output
    assert ": failed - 4 tests, 1 failures, 0 errors, 1 skipped" in failing.stdout
    empty = stage(abc_program, "unit", "--commit", "HEAD", "--junit", DATA / "all-skipped.xml")
    assert empty.code == 0, empty.output
    assert ": failed - no tests executed (2 tests, 2 skipped)" in empty.stdout
    rows, _ = stored(abc_program)
    assert [r.status for r in rows] == ["failed", "failed"]


def test_json_output_and_several_reports_after_one_flag(abc_program: Path) -> None:
    reports = sorted((DATA / "surefire").glob("TEST-*.xml"))
    result = stage(
        abc_program,
        "unit",
        "--commit",
        "HEAD",
        "--service",
        "booking-web",
        "--junit",
        *reports,
        "--format",
        "json",
    )
    assert result.code == 0, result.output
    record = json.loads(result.stdout)
    assert {
        key: record[key]
        for key in ("name", "commit", "service", "status", "tests", "failures", "skipped")
    } == {
        "name": "unit",
        "commit": head(abc_program),
        "service": "booking-web",
        "status": "failed",
        "tests": 7,
        "failures": 1,
        "skipped": 1,
    }
    assert record["recorded_at"] == "2026-12-04T08:30:00+00:00"
    assert record["duration_seconds"] == pytest.approx(1205.0)


def test_status_without_reports(abc_program: Path) -> None:
    result = stage(abc_program, "acceptance", "--commit", "HEAD", "--status", "passed", "-f", "md")
    assert result.code == 0, result.output
    assert result.stdout.startswith(
        f"**recorded stage acceptance at {head(abc_program)[:12]}: passed"
    )
    rows, _ = stored(abc_program)
    assert rows[0].source == "status: rcim stage record"


def test_stage_no_environment_requires_is_recorded_with_a_warning(abc_program: Path) -> None:
    result = stage(abc_program, "smoke", "--commit", "HEAD", "--status", "passed")
    assert result.code == 0, result.output
    assert "stage 'smoke' is not required by any environment" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--junit", DATA / "malformed.xml"],
            f"{DATA / 'malformed.xml'}:4:3: malformed XML: mismatched tag",
        ),
        (
            ["--junit", DATA / "billion-laughs.xml"],
            "billion-laughs.xml:2: DOCTYPE and ENTITY declarations",
        ),
        (["--junit", DATA / "not-junit.xml"], "not-junit.xml:2:1: not a JUnit XML report"),
        (
            ["--junit", DATA / "pytest-xunit2.xml", DATA / "empty.xml"],
            "empty.xml:1:1: malformed XML",
        ),
        (["--junit", DATA / "missing.xml"], "missing.xml: file not found"),
        ([], "give exactly one of --junit FILE... or --status passed|failed"),
        (["--junit", DATA / "no-tests.xml", "--status", "passed"], "give exactly one of"),
        ([DATA / "no-tests.xml", "--status", "passed"], "JUnit files follow --junit"),
        (["--status", "passed", "--service", "parcel-drones"], "unknown service 'parcel-drones'"),
        (["--status", "green"], "'green' is not one of"),
    ],
)
def test_bad_input_exits_2_and_stores_nothing(
    abc_program: Path, args: list[str | Path], message: str
) -> None:
    first = stage(abc_program, "unit", "--commit", "HEAD", "--status", "passed")
    assert first.code == 0, first.output
    result = stage(abc_program, "unit", "--commit", "HEAD", *args)
    assert result.code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    rows, audit_entries = stored(abc_program)
    assert (len(rows), audit_entries) == (1, 1)


@pytest.mark.parametrize(
    ("name", "commit", "message"),
    [
        ("unit", "no-such-branch", "'no-such-branch' does not name a commit"),
        ("unit", "0" * 40, "does not name a commit"),
        ("Unit Tests", "HEAD", "stage name 'Unit Tests' is not valid"),
    ],
)
def test_unknown_commits_and_bad_names_exit_2(
    abc_program: Path, name: str, commit: str, message: str
) -> None:
    result = stage(abc_program, name, "--commit", commit, "--status", "passed")
    assert result.code == 2, result.output
    assert message in result.stderr
    assert not (abc_program / ".rcim" / "rcim.db").exists()
