"""Concurrent processes, each with its own connections: appends never fork the audit chain,
and first opens of a new store migrate it once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from rcim.store import append_audit, open_store, verify_audit
from rcim.store.migrate import current_revisions, head_revisions
from rcim.store.schema import AuditLogRow, ChangeRecordRow

WRITERS = 4
APPENDS_PER_WRITER = 10
TIMEOUT_S = 120
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _write(url: str, writer: int, start: threading.Barrier) -> list[int]:
    """Append entries as one CLI process would: its own store, one transaction per change."""
    seqs = []
    with open_store(url) as store:
        start.wait(timeout=TIMEOUT_S)
        for index in range(APPENDS_PER_WRITER):
            with store.transaction() as session:
                session.scalars(select(ChangeRecordRow)).all()
                entry = append_audit(
                    session,
                    actor=f"writer-{writer}",
                    action="stage.record",
                    subject=f"unit-{writer}-{index}",
                    payload={"writer": writer, "index": index},
                    at=T0 + timedelta(seconds=index),
                )
                seqs.append(entry.seq)
    return seqs


def test_concurrent_appends_form_one_valid_chain(store_url: str) -> None:
    open_store(store_url).close()
    start = threading.Barrier(WRITERS)
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        futures = [pool.submit(_write, store_url, writer, start) for writer in range(WRITERS)]
        seqs = [seq for future in futures for seq in future.result(timeout=TIMEOUT_S)]
    total = WRITERS * APPENDS_PER_WRITER
    assert sorted(seqs) == list(range(1, total + 1))
    with open_store(store_url) as store, store.transaction() as session:
        verification = verify_audit(session)
        stored = session.scalars(select(AuditLogRow.seq).order_by(AuditLogRow.seq)).all()
    assert verification.ok, verification.problem
    assert verification.entries_checked == total
    assert list(stored) == list(range(1, total + 1))


def _open_and_close(url: str, start: threading.Barrier) -> None:
    start.wait(timeout=TIMEOUT_S)
    open_store(url).close()


def test_concurrent_first_opens_migrate_once(store_url: str) -> None:
    start = threading.Barrier(WRITERS)
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        futures = [pool.submit(_open_and_close, store_url, start) for _ in range(WRITERS)]
        for future in futures:
            future.result(timeout=TIMEOUT_S)
    with open_store(store_url) as store, store.engine.connect() as connection:
        assert current_revisions(connection) == head_revisions()
