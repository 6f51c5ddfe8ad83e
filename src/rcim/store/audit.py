"""The append-only, hash-chained audit log.

Each entry's ``hash`` is the SHA-256 (hex) of the canonical JSON (sorted keys, no whitespace,
UTF-8) of the object ``{seq, at, actor, action, subject, payload, prev_hash}``, where ``at`` is
the UTC instant in ISO 8601 with microseconds and ``payload`` is the entry's canonical JSON
text (a string). ``prev_hash`` is the previous entry's hash, 64 zeros for the first entry.
Changing, removing, moving or adding an entry therefore breaks the chain somewhere, and the
single ``audit_head`` row (last seq and hash, updated with every append) catches changes at
the end of the log, where no later entry would notice. Anyone can recompute the hashes from
``rcim audit export`` output.
"""

from __future__ import annotations

import json
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from rcim.errors import InternalError
from rcim.store.chain import (
    AuditVerification,
    StoredEntry,
    canonical_json,
    entry_hash,
    format_instant,
    verify_entries,
)
from rcim.store.schema import AuditHeadRow, AuditLogRow

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator
    from typing import TextIO

    from sqlalchemy.orm import Session

HEAD_ID = 1
_READ_BATCH = 500


@dataclass(frozen=True)
class AuditEntry:
    """One audit entry as written, with its payload decoded."""

    seq: int
    at: datetime
    actor: str
    action: str
    subject: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str

    def to_json(self) -> dict[str, Any]:
        """The export form: ``at`` in ISO 8601, ``payload`` as an object."""
        return {
            "seq": self.seq,
            "at": format_instant(self.at),
            "actor": self.actor,
            "action": self.action,
            "subject": self.subject,
            "payload": self.payload,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


def append_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    subject: str,
    payload: dict[str, Any],
    at: datetime,
) -> AuditEntry:
    """Append one entry in the caller's transaction, so it commits or rolls back with the
    change it records.

    The audit head is updated first: that UPDATE locks the head row (PostgreSQL) or the
    database (SQLite) until commit, so concurrent appends queue up and never fork the chain.
    """
    if at.tzinfo is None:
        raise ValueError("audit entries need a timezone-aware time (use rcim.clock.now())")
    payload_json = canonical_json(payload)
    seq, prev_hash = _claim_next_seq(session)
    digest = entry_hash(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        subject=subject,
        payload_json=payload_json,
        prev_hash=prev_hash,
    )
    session.add(
        AuditLogRow(
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            subject=subject,
            payload=payload_json,
            prev_hash=prev_hash,
            hash=digest,
        )
    )
    session.execute(update(AuditHeadRow).where(AuditHeadRow.id == HEAD_ID).values(hash=digest))
    return AuditEntry(
        seq, at.astimezone(UTC), actor, action, subject, json.loads(payload_json), prev_hash, digest
    )


def verify_audit(session: Session) -> AuditVerification:
    """Walk the log in seq order and report the first entry that was altered, deleted,
    moved or added.

    The head is read with a share lock first, so that appends committing during the walk
    (PostgreSQL) cannot make an intact log look truncated.
    """
    head = session.execute(
        select(AuditHeadRow.seq, AuditHeadRow.hash)
        .where(AuditHeadRow.id == HEAD_ID)
        .with_for_update(read=True)
    ).one_or_none()
    if head is None:
        return AuditVerification(
            ok=False,
            entries_checked=0,
            first_bad_seq=None,
            problem="the audit head row is missing, so the end of the log cannot be checked",
        )
    with closing(_stored_entries(session)) as entries:
        return verify_entries(entries, head_seq=head.seq, head_hash=head.hash)


def iter_audit(session: Session) -> Iterator[AuditEntry]:
    """Every entry in seq order, read in batches."""
    with closing(_stored_entries(session)) as entries:
        for stored in entries:
            yield AuditEntry(
                stored.seq,
                stored.at,
                stored.actor,
                stored.action,
                stored.subject,
                _decode_payload(stored.payload),
                stored.prev_hash,
                stored.hash,
            )


def export_audit(session: Session, stream: TextIO) -> int:
    """Write every entry to ``stream`` as JSON Lines; returns how many were written."""
    count = 0
    for entry in iter_audit(session):
        stream.write(json.dumps(entry.to_json(), ensure_ascii=False) + "\n")
        count += 1
    return count


def _claim_next_seq(session: Session) -> tuple[int, str]:
    """Bump the head's seq and return (new seq, hash of the entry before it)."""
    claimed = session.execute(
        update(AuditHeadRow)
        .where(AuditHeadRow.id == HEAD_ID)
        .values(seq=AuditHeadRow.seq + 1)
        .returning(AuditHeadRow.seq, AuditHeadRow.hash)
    ).one_or_none()
    if claimed is None:
        raise InternalError("the audit head row is missing; the store was damaged")
    return claimed.seq, claimed.hash


def _stored_entries(session: Session) -> Generator[StoredEntry]:
    """Rows in seq order; PostgreSQL streams them through a server-side cursor, which is
    closed here even when the caller stops at the first bad entry."""
    log = AuditLogRow
    rows = session.execute(
        select(
            log.seq,
            log.at,
            log.actor,
            log.action,
            log.subject,
            log.payload,
            log.prev_hash,
            log.hash,
        )
        .order_by(log.seq)
        .execution_options(yield_per=_READ_BATCH)
    )
    try:
        for row in rows:
            yield StoredEntry(*row)
    finally:
        rows.close()


def _decode_payload(payload_json: str) -> dict[str, Any]:
    """The payload object; a payload damaged into non-JSON is kept as text, so that an
    export of a tampered log still shows what is there."""
    try:
        value = json.loads(payload_json)
    except json.JSONDecodeError:
        return {"unreadable_payload": payload_json}
    return value if isinstance(value, dict) else {"value": value}
