"""Opening stores, migrations, transactions and column types, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from rcim.errors import InvalidInputError
from rcim.store import Store, append_audit, open_store
from rcim.store.migrate import alembic_config, current_revisions, head_revisions
from rcim.store.schema import (
    AuditLogRow,
    Base,
    ChangeRecordRow,
    ChangeTransitionRow,
    DeploymentRow,
)

if TYPE_CHECKING:
    from pathlib import Path

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
EXPECTED_TABLES = {
    "change_records",
    "change_transitions",
    "approvals",
    "stage_results",
    "gate_decisions",
    "deployments",
    "deployment_hosts",
    "deploy_locks",
    "incidents",
    "incident_events",
    "audit_log",
    "audit_head",
}


def _change(change_id: str = "CHG-2026-0042") -> ChangeRecordRow:
    return ChangeRecordRow(
        id=change_id,
        type="normal",
        title="Upgrade the tracking API",
        services=["tracking-api"],
        author="alice",
        state="draft",
        path=f"release/changes/{change_id}.yaml",
        created_at=T0,
        updated_at=T0,
        data={"risk": "medium"},
    )


def test_migration_creates_exactly_the_modelled_schema(store: Store) -> None:
    with store.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    assert tables == EXPECTED_TABLES | {"alembic_version"}
    assert set(Base.metadata.tables) == EXPECTED_TABLES
    assert diffs == []


def test_migrations_downgrade_to_nothing_and_upgrade_again(store: Store) -> None:
    with store.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
        assert set(inspect(connection).get_table_names()) == {"alembic_version"}
        command.upgrade(alembic_config(connection), "head")
        assert current_revisions(connection) == head_revisions()
        assert set(inspect(connection).get_table_names()) >= EXPECTED_TABLES


def test_a_store_from_a_newer_rcim_is_refused(store_url: str) -> None:
    with open_store(store_url) as store, store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(InvalidInputError, match="schema revision 9999 is newer than this rcim"):
        open_store(store_url)


def test_open_is_idempotent_and_fast_at_head(store_url: str) -> None:
    with open_store(store_url) as first, first.transaction() as session:
        session.add(_change())
    started = time.monotonic()
    with open_store(store_url) as second:
        elapsed = time.monotonic() - started
        with second.engine.connect() as connection:
            assert current_revisions(connection) == head_revisions()
        with second.transaction() as session:
            assert session.scalar(select(func.count()).select_from(ChangeRecordRow)) == 1
    assert elapsed < 2.0


def test_transaction_commits_on_success(store: Store) -> None:
    with store.transaction() as session:
        session.add(_change())
        append_audit(
            session, actor="alice", action="change.new", subject="CHG-2026-0042", payload={}, at=T0
        )
    with store.transaction() as session:
        assert session.get(ChangeRecordRow, "CHG-2026-0042") is not None
        assert session.scalar(select(func.count()).select_from(AuditLogRow)) == 1


def _write_then_fail(store: Store) -> None:
    with store.transaction() as session:
        session.add(_change())
        session.flush()
        append_audit(
            session, actor="alice", action="change.new", subject="CHG-2026-0042", payload={}, at=T0
        )
        raise RuntimeError("command failed")


def test_transaction_rolls_back_everything_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError, match="command failed"):
        _write_then_fail(store)
    with store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(ChangeRecordRow)) == 0
        assert session.scalar(select(func.count()).select_from(AuditLogRow)) == 0
    with store.transaction() as session:
        entry = append_audit(session, actor="bob", action="x", subject="y", payload={}, at=T0)
    assert entry.seq == 1


def test_times_come_back_as_the_same_utc_instant(store: Store) -> None:
    started = datetime(2026, 3, 2, 11, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    with store.transaction() as session:
        session.add(
            DeploymentRow(
                id="DEP-1",
                service="tracking-api",
                env="prod",
                version="1.2.3",
                commit_sha="a" * 40,
                change_id=None,
                strategy="canary",
                started_at=started,
                finished_at=None,
                result="running",
                source="rcim",
            )
        )
    with store.transaction() as session:
        row = session.get(DeploymentRow, "DEP-1")
        assert row is not None
        assert row.started_at == started
        assert row.started_at.tzinfo == UTC
        assert row.finished_at is None


def _store_naive_time(store: Store) -> None:
    with store.transaction() as session:
        change = _change()
        change.updated_at = datetime(2026, 1, 1)
        session.add(change)


def test_naive_times_are_refused(store: Store) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        _store_naive_time(store)
    with store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(ChangeRecordRow)) == 0


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(IntegrityError), store.transaction() as session:
        session.add(
            ChangeTransitionRow(
                change_id="CHG-2026-9999",
                from_state=None,
                to_state="draft",
                actor="alice",
                at=T0,
                comment=None,
            )
        )


def test_sqlite_store_creates_its_directory_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "program" / ".rcim" / "rcim.db"
    with open_store(f"sqlite:///{path}") as store:
        with store.engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA busy_timeout").scalar() == 30_000
        assert store.url_for_display == f"sqlite:///{path}"
    assert path.is_file()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("nosuchdb://host/db", "unsupported database 'nosuchdb'"),
        ("mysql+pymysql://u:pw@localhost/db", "unsupported database 'mysql'"),
        ("not a url at all", "not a database URL"),
        ("postgresql+psycopg2://rcim:topsecret@127.0.0.1:1/rcim", "psycopg2"),
        ("postgresql+psycopg://rcim:topsecret@127.0.0.1:1/rcim", "127.0.0.1"),
    ],
)
def test_unusable_urls_are_invalid_input_with_masked_password(url: str, expected: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        open_store(url)
    message = raised.value.message
    assert message.startswith("cannot open store ")
    assert expected in message
    assert "\n" not in message
    assert "topsecret" not in message
    assert "pw@" not in message


def test_a_file_that_is_not_a_database_is_invalid_input(tmp_path: Path) -> None:
    path = tmp_path / "rcim.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(InvalidInputError, match=r"cannot open store sqlite:///.*not a database"):
        open_store(f"sqlite:///{path}")


def test_a_directory_that_cannot_be_created_is_invalid_input(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InvalidInputError, match="cannot create"):
        open_store(f"sqlite:///{blocker / 'sub' / 'rcim.db'}")


@pytest.mark.postgres
def test_plain_postgresql_scheme_uses_psycopg(postgres_url: str) -> None:
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    with open_store(plain) as store:
        assert store.dialect == "postgresql"
        assert store.engine.dialect.driver == "psycopg"


def test_sqlite_stores_are_plain_sqlite_files(tmp_path: Path) -> None:
    path = tmp_path / "rcim.db"
    open_store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT seq, hash FROM audit_head").fetchall() == [(0, "0" * 64)]
