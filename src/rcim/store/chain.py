"""The audit hash chain as pure functions: how an entry is hashed, and how a sequence of
stored entries is checked against the chain and the audit head.

Kept free of database access so that the rules can be read, and tested, on their own;
``rcim.store.audit`` feeds them rows.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

ZERO_HASH = "0" * 64
# How far from its position verification looks for where a moved entry was written.
MAX_MOVE_DISTANCE = 10_000


def canonical_json(value: object) -> str:
    """The one JSON spelling of ``value`` that hashes are computed over."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def format_instant(at: datetime) -> str:
    """``at`` in UTC, ISO 8601, always with microseconds, so that it hashes the same way
    after a round trip through either database."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(
    *,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    payload_json: str,
    prev_hash: str,
) -> str:
    """The hash an entry with these fields must carry (see ``rcim.store.audit``)."""
    document = {
        "seq": seq,
        "at": format_instant(at),
        "actor": actor,
        "action": action,
        "subject": subject,
        "payload": payload_json,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


class StoredEntry(NamedTuple):
    """An audit row exactly as stored, payload still as text."""

    seq: int
    at: datetime
    actor: str
    action: str
    subject: str
    payload: str
    prev_hash: str
    hash: str

    def hash_as(self, seq: int) -> str:
        """The hash this content would carry had it been written as entry ``seq``."""
        return entry_hash(
            seq=seq,
            at=self.at,
            actor=self.actor,
            action=self.action,
            subject=self.subject,
            payload_json=self.payload,
            prev_hash=self.prev_hash,
        )


@dataclass(frozen=True)
class AuditVerification:
    """The outcome of checking the log: intact, or the first bad entry and what happened."""

    ok: bool
    entries_checked: int
    first_bad_seq: int | None
    problem: str | None


@dataclass(frozen=True)
class _Finding:
    seq: int | None
    problem: str


def verify_entries(
    entries: Iterable[StoredEntry], *, head_seq: int, head_hash: str
) -> AuditVerification:
    """Check ``entries`` (in seq order) against the chain rules and the audit head.

    Per entry, in this order: its position (no gap, not beyond the head), its content
    (the stored hash is the hash of the stored fields), its link (``prev_hash`` is the
    previous entry's hash). Then the end of the log must be what the head recorded.
    """
    previous_seq, previous_hash = 0, ZERO_HASH
    checked = 0
    for entry in entries:
        checked += 1
        finding = (
            _check_position(entry, previous_seq, head_seq)
            or _check_content(entry, head_seq)
            or _check_link(entry, previous_seq, previous_hash)
        )
        if finding is not None:
            return AuditVerification(False, checked, finding.seq, finding.problem)
        previous_seq, previous_hash = entry.seq, entry.hash
    finding = _check_end(previous_seq, previous_hash, head_seq, head_hash)
    if finding is not None:
        return AuditVerification(False, checked, finding.seq, finding.problem)
    return AuditVerification(True, checked, None, None)


def _check_position(entry: StoredEntry, previous_seq: int, head_seq: int) -> _Finding | None:
    expected = previous_seq + 1
    if entry.seq > expected:
        where = f"after entry {previous_seq}" if previous_seq else "first"
        return _Finding(
            expected,
            f"{_entries(expected, entry.seq - 1)} deleted: entry {entry.seq} comes {where}",
        )
    if entry.seq < expected:
        return _Finding(
            entry.seq,
            f"entry {entry.seq} comes after entry {previous_seq}: duplicated or out of order",
        )
    if entry.seq > head_seq:
        return _Finding(
            entry.seq,
            f"entry {entry.seq} was added outside rcim: the audit head ends at entry {head_seq}",
        )
    return None


def _check_content(entry: StoredEntry, head_seq: int) -> _Finding | None:
    if entry.hash_as(entry.seq) == entry.hash:
        return None
    written_as = _written_as(entry, limit=max(head_seq, entry.seq))
    if written_as is None:
        return _Finding(
            entry.seq, f"entry {entry.seq} was altered: its content does not match its hash"
        )
    if written_as < entry.seq:
        return _Finding(
            written_as,
            f"entry {written_as} was inserted: the entry written as {written_as} "
            f"now sits at {entry.seq}",
        )
    return _Finding(
        entry.seq,
        f"entry {entry.seq} was reordered: it holds the entry written as {written_as}",
    )


def _check_link(entry: StoredEntry, previous_seq: int, previous_hash: str) -> _Finding | None:
    if entry.prev_hash == previous_hash:
        return None
    if previous_seq == 0:
        return _Finding(
            entry.seq, f"entry {entry.seq} does not start the chain: its prev_hash is not zero"
        )
    return _Finding(
        previous_seq,
        f"entry {previous_seq} was replaced or inserted: "
        f"entry {entry.seq} was written after a different entry",
    )


def _check_end(last_seq: int, last_hash: str, head_seq: int, head_hash: str) -> _Finding | None:
    if last_seq < head_seq:
        return _Finding(
            last_seq + 1,
            f"{_entries(last_seq + 1, head_seq)} deleted: the audit head ends at entry "
            f"{head_seq} but the log ends at entry {last_seq}",
        )
    if last_hash == head_hash:
        return None
    if last_seq == 0:
        return _Finding(None, "the audit head was altered: it names an entry the log lacks")
    return _Finding(
        last_seq, f"entry {last_seq} was replaced: it is not the entry the audit head recorded"
    )


def _written_as(entry: StoredEntry, *, limit: int) -> int | None:
    """The seq this content was originally written as, searched outwards from where it sits
    (moved entries are usually near their old place); None if it was altered."""
    for candidate in _outwards(entry.seq, limit=limit):
        if entry.hash_as(candidate) == entry.hash:
            return candidate
    return None


def _outwards(seq: int, *, limit: int) -> Iterator[int]:
    for distance in range(1, MAX_MOVE_DISTANCE + 1):
        if seq - distance < 1 and seq + distance > limit:
            return
        for candidate in (seq - distance, seq + distance):
            if 1 <= candidate <= limit:
                yield candidate


def _entries(first: int, last: int) -> str:
    return f"entry {first} was" if first == last else f"entries {first} to {last} were"
