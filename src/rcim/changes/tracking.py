"""Change records in the store: submitting, moving through the lifecycle, listing.

Every write appends an audit entry in the same transaction, so the audit log and the
lifecycle can never disagree. Functions take the caller's session; the caller owns the
transaction (``Store.transaction()``), so a refused step leaves the store untouched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from rcim.changes.lifecycle import Verb, next_state
from rcim.changes.model import ChangeRecord
from rcim.errors import InvalidInputError, NotFoundError, TransitionError
from rcim.store import append_audit
from rcim.store.schema import ApprovalRow, ChangeRecordRow, ChangeTransitionRow

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from rcim.program.loader import Program

RECORD_KEY = "record"
PIR_REQUIRED = "pir_required"
PIR_DONE = "pir_done"


@dataclass(frozen=True)
class StoredChange:
    """A change's live state as the store holds it."""

    id: str
    type: str
    title: str
    services: tuple[str, ...]
    author: str
    state: str
    path: str
    created_at: datetime
    updated_at: datetime
    data: dict[str, Any]

    @property
    def record(self) -> ChangeRecord:
        """The definition as last submitted or moved (a snapshot of the file)."""
        return ChangeRecord.model_validate_json(json.dumps(self.data[RECORD_KEY]))

    @property
    def needs_review(self) -> bool:
        """A break-glass release left a post-implementation review to do."""
        return bool(self.data.get(PIR_REQUIRED)) and not self.data.get(PIR_DONE)


@dataclass(frozen=True)
class Transition:
    change_id: str
    from_state: str | None
    to_state: str
    actor: str
    at: datetime
    comment: str | None


def submit_change(
    session: Session, program: Program, record: ChangeRecord, path: str, *, actor: str, at: datetime
) -> StoredChange:
    """Load a record into the store and take its first lifecycle step."""
    _check_references(program, record)
    if session.get(ChangeRecordRow, record.id) is not None:
        raise TransitionError(f"{record.id} was already submitted; see 'rcim change show'")
    row = ChangeRecordRow(
        id=record.id,
        type=record.type,
        title=record.title,
        services=list(record.services),
        author=record.author,
        state="new",
        path=path,
        created_at=at,
        updated_at=at,
        data={RECORD_KEY: record.model_dump(mode="json")},
    )
    session.add(row)
    session.flush()
    _append_transition(session, row, None, "new", actor=actor, at=at, comment=None)
    return _move(session, row, "submit", record, actor=actor, at=at, comment=None)


def transition_change(
    session: Session,
    change_id: str,
    verb: Verb,
    record: ChangeRecord | None,
    *,
    actor: str,
    at: datetime,
    comment: str | None = None,
) -> StoredChange:
    """Apply ``verb``; ``record`` (the file as it is now) refreshes the stored snapshot."""
    row = _row(session, change_id)
    return _move(session, row, verb, record, actor=actor, at=at, comment=comment)


def mark_change(
    session: Session,
    change_id: str,
    updates: dict[str, Any],
    *,
    actor: str,
    action: str,
    at: datetime,
) -> StoredChange:
    """Merge ``updates`` into the change's data (e.g. its risk assessment), audited."""
    row = _row(session, change_id)
    row.data = {**row.data, **updates}
    row.updated_at = at
    append_audit(session, actor=actor, action=action, subject=change_id, payload=updates, at=at)
    return stored(row)


def get_change(session: Session, change_id: str) -> StoredChange:
    return stored(_row(session, change_id))


def find_changes(session: Session, ids: list[str]) -> dict[str, StoredChange]:
    """The stored changes among ``ids`` (unknown IDs are simply absent)."""
    if not ids:
        return {}
    rows = session.scalars(select(ChangeRecordRow).where(ChangeRecordRow.id.in_(ids)))
    return {row.id: stored(row) for row in rows}


def list_changes(
    session: Session, *, state: str | None = None, service: str | None = None
) -> list[StoredChange]:
    query = select(ChangeRecordRow).order_by(ChangeRecordRow.id)
    if state is not None:
        query = query.where(ChangeRecordRow.state == state)
    changes = [stored(row) for row in session.scalars(query)]
    return [c for c in changes if service is None or service in c.services]


def all_change_ids(session: Session) -> list[str]:
    return list(session.scalars(select(ChangeRecordRow.id)))


def transitions_of(session: Session, change_id: str) -> list[Transition]:
    rows = session.scalars(
        select(ChangeTransitionRow)
        .where(ChangeTransitionRow.change_id == change_id)
        .order_by(ChangeTransitionRow.id)
    )
    return [
        Transition(r.change_id, r.from_state, r.to_state, r.actor, r.at, r.comment) for r in rows
    ]


def stored(row: ChangeRecordRow) -> StoredChange:
    return StoredChange(
        id=row.id,
        type=row.type,
        title=row.title,
        services=tuple(row.services),
        author=row.author,
        state=row.state,
        path=row.path,
        created_at=row.created_at,
        updated_at=row.updated_at,
        data=dict(row.data),
    )


def _row(session: Session, change_id: str) -> ChangeRecordRow:
    row = session.get(ChangeRecordRow, change_id)
    if row is None:
        raise NotFoundError(f"unknown change {change_id}: not submitted (run 'rcim change submit')")
    return row


def _move(
    session: Session,
    row: ChangeRecordRow,
    verb: Verb,
    record: ChangeRecord | None,
    *,
    actor: str,
    at: datetime,
    comment: str | None,
) -> StoredChange:
    target = next_state(row.type, row.state, verb)  # type: ignore[arg-type]
    current = record or stored(row).record
    _guard(session, row, verb, current)
    previous = row.state
    row.state = target
    row.updated_at = at
    row.title = current.title
    row.services = list(current.services)
    data = {**row.data, RECORD_KEY: current.model_dump(mode="json")}
    if verb == "close" and data.get(PIR_REQUIRED):
        data[PIR_DONE] = True
    row.data = data
    _append_transition(session, row, previous, target, actor=actor, at=at, comment=comment)
    return stored(row)


def _guard(session: Session, row: ChangeRecordRow, verb: Verb, record: ChangeRecord) -> None:
    """Conditions beyond the state table: what a step needs before it may happen."""
    if verb == "schedule" and record.window is None:
        raise InvalidInputError(
            f"{row.id}: cannot schedule without a window; add window: start/end to {row.path}"
        )
    if verb == "schedule" and not _has_approval(session, row.id):
        raise InvalidInputError(f"{row.id}: cannot schedule before anyone approved it")


def _has_approval(session: Session, change_id: str) -> bool:
    found = session.scalars(
        select(ApprovalRow.id).where(
            ApprovalRow.change_id == change_id, ApprovalRow.decision == "approve"
        )
    ).first()
    return found is not None


def _append_transition(
    session: Session,
    row: ChangeRecordRow,
    from_state: str | None,
    to_state: str,
    *,
    actor: str,
    at: datetime,
    comment: str | None,
) -> None:
    session.add(
        ChangeTransitionRow(
            change_id=row.id,
            from_state=from_state,
            to_state=to_state,
            actor=actor,
            at=at,
            comment=comment,
        )
    )
    payload = {"from": from_state, "to": to_state, "comment": comment}
    append_audit(
        session, actor=actor, action="change.transition", subject=row.id, payload=payload, at=at
    )


def _check_references(program: Program, record: ChangeRecord) -> None:
    unknown = [s for s in record.services if s not in program.services]
    if unknown:
        raise InvalidInputError(f"{record.id}: unknown service(s) {', '.join(unknown)}")
    if record.author not in {p.id for p in program.config.people}:
        raise InvalidInputError(
            f"{record.id}: author '{record.author}' is not a person in rcim.yaml"
        )
    if record.template is None:
        return
    templates = {t.id: t for t in program.policy.standard_changes} if program.policy else {}
    template = templates.get(record.template)
    if template is None:
        known = ", ".join(sorted(templates)) or "none defined"
        raise InvalidInputError(
            f"{record.id}: unknown standard-change template '{record.template}' (known: {known})"
        )
    outside = [s for s in record.services if template.services and s not in template.services]
    if outside:
        raise InvalidInputError(
            f"{record.id}: template '{template.id}' does not cover service(s) {', '.join(outside)}"
        )
