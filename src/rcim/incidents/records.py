"""Incident records in the store: open, move through the lifecycle, annotate, link a cause.

Every write runs in one transaction with its timeline event and its audit entry, so a failed
command leaves the store as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from rcim.errors import InvalidInputError, NotFoundError
from rcim.incidents.lifecycle import require_transition
from rcim.store.audit import append_audit
from rcim.store.schema import ChangeRecordRow, IncidentEventRow, IncidentRow

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from sqlalchemy.orm import Session

    from rcim.incidents.lifecycle import State
    from rcim.incidents.priority import Priority
    from rcim.store import Store

CHANGES_DIR = "release/changes"
CHANGE_ID = re.compile(r"^CHG-\d{4}-\d{4,}$")
MILESTONE_COLUMNS = {
    "acknowledged": "acknowledged_at",
    "mitigated": "mitigated_at",
    "resolved": "resolved_at",
}


@dataclass(frozen=True)
class Incident:
    id: str
    service: str
    priority: str
    title: str
    state: str
    impact: bool
    opened_at: datetime
    acknowledged_at: datetime | None
    mitigated_at: datetime | None
    resolved_at: datetime | None
    caused_by_change: str | None
    caused_by_deployment: str | None


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str
    actor: str
    text: str
    data: dict[str, Any]


@dataclass(frozen=True)
class NewIncident:
    service: str
    priority: Priority
    title: str
    impact: bool
    details: dict[str, Any]


def open_incident(store: Store, new: NewIncident, *, at: datetime, actor: str) -> Incident:
    if not new.title.strip():
        raise InvalidInputError("--title: an incident needs a title")
    with store.transaction() as session:
        row = IncidentRow(
            id=_next_id(session, at),
            service=new.service,
            priority=new.priority,
            title=new.title.strip(),
            state="open",
            impact=new.impact,
            opened_at=at.astimezone(UTC),
        )
        session.add(row)
        session.flush()
        data = {"priority": new.priority, "impact": new.impact, **new.details}
        text = f"opened {new.priority}: {row.title}"
        record_event(session, row.id, "opened", actor, text, data, at)
        return to_incident(row)


def transition(
    store: Store, incident_id: str, target: State, *, at: datetime, actor: str, note: str = ""
) -> Incident:
    with store.transaction() as session:
        row = incident_row(session, incident_id)
        require_transition(incident_id, row.state, target)
        previous = row.state
        row.state = target
        column = MILESTONE_COLUMNS.get(target)
        if column is not None:
            setattr(row, column, at.astimezone(UTC))
        text = note.strip() or f"{previous} -> {target}"
        data = {"from": previous, "note": note.strip()}
        record_event(session, incident_id, target, actor, text, data, at)
        return to_incident(row)


def add_note(store: Store, incident_id: str, text: str, *, at: datetime, actor: str) -> None:
    if not text.strip():
        raise InvalidInputError("note: the text is empty")
    with store.transaction() as session:
        incident_row(session, incident_id)
        record_event(session, incident_id, "note", actor, text.strip(), {}, at)


def link_change(
    store: Store, incident_id: str, change_id: str, *, program_root: Path, at: datetime, actor: str
) -> Incident:
    """Mark ``change_id`` as the cause: metrics count it as a change failure.

    The change must exist, as a record file under ``release/changes/`` or in the store.
    """
    if not CHANGE_ID.match(change_id):
        raise InvalidInputError(f"'{change_id}' is not a change ID like CHG-2026-0042")
    with store.transaction() as session:
        row = incident_row(session, incident_id)
        if not _change_exists(session, program_root, change_id):
            raise NotFoundError(
                f"unknown change '{change_id}' "
                f"(no {CHANGES_DIR}/{change_id}.yaml and not in the store)"
            )
        previous = row.caused_by_change
        row.caused_by_change = change_id
        text = f"caused by change {change_id}"
        record_event(session, incident_id, "change_linked", actor, text, {"previous": previous}, at)
        return to_incident(row)


def get_incident(store: Store, incident_id: str) -> Incident:
    with store.transaction() as session:
        return to_incident(incident_row(session, incident_id))


def timeline(store: Store, incident_id: str) -> list[TimelineEvent]:
    with store.transaction() as session:
        incident_row(session, incident_id)
        return read_events(session, incident_id)


def read_events(session: Session, incident_id: str) -> list[TimelineEvent]:
    rows = session.scalars(
        select(IncidentEventRow)
        .where(IncidentEventRow.incident_id == incident_id)
        .order_by(IncidentEventRow.at, IncidentEventRow.id)
    )
    return [TimelineEvent(r.at, r.kind, r.actor, r.text, dict(r.data)) for r in rows]


def record_event(
    session: Session,
    incident_id: str,
    kind: str,
    actor: str,
    text: str,
    data: dict[str, Any],
    at: datetime,
) -> None:
    """Append one timeline event and its audit entry in the caller's transaction."""
    session.add(
        IncidentEventRow(
            incident_id=incident_id,
            at=at.astimezone(UTC),
            kind=kind,
            actor=actor,
            text=text,
            data=data,
        )
    )
    payload = {"kind": kind, "text": text, "data": data}
    append_audit(
        session,
        actor=actor,
        action=f"incident.{kind}",
        subject=incident_id,
        payload=payload,
        at=at,
    )


def incident_row(session: Session, incident_id: str) -> IncidentRow:
    """The incident's row, or ``NotFoundError`` naming the ID."""
    row = session.get(IncidentRow, incident_id)
    if row is None:
        raise NotFoundError(f"unknown incident '{incident_id}'")
    return row


def _change_exists(session: Session, program_root: Path, change_id: str) -> bool:
    if (program_root / CHANGES_DIR / f"{change_id}.yaml").is_file():
        return True
    return session.get(ChangeRecordRow, change_id) is not None


def _next_id(session: Session, at: datetime) -> str:
    prefix = f"INC-{at.astimezone(UTC).year}-"
    ids = session.scalars(select(IncidentRow.id).where(IncidentRow.id.like(f"{prefix}%")))
    numbers = [int(i[len(prefix) :]) for i in ids if i[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def to_incident(row: IncidentRow) -> Incident:
    return Incident(
        row.id,
        row.service,
        row.priority,
        row.title,
        row.state,
        row.impact,
        row.opened_at,
        row.acknowledged_at,
        row.mitigated_at,
        row.resolved_at,
        row.caused_by_change,
        row.caused_by_deployment,
    )
