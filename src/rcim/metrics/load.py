"""Reading the recorded facts: deployments and incidents from the store, commits from git."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from rcim.gitscan import paused_gc, scan_all
from rcim.metrics.compute import History
from rcim.metrics.leadtime import lead_times
from rcim.metrics.records import Deployment, Incident
from rcim.store.schema import DeploymentRow, IncidentRow

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.orm import Session

    from rcim.metrics.compute import Scope


def load_deployments(session: Session) -> tuple[Deployment, ...]:
    rows = session.execute(
        select(
            DeploymentRow.id,
            DeploymentRow.service,
            DeploymentRow.env,
            DeploymentRow.version,
            DeploymentRow.commit_sha,
            DeploymentRow.started_at,
            DeploymentRow.finished_at,
            DeploymentRow.result,
            DeploymentRow.change_id,
        ).order_by(DeploymentRow.started_at, DeploymentRow.id)
    )
    return tuple(Deployment(*row) for row in rows)


def load_incidents(session: Session) -> tuple[Incident, ...]:
    rows = session.execute(
        select(
            IncidentRow.id,
            IncidentRow.service,
            IncidentRow.priority,
            IncidentRow.opened_at,
            IncidentRow.resolved_at,
            IncidentRow.impact,
            IncidentRow.caused_by_change,
            IncidentRow.caused_by_deployment,
        ).order_by(IncidentRow.opened_at, IncidentRow.id)
    )
    return tuple(Incident(*row) for row in rows)


def load_history(
    session: Session,
    scope: Scope,
    repo: Path | None,
) -> History:
    """Deployments, incidents and the lead times of ``scope``'s deployment stream.

    Git is read once, and only when there is a successful deployment to measure and a
    repository to read (``repo=None`` skips lead time).
    """
    with paused_gc():
        deployments = load_deployments(session)
        stream = [
            d for d in deployments if d.env == scope.env and scope.covers(d.service) and d.succeeded
        ]
        measured = None
        if repo is not None and stream:
            # Lead time needs only parents and author times: skip trailers (trailer_key=None).
            commits = scan_all(repo, extra_commits=[d.commit for d in stream], trailer_key=None)
            measured = lead_times(commits, stream)
        return History(deployments, load_incidents(session), measured)
