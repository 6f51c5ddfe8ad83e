"""Test-stage evidence: what a stage (unit, integration, acceptance...) proved for one commit.

The gate's ``test_stages`` rule asks for the latest record of each required stage at exactly
the commit being released. A stage recorded from JUnit reports passes only if tests actually
ran and none failed or errored: a run of zero tests (or only skipped ones) proves nothing and
is recorded as failed.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import or_, select

from rcim.errors import InvalidInputError
from rcim.release.junit import combine
from rcim.store.audit import append_audit
from rcim.store.schema import StageResultRow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session

    from rcim.release.junit import JunitSummary

StageStatus = Literal["passed", "failed"]
STAGE_STATUSES: tuple[StageStatus, ...] = ("passed", "failed")
AUDIT_ACTION = "stage.recorded"
STATUS_SOURCE_PREFIX = "status:"
_FULL_SHA = re.compile(r"^[0-9a-f]{40}$")
_STAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass(frozen=True)
class StageRecord:
    """One stored stage result. ``service`` ``None`` means it counts for every service."""

    id: int
    name: str
    commit: str
    service: str | None
    status: StageStatus
    tests: int
    failures: int
    errors: int
    skipped: int
    duration_seconds: float
    source: str
    recorded_at: datetime

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def reason(self) -> str:
        """Why the stage has its status, in words a reviewer can act on."""
        if self.source.startswith(STATUS_SOURCE_PREFIX):
            return "status reported without test reports"
        if self.tests - self.skipped <= 0:
            return f"no tests executed ({self.tests} tests, {self.skipped} skipped)"
        return (
            f"{self.tests} tests, {self.failures} failures, {self.errors} errors, "
            f"{self.skipped} skipped"
        )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["recorded_at"] = self.recorded_at.isoformat()
        data["reason"] = self.reason
        return data


def stage_status(summary: JunitSummary) -> StageStatus:
    """Passed only when tests ran and none failed or errored."""
    return "passed" if summary.passed else "failed"


def record_stage(
    session: Session,
    *,
    name: str,
    commit: str,
    service: str | None,
    summaries: Sequence[JunitSummary] | None,
    status: StageStatus | None,
    source: str,
    at: datetime,
    actor: str = "rcim",
) -> StageRecord:
    """Store one stage result and its audit entry, in the caller's transaction.

    Exactly one of ``summaries`` (parsed JUnit reports) and ``status`` must be given. The
    source of a status-only record is stored with the prefix ``status:`` so that it can never
    be mistaken for a run of zero tests.
    """
    _check_arguments(name, commit, summaries, status)
    if at.tzinfo is None:
        raise ValueError("stage results need a timezone-aware time (use rcim.clock.now())")
    if status is not None and not source.startswith(STATUS_SOURCE_PREFIX):
        source = f"{STATUS_SOURCE_PREFIX} {source}"
    totals = combine(summaries or [])
    final: StageStatus = status if status is not None else stage_status(totals)
    row = StageResultRow(
        name=name,
        commit_sha=commit,
        service=service,
        status=final,
        tests=totals.tests,
        failures=totals.failures,
        errors=totals.errors,
        skipped=totals.skipped,
        duration_seconds=totals.duration_seconds,
        source=source,
        recorded_at=at.astimezone(UTC),
    )
    session.add(row)
    session.flush()  # assigns the id the audit entry names
    record = _record(row)
    append_audit(
        session,
        actor=actor,
        action=AUDIT_ACTION,
        subject=f"stage:{name}:{commit}",
        payload=record.to_json(),
        at=at,
    )
    return record


def latest_stage(
    session: Session, *, name: str, commit: str, service: str | None
) -> StageRecord | None:
    """The most recent record of stage ``name`` at ``commit`` that counts for ``service``.

    Records without a service count for every service; ``service=None`` accepts any record.
    Ties on ``recorded_at`` go to the record stored last.
    """
    query = select(StageResultRow).where(
        StageResultRow.name == name, StageResultRow.commit_sha == commit
    )
    if service is not None:
        query = query.where(
            or_(StageResultRow.service == service, StageResultRow.service.is_(None))
        )
    query = query.order_by(StageResultRow.recorded_at.desc(), StageResultRow.id.desc()).limit(1)
    row = session.execute(query).scalar_one_or_none()
    return None if row is None else _record(row)


def stage_results_for(session: Session, commit: str) -> list[StageRecord]:
    """Every stage record of ``commit``, oldest first."""
    query = (
        select(StageResultRow)
        .where(StageResultRow.commit_sha == commit)
        .order_by(StageResultRow.recorded_at, StageResultRow.id)
    )
    return [_record(row) for row in session.execute(query).scalars()]


def check_commit(commit: str) -> str:
    """``commit`` if it is a full lower-case 40-hex SHA; evidence must name one exact commit."""
    if not _FULL_SHA.match(commit):
        raise InvalidInputError(
            f"commit '{commit}' is not a full 40-character SHA (resolve short SHAs and refs first)"
        )
    return commit


def check_stage_name(name: str) -> str:
    """Stage names follow the identifiers ``release/policy.yaml`` lists them with."""
    if not _STAGE_NAME.match(name):
        raise InvalidInputError(
            f"stage name '{name}' is not valid (lower-case letters, digits, '-', '.', '_')"
        )
    return name


def _check_arguments(
    name: str,
    commit: str,
    summaries: Sequence[JunitSummary] | None,
    status: StageStatus | None,
) -> None:
    check_stage_name(name)
    check_commit(commit)
    if (summaries is None) == (status is None):
        raise InvalidInputError("give exactly one of: JUnit reports, or a status")
    if summaries is not None and not summaries:
        raise InvalidInputError("no JUnit reports given")
    if status is not None and status not in STAGE_STATUSES:
        raise InvalidInputError(f"status '{status}' is not one of: {', '.join(STAGE_STATUSES)}")


def _record(row: StageResultRow) -> StageRecord:
    status: StageStatus = "passed" if row.status == "passed" else "failed"
    return StageRecord(
        id=row.id,
        name=row.name,
        commit=row.commit_sha,
        service=row.service,
        status=status,
        tests=row.tests,
        failures=row.failures,
        errors=row.errors,
        skipped=row.skipped,
        duration_seconds=row.duration_seconds,
        source=row.source,
        recorded_at=row.recorded_at,
    )
