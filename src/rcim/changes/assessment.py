"""Gathering a change's risk inputs from the program, git, the store and the calendar.

The scoring itself is pure (``rcim.changes.risk``); this module is the shell that measures:
the services' tier, dependents and hosts; the size and paths of the commits naming the change;
test stages passed at the commit; the services' recent deployment failures; the backout plan;
the window's timing against business hours and freezes; and the recorded infrastructure impact.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select

from rcim.changes.paths import matches_any
from rcim.changes.risk import BusinessHours, RiskInputs, assess_risk
from rcim.errors import InvalidInputError
from rcim.gitscan import scan_range
from rcim.infra.impact import IMPACT_KEY, impact_from, infra_risk_score
from rcim.program.calendar import WEEKDAYS
from rcim.release.calendar import windows_between
from rcim.release.stages import latest_stage
from rcim.store.schema import DeploymentRow

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime
    from pathlib import Path

    from sqlalchemy.orm import Session

    from rcim.changes.model import ChangeRecord
    from rcim.changes.risk import RiskAssessment
    from rcim.changes.tracking import StoredChange
    from rcim.gitscan import Commit
    from rcim.program.loader import Program

RECENT = timedelta(days=30)
FAILED_RESULTS = ("failed", "rolled_back")


def change_risk(
    program: Program,
    session: Session,
    repo: Path,
    record: ChangeRecord,
    stored: StoredChange | None,
    *,
    commit: str,
    at: datetime,
) -> RiskAssessment:
    """The change's risk with everything measured at ``commit`` and instant ``at``."""
    if program.policy is None:
        raise InvalidInputError(f"{program.root}: no release/policy.yaml, so no risk model")
    inputs = risk_inputs(program, session, repo, record, stored, commit=commit, at=at)
    return assess_risk(program.policy.risk, inputs)


def risk_inputs(
    program: Program,
    session: Session,
    repo: Path,
    record: ChangeRecord,
    stored: StoredChange | None,
    *,
    commit: str,
    at: datetime,
) -> RiskInputs:
    assert program.policy is not None
    key = program.policy.trailer_key
    commits = [
        c
        for c in scan_range(repo, None, commit, with_paths=True, trailer_key=key)
        if record.id in c.change_ids
    ]
    paths = sorted({path for c in commits for path in c.paths})
    deployments, failed = _recent_deployments(session, record.services, at)
    required = sorted(
        {s for env in program.policy.environments.values() for s in env.required_stages}
    )
    start, in_freeze = _timing(program, record)
    return RiskInputs(
        tier=min(program.services[s].tier for s in record.services),
        dependents=len(_dependents(program, record.services)),
        hosts=sum(_hosts(program, s) for s in record.services),
        files=len(paths),
        lines=_lines(commits),
        sensitive_paths=tuple(
            p for p in paths if matches_any(p, program.policy.risk.sensitive_paths)
        ),
        stages_required=len(required),
        stages_passed=sum(1 for name in required if _passed(session, name, commit, record)),
        deployments=deployments,
        failed_deployments=failed,
        backout_plan=record.backout_plan,
        window_start=start,
        in_freeze=in_freeze,
        business_hours=_business_hours(program),
        infra_score=_infra_score(stored),
    )


def _lines(commits: Iterable[Commit]) -> int:
    return sum(
        (c.added or 0) + (c.deleted or 0) for commit in commits for c in commit.changes or ()
    )


def _dependents(program: Program, services: tuple[str, ...]) -> set[str]:
    """Services that depend, directly or not, on any of ``services``."""
    found: set[str] = set()
    frontier = set(services)
    for _ in range(len(program.services)):
        step = {n for n, s in program.services.items() if set(s.depends_on) & frontier} - found
        if not step:
            break
        found |= step
        frontier = step
    return found - set(services)


def _hosts(program: Program, service: str) -> int:
    hosts = program.services[service].hosts
    return max((len(h) for h in hosts.values()), default=0)


def _passed(session: Session, name: str, commit: str, record: ChangeRecord) -> bool:
    stage = latest_stage(session, name=name, commit=commit, service=record.services[0])
    return stage is not None and stage.status == "passed"


def _recent_deployments(
    session: Session, services: tuple[str, ...], at: datetime
) -> tuple[int, int]:
    results = list(
        session.scalars(
            select(DeploymentRow.result).where(
                DeploymentRow.service.in_(list(services)),
                DeploymentRow.started_at >= at - RECENT,
                DeploymentRow.started_at <= at,
                DeploymentRow.result != "running",
            )
        )
    )
    return len(results), sum(1 for r in results if r in FAILED_RESULTS)


def _timing(program: Program, record: ChangeRecord) -> tuple[datetime | None, bool]:
    if record.window is None:
        return None, False
    zone = record.window.timezone or program.config.organization.timezone
    start, end = record.window.bounds(zone)
    production: list[str | None] = [e.name for e in program.config.environments if e.production]
    production = production or [None]
    frozen = any(
        windows_between(program, env=env, service=service, start=start, end=end)
        for env in production
        for service in record.services
    )
    return start.astimezone(ZoneInfo(zone)), frozen


def _business_hours(program: Program) -> BusinessHours | None:
    hours = program.config.organization.business_hours
    if hours is None:
        return None
    return BusinessHours(tuple(WEEKDAYS.index(d) for d in hours.days), hours.start, hours.end)


def _infra_score(stored: StoredChange | None) -> float | None:
    if stored is None or IMPACT_KEY not in stored.data:
        return None
    return infra_risk_score(impact_from(stored.data[IMPACT_KEY], f"{stored.id} infra_impact"))
