"""``rcim import incidents``: backfill incident history from a JSON Lines file.

Same rules as deployments (all or nothing, idempotent by ``id``). ``caused_by`` names either
a change (``CHG-YYYY-NNNN``) or a deployment ``id`` that must already be in the store, so
import deployments first. Each incident gets timeline events for its known milestones.
"""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING

from sqlalchemy import select

from rcim.errors import Problem
from rcim.imports.common import ImportContext, ImportResult, audit_payload, name_problems
from rcim.imports.lines import CHANGE_ID, parse_lines, raise_if_problems, read_source
from rcim.imports.models import IncidentLine
from rcim.store.audit import append_audit
from rcim.store.schema import DeploymentRow, IncidentEventRow, IncidentRow

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from sqlalchemy.orm import Session

    from rcim.imports.lines import Parsed, SourceFile
    from rcim.store import Store

ACTION = "import.incidents"
MILESTONES = (
    ("opened", "opened_at"),
    ("acknowledged", "acknowledged_at"),
    ("mitigated", "mitigated_at"),
    ("resolved", "resolved_at"),
)


def import_incidents(store: Store, path: Path, context: ImportContext) -> ImportResult:
    source = read_source(path)
    parsed, problems = parse_lines(source, IncidentLine)
    for item in parsed:
        problems.extend(name_problems(source, item.line, item.record.service, None, context))
    problems.extend(_duplicate_ids(source, parsed))
    raise_if_problems(problems)
    with store.transaction() as session:
        problems = _unknown_causes(session, source, parsed)
        existing = _existing(session, [p.record.id for p in parsed])
        fresh, conflicts = _split_new(source, parsed, existing)
        raise_if_problems(problems + conflicts)
        result = ImportResult(
            "incidents", source.display, source.sha256, len(fresh), len(parsed) - len(fresh)
        )
        if fresh:
            _insert(session, fresh, source, context)
            append_audit(
                session,
                actor=context.actor,
                action=ACTION,
                subject=path.name,
                payload=audit_payload(result),
                at=context.at,
            )
    return result


def _duplicate_ids(source: SourceFile, parsed: list[Parsed[IncidentLine]]) -> list[Problem]:
    first_line: dict[str, int] = {}
    problems: list[Problem] = []
    for item in parsed:
        key = item.record.id
        if key in first_line:
            message = f"id: incident '{key}' already appears on line {first_line[key]}"
            problems.append(Problem(source.display, item.line, None, message))
        else:
            first_line[key] = item.line
    return problems


def _unknown_causes(
    session: Session, source: SourceFile, parsed: list[Parsed[IncidentLine]]
) -> list[Problem]:
    wanted = {
        p.record.caused_by
        for p in parsed
        if p.record.caused_by and not CHANGE_ID.match(p.record.caused_by)
    }
    known = _existing_deployments(session, sorted(wanted))
    return [
        Problem(
            source.display,
            item.line,
            None,
            f"caused_by: '{item.record.caused_by}' is neither a change ID (CHG-YYYY-NNNN) "
            "nor a deployment in the store (import deployments first)",
        )
        for item in parsed
        if item.record.caused_by in wanted and item.record.caused_by not in known
    ]


def _existing_deployments(session: Session, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found.update(session.scalars(select(DeploymentRow.id).where(DeploymentRow.id.in_(chunk))))
    return found


def _existing(session: Session, ids: list[str]) -> dict[str, IncidentRow]:
    found: dict[str, IncidentRow] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = session.scalars(select(IncidentRow).where(IncidentRow.id.in_(chunk)))
        found.update((row.id, row) for row in rows)
    return found


def _split_new(
    source: SourceFile, parsed: list[Parsed[IncidentLine]], existing: dict[str, IncidentRow]
) -> tuple[list[Parsed[IncidentLine]], list[Problem]]:
    fresh: list[Parsed[IncidentLine]] = []
    conflicts: list[Problem] = []
    for item in parsed:
        stored = existing.get(item.record.id)
        if stored is None:
            fresh.append(item)
        elif _fields(stored) != _fields(_row(item.record)):
            message = (
                f"id: incident '{stored.id}' is already in the store with different content; "
                "give this line another id"
            )
            conflicts.append(Problem(source.display, item.line, None, message))
    return fresh, conflicts


def _insert(
    session: Session,
    fresh: list[Parsed[IncidentLine]],
    source: SourceFile,
    context: ImportContext,
) -> None:
    session.add_all(_row(item.record) for item in fresh)
    session.flush()
    for item in fresh:
        for kind, attribute in MILESTONES:
            moment = getattr(item.record, attribute)
            if moment is not None:
                session.add(
                    IncidentEventRow(
                        incident_id=item.record.id,
                        at=moment.astimezone(UTC),
                        kind=kind,
                        actor=context.actor,
                        text=f"{kind} (imported from {source.display}:{item.line})",
                        data={"source": "import"},
                    )
                )


def _row(line: IncidentLine) -> IncidentRow:
    cause = line.caused_by
    by_change = cause if cause and CHANGE_ID.match(cause) else None
    return IncidentRow(
        id=line.id,
        service=line.service,
        priority=line.priority,
        title=line.title or f"imported incident {line.id}",
        state="resolved" if line.resolved_at else "open",
        impact=line.impact,
        opened_at=line.opened_at.astimezone(UTC),
        acknowledged_at=_utc(line.acknowledged_at),
        mitigated_at=_utc(line.mitigated_at),
        resolved_at=_utc(line.resolved_at),
        caused_by_change=by_change,
        caused_by_deployment=cause if cause and not by_change else None,
    )


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC)


def _fields(row: IncidentRow) -> tuple[object, ...]:
    return (
        row.service,
        row.priority,
        row.title,
        row.impact,
        row.opened_at,
        row.acknowledged_at,
        row.mitigated_at,
        row.resolved_at,
        row.caused_by_change,
        row.caused_by_deployment,
    )
