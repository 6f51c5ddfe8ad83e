"""rcim audit verify / export through the real CLI, against a store given with --db."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import text

from rcim.store import append_audit, open_store

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from conftest import Run

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
ENTRIES = 4


@pytest.fixture
def audited_db(tmp_path: Path) -> str:
    """A SQLite store, outside any program directory, holding a few audit entries."""
    url = f"sqlite:///{tmp_path / 'state' / 'rcim.db'}"
    with open_store(url) as store:
        for index in range(ENTRIES):
            with store.transaction() as session:
                append_audit(
                    session,
                    actor="eva",
                    action="change.transition",
                    subject=f"CHG-2026-{index + 1:04d}",
                    payload={"to": "approved", "index": index},
                    at=T0 + timedelta(minutes=index),
                )
    return url


def _tamper(url: str, sql: str) -> None:
    with open_store(url) as store, store.engine.begin() as connection:
        connection.execute(text(sql))


def test_verify_intact_log(audited_db: str, rcim: Callable[..., Run], tmp_path: Path) -> None:
    result = rcim("--db", audited_db, "audit", "verify", cwd=tmp_path)
    assert result.code == 0, result.output
    assert result.stdout.strip() == f"audit log intact: {ENTRIES} entries"


def test_verify_json_shape(audited_db: str, rcim: Callable[..., Run], tmp_path: Path) -> None:
    result = rcim("--db", audited_db, "audit", "verify", "--format", "json", cwd=tmp_path)
    assert result.code == 0, result.output
    assert json.loads(result.stdout) == {
        "ok": True,
        "entries_checked": ENTRIES,
        "first_bad_seq": None,
        "problem": None,
    }
    global_format = rcim("--format", "json", "--db", audited_db, "audit", "verify", cwd=tmp_path)
    assert global_format.stdout == result.stdout


def test_verify_names_the_tampered_entry(
    audited_db: str, rcim: Callable[..., Run], tmp_path: Path
) -> None:
    _tamper(audited_db, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
    result = rcim("--db", audited_db, "audit", "verify", cwd=tmp_path)
    assert result.code == 1, result.output
    assert result.stdout.strip() == (
        "audit log broken at entry 2: entry 2 was altered: its content does not match its hash"
    )
    as_json = rcim("--db", audited_db, "audit", "verify", "-f", "json", cwd=tmp_path)
    assert as_json.code == 1
    report = json.loads(as_json.stdout)
    assert (report["ok"], report["first_bad_seq"], report["entries_checked"]) == (False, 2, 2)
    assert "altered" in report["problem"]


def test_verify_names_a_deleted_entry(
    audited_db: str, rcim: Callable[..., Run], tmp_path: Path
) -> None:
    _tamper(audited_db, f"DELETE FROM audit_log WHERE seq = {ENTRIES}")
    result = rcim("--db", audited_db, "audit", "verify", "--format", "json", cwd=tmp_path)
    assert result.code == 1
    assert json.loads(result.stdout)["first_bad_seq"] == ENTRIES


def test_export_to_stdout_is_json_lines(
    audited_db: str, rcim: Callable[..., Run], tmp_path: Path
) -> None:
    result = rcim("--db", audited_db, "audit", "export", cwd=tmp_path)
    assert result.code == 0, result.output
    entries = [json.loads(line) for line in result.stdout.splitlines()]
    assert [entry["seq"] for entry in entries] == list(range(1, ENTRIES + 1))
    assert entries[0]["at"] == "2026-03-02T09:30:00.000000+00:00"
    assert entries[0]["payload"] == {"to": "approved", "index": 0}
    assert entries[1]["prev_hash"] == entries[0]["hash"]


def test_export_to_file(audited_db: str, rcim: Callable[..., Run], tmp_path: Path) -> None:
    target = tmp_path / "audit.jsonl"
    result = rcim("--db", audited_db, "audit", "export", "--output", target, cwd=tmp_path)
    assert result.code == 0, result.output
    assert f"exported {ENTRIES} audit entries" in result.stdout
    lines = target.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["seq"] for line in lines] == list(range(1, ENTRIES + 1))


def test_unopenable_store_is_one_line_exit_2(rcim: Callable[..., Run], tmp_path: Path) -> None:
    url = "postgresql+psycopg://rcim:hunter2@127.0.0.1:1/rcim"
    result = rcim("--db", url, "audit", "verify", cwd=tmp_path)
    assert result.code == 2
    assert "cannot open store postgresql+psycopg://rcim:***@127.0.0.1:1/rcim" in result.stderr
    assert "hunter2" not in result.output
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.postgres
def test_verify_on_postgresql(postgres_url: str, rcim: Callable[..., Run], tmp_path: Path) -> None:
    with open_store(postgres_url) as store, store.transaction() as session:
        append_audit(session, actor="eva", action="a", subject="s", payload={}, at=T0)
    result = rcim("--db", postgres_url, "audit", "verify", cwd=tmp_path)
    assert result.code == 0, result.output
    assert result.stdout.strip() == "audit log intact: 1 entry"
