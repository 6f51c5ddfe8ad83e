"""The hash-chained audit log: appends, export, and tampering found by verification.

Tampering is done the way an attacker with database access would do it: plain SQL that
bypasses rcim, on both SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from rcim.store import (
    AuditVerification,
    Store,
    append_audit,
    export_audit,
    open_store,
    verify_audit,
)
from rcim.store.chain import ZERO_HASH, canonical_json, entry_hash

ENTRIES = 5
FORGED_AT = datetime(2026, 3, 3, tzinfo=UTC)


def _verify(store: Store) -> AuditVerification:
    with store.transaction() as session:
        return verify_audit(session)


def _row(store: Store, run_sql, seq: int) -> dict[str, Any]:
    rows = run_sql(store, "SELECT * FROM audit_log WHERE seq = :seq", seq=seq)
    return dict(rows[0]._mapping)


def _insert_forged(store: Store, run_sql, *, seq: int, prev_hash: str, valid: bool) -> None:
    """Insert an entry as a forger would: with a correct hash if ``valid``, else a made-up one."""
    payload = canonical_json({"to": "approved", "forged": True})
    digest = entry_hash(
        seq=seq,
        at=FORGED_AT,
        actor="mallory",
        action="change.approve",
        subject="CHG-2026-0666",
        payload_json=payload,
        prev_hash=prev_hash,
    )
    run_sql(
        store,
        "INSERT INTO audit_log (seq, at, actor, action, subject, payload, prev_hash, hash) "
        "VALUES (:seq, :at, 'mallory', 'change.approve', 'CHG-2026-0666', :payload, :prev, :hash)",
        seq=seq,
        at=FORGED_AT,
        payload=payload,
        prev=prev_hash,
        hash=digest if valid else "f" * 64,
    )


def _renumber_from(store: Store, run_sql, first: int, shift: int) -> None:
    """Move entries ``first``.. by ``shift`` seqs (in two steps, so no key collides)."""
    run_sql(
        store,
        "UPDATE audit_log SET seq = -(seq + :shift) WHERE seq >= :first",
        shift=shift,
        first=first,
    )
    run_sql(store, "UPDATE audit_log SET seq = -seq WHERE seq < 0")


def test_appends_build_a_chain_that_verifies(store: Store, append_entries) -> None:
    entries = append_entries(store, ENTRIES)
    assert [entry.seq for entry in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == ZERO_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert _verify(store) == AuditVerification(True, ENTRIES, None, None)


def test_an_empty_log_verifies(store: Store) -> None:
    assert _verify(store) == AuditVerification(True, 0, None, None)


def test_hash_is_sha256_of_the_documented_canonical_json() -> None:
    at = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
    document = (
        '{"action":"change.transition","actor":"alice","at":"2026-03-02T10:30:00.000000+00:00",'
        '"payload":"{\\"to\\":\\"approved\\"}","prev_hash":"' + ZERO_HASH + '","seq":1,'
        '"subject":"CHG-2026-0001"}'
    )
    expected = hashlib.sha256(document.encode()).hexdigest()
    assert (
        entry_hash(
            seq=1,
            at=at,
            actor="alice",
            action="change.transition",
            subject="CHG-2026-0001",
            payload_json='{"to":"approved"}',
            prev_hash=ZERO_HASH,
        )
        == expected
    )


def test_entries_are_stored_as_canonical_json(store: Store, append_entries, run_sql) -> None:
    append_entries(store, 1)
    payload = _row(store, run_sql, 1)["payload"]
    assert payload == '{"index":0,"note":"ünïcode ok","to":"approved"}'


def test_a_rolled_back_append_leaves_no_trace(store: Store, append_entries) -> None:
    append_entries(store, 2)
    with pytest.raises(RuntimeError), store.transaction() as session:
        _append_and_fail(session)
    after = append_entries(store, 1, start=2)
    assert after[0].seq == 3
    assert _verify(store).ok


def _append_and_fail(session: Any) -> None:
    append_audit(session, actor="a", action="b", subject="c", payload={}, at=FORGED_AT)
    raise RuntimeError("the audited change failed")


def test_naive_time_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="timezone-aware"), store.transaction() as session:
        append_audit(session, actor="a", action="b", subject="c", payload={},
                     at=datetime(2026, 1, 1))  # fmt: skip


def test_export_writes_json_lines_that_an_outsider_can_verify(store: Store, append_entries) -> None:
    append_entries(store, 3)
    stream = io.StringIO()
    with store.transaction() as session:
        assert export_audit(session, stream) == 3
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["seq"] for line in lines] == [1, 2, 3]
    assert set(lines[0]) == {
        "seq", "at", "actor", "action", "subject", "payload", "prev_hash", "hash"
    }  # fmt: skip
    assert lines[0]["at"] == "2026-03-02T09:30:00.000000+00:00"
    assert lines[0]["payload"] == {"to": "approved", "index": 0, "note": "ünïcode ok"}
    previous = ZERO_HASH
    for line in lines:
        document = {**line, "payload": canonical_json(line["payload"])}
        del document["hash"]
        recomputed = hashlib.sha256(canonical_json(document).encode()).hexdigest()
        assert (line["prev_hash"], line["hash"]) == (previous, recomputed)
        previous = line["hash"]


def test_altered_payload_is_named(store: Store, append_entries, run_sql) -> None:
    append_entries(store, ENTRIES)
    run_sql(store, """UPDATE audit_log SET payload = '{"to":"rejected"}' WHERE seq = 3""")
    result = _verify(store)
    assert (result.ok, result.first_bad_seq, result.entries_checked) == (False, 3, 3)
    assert result.problem == "entry 3 was altered: its content does not match its hash"


def test_altered_actor_of_first_entry_is_named(store: Store, append_entries, run_sql) -> None:
    append_entries(store, ENTRIES)
    run_sql(store, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 1")
    assert _verify(store).first_bad_seq == 1


def test_deleted_middle_entry_is_named(store: Store, append_entries, run_sql) -> None:
    append_entries(store, ENTRIES)
    run_sql(store, "DELETE FROM audit_log WHERE seq = 3")
    result = _verify(store)
    assert (result.ok, result.first_bad_seq) == (False, 3)
    assert result.problem == "entry 3 was deleted: entry 4 comes after entry 2"


def test_deleted_first_entries_are_named(store: Store, append_entries, run_sql) -> None:
    append_entries(store, ENTRIES)
    run_sql(store, "DELETE FROM audit_log WHERE seq <= 2")
    result = _verify(store)
    assert (result.first_bad_seq, result.problem) == (
        1,
        "entries 1 to 2 were deleted: entry 3 comes first",
    )


def test_deleted_last_entry_is_named(store: Store, append_entries, run_sql) -> None:
    append_entries(store, ENTRIES)
    run_sql(store, "DELETE FROM audit_log WHERE seq = 5")
    result = _verify(store)
    assert (result.ok, result.first_bad_seq, result.entries_checked) == (False, 5, 4)
    assert result.problem == (
        "entry 5 was deleted: the audit head ends at entry 5 but the log ends at entry 4"
    )


def test_swapped_entries_are_named_as_reordered(store: Store, append_entries, run_sql) -> None:
    append_entries(store, ENTRIES)
    second, third = _row(store, run_sql, 2), _row(store, run_sql, 3)
    for target, source in ((2, third), (3, second)):
        run_sql(
            store,
            "UPDATE audit_log SET at = :at, actor = :actor, action = :action, "
            "subject = :subject, payload = :payload, prev_hash = :prev_hash, hash = :hash "
            "WHERE seq = :target",
            **{**source, "target": target},
        )
    result = _verify(store)
    assert (result.ok, result.first_bad_seq) == (False, 2)
    assert result.problem == "entry 2 was reordered: it holds the entry written as 3"


def test_renumbered_entries_are_named_as_reordered(store: Store, append_entries, run_sql) -> None:
    append_entries(store, ENTRIES)
    run_sql(store, "UPDATE audit_log SET seq = 99 WHERE seq = 2")
    run_sql(store, "UPDATE audit_log SET seq = 2 WHERE seq = 4")
    run_sql(store, "UPDATE audit_log SET seq = 4 WHERE seq = 99")
    result = _verify(store)
    assert (result.first_bad_seq, result.problem) == (
        2,
        "entry 2 was reordered: it holds the entry written as 4",
    )


def test_forged_entry_with_a_made_up_hash_is_named(store: Store, append_entries, run_sql) -> None:
    entries = append_entries(store, ENTRIES)
    _insert_forged(store, run_sql, seq=6, prev_hash=entries[-1].hash, valid=False)
    result = _verify(store)
    assert (result.ok, result.first_bad_seq) == (False, 6)
    assert result.problem == "entry 6 was added outside rcim: the audit head ends at entry 5"


def test_forged_entry_appended_with_a_correct_hash_is_named(
    store: Store, append_entries, run_sql
) -> None:
    entries = append_entries(store, ENTRIES)
    _insert_forged(store, run_sql, seq=6, prev_hash=entries[-1].hash, valid=True)
    result = _verify(store)
    assert (result.ok, result.first_bad_seq, result.entries_checked) == (False, 6, 6)


def test_forged_entry_inserted_in_the_middle_is_named(
    store: Store, append_entries, run_sql
) -> None:
    entries = append_entries(store, ENTRIES)
    _renumber_from(store, run_sql, first=4, shift=1)
    _insert_forged(store, run_sql, seq=4, prev_hash=entries[2].hash, valid=True)
    result = _verify(store)
    assert (result.ok, result.first_bad_seq) == (False, 4)
    assert result.problem == "entry 4 was inserted: the entry written as 4 now sits at 5"


def test_forged_entry_inserted_with_a_made_up_hash_is_named(
    store: Store, append_entries, run_sql
) -> None:
    entries = append_entries(store, ENTRIES)
    _renumber_from(store, run_sql, first=2, shift=1)
    _insert_forged(store, run_sql, seq=2, prev_hash=entries[0].hash, valid=False)
    assert _verify(store).first_bad_seq == 2


def test_middle_entry_replaced_by_a_consistent_forgery_is_named(
    store: Store, append_entries, run_sql
) -> None:
    entries = append_entries(store, ENTRIES)
    run_sql(store, "DELETE FROM audit_log WHERE seq = 3")
    _insert_forged(store, run_sql, seq=3, prev_hash=entries[1].hash, valid=True)
    result = _verify(store)
    assert (result.first_bad_seq, result.problem) == (
        3,
        "entry 3 was replaced or inserted: entry 4 was written after a different entry",
    )


def test_last_entry_replaced_by_a_consistent_forgery_is_named(
    store: Store, append_entries, run_sql
) -> None:
    entries = append_entries(store, ENTRIES)
    run_sql(store, "DELETE FROM audit_log WHERE seq = 5")
    _insert_forged(store, run_sql, seq=5, prev_hash=entries[3].hash, valid=True)
    result = _verify(store)
    assert (result.first_bad_seq, result.problem) == (
        5,
        "entry 5 was replaced: it is not the entry the audit head recorded",
    )


def test_appends_continue_the_chain_after_reopening(store_url: str, append_entries) -> None:
    with open_store(store_url) as first:
        append_entries(first, 2)
    with open_store(store_url) as second:
        more = append_entries(second, 2, start=2)
        assert [entry.seq for entry in more] == [3, 4]
        assert _verify(second) == AuditVerification(True, 4, None, None)


def test_times_in_other_offsets_hash_the_same_after_storage(store: Store) -> None:
    at = datetime(2026, 3, 2, 12, 0, 0, 500, tzinfo=timezone(timedelta(hours=-5)))
    with store.transaction() as session:
        written = append_audit(session, actor="a", action="b", subject="c", payload={}, at=at)
    assert written.at == at
    assert _verify(store).ok
