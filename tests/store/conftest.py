"""Fixtures for store tests: an open store on each backend, and direct SQL for tampering."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import text

from rcim.store import AuditEntry, Store, append_audit, open_store

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def append_entries() -> Callable[..., list[AuditEntry]]:
    return _append_entries


@pytest.fixture
def run_sql() -> Callable[..., list[Any]]:
    return _run_sql


def _append_entries(store: Store, count: int, *, start: int = 0) -> list[AuditEntry]:
    """Append ``count`` entries, one transaction each, at one-minute intervals."""
    entries = []
    for index in range(start, start + count):
        with store.transaction() as session:
            entries.append(
                append_audit(
                    session,
                    actor="alice",
                    action="change.transition",
                    subject=f"CHG-2026-{index + 1:04d}",
                    payload={"to": "approved", "index": index, "note": "ünïcode ok"},
                    at=T0 + timedelta(minutes=index),
                )
            )
    return entries


def _run_sql(store: Store, sql: str, **params: Any) -> list[Any]:
    """Run SQL straight against the database, bypassing rcim, and return any rows."""
    with store.engine.begin() as connection:
        result = connection.execute(text(sql), params)
        return list(result) if result.returns_rows else []
