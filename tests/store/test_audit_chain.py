"""The chain rules on their own, for cases a database with a primary key cannot hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rcim.store.chain import ZERO_HASH, AuditVerification, StoredEntry, verify_entries

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _chain(count: int) -> list[StoredEntry]:
    entries: list[StoredEntry] = []
    for seq in range(1, count + 1):
        previous = entries[-1].hash if entries else ZERO_HASH
        draft = StoredEntry(
            seq=seq,
            at=T0 + timedelta(minutes=seq),
            actor="alice",
            action="change.transition",
            subject=f"CHG-2026-{seq:04d}",
            payload=f'{{"n":{seq}}}',
            prev_hash=previous,
            hash="",
        )
        entries.append(draft._replace(hash=draft.hash_as(seq)))
    return entries


def test_intact_chain_matching_the_head_is_ok() -> None:
    entries = _chain(3)
    result = verify_entries(entries, head_seq=3, head_hash=entries[-1].hash)
    assert result == AuditVerification(True, 3, None, None)


def test_duplicated_entry_is_named() -> None:
    entries = _chain(3)
    result = verify_entries(
        [entries[0], entries[1], entries[1], entries[2]], head_seq=3, head_hash=entries[-1].hash
    )
    assert (result.first_bad_seq, result.problem) == (
        2,
        "entry 2 comes after entry 2: duplicated or out of order",
    )


def test_altered_head_of_an_empty_log_is_reported() -> None:
    result = verify_entries([], head_seq=0, head_hash="a" * 64)
    assert (result.ok, result.first_bad_seq) == (False, None)
    assert result.problem == "the audit head was altered: it names an entry the log lacks"


def test_first_entry_must_start_from_the_zero_hash() -> None:
    entries = _chain(2)
    forged_first = entries[0]._replace(prev_hash="1" * 64)
    forged_first = forged_first._replace(hash=forged_first.hash_as(1))
    result = verify_entries([forged_first, entries[1]], head_seq=2, head_hash=entries[1].hash)
    assert (result.first_bad_seq, result.problem) == (
        1,
        "entry 1 does not start the chain: its prev_hash is not zero",
    )
