"""Deployment records in the store (the source of DORA metrics), their audit entries, and the
``rcim_deployments_total`` counter file for Prometheus' node-exporter textfile collector.

A deployment row is written ``running`` before any host changes, so a deploy that dies
leaves a trace that the next lock takeover closes as failed.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update

from rcim.store.audit import append_audit
from rcim.store.schema import DeploymentHostRow, DeploymentRow

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from sqlalchemy.orm import Session

    from rcim.deploy.model import DeploymentReport
    from rcim.store import Store

ID_LIMIT = 64
SOURCE = "rcim"
METRIC = "rcim_deployments_total"


def new_deployment(
    store: Store,
    *,
    service: str,
    env: str,
    version: str,
    commit: str,
    change_id: str | None,
    strategy: str,
    started_at: datetime,
    actor: str,
) -> str:
    """Insert the ``running`` row and return its readable, unique ID."""
    with store.transaction() as session:
        deployment_id = _unique_id(session, service, env, commit, started_at)
        session.add(
            DeploymentRow(
                id=deployment_id,
                service=service,
                env=env,
                version=version,
                commit_sha=commit,
                change_id=change_id,
                strategy=strategy,
                started_at=started_at,
                finished_at=None,
                result="running",
                source=SOURCE,
            )
        )
        append_audit(
            session,
            actor=actor,
            action="deploy.started",
            subject=deployment_id,
            payload={
                "service": service,
                "env": env,
                "version": version,
                "commit": commit,
                "change": change_id,
                "strategy": strategy,
            },
            at=started_at,
        )
    return deployment_id


def _unique_id(session: Session, service: str, env: str, commit: str, at: datetime) -> str:
    """``DEP-<service>-<env>-<UTC stamp>-<short sha>``, with ``-N`` when the second repeats."""
    stamp = at.strftime("%Y%m%dT%H%M%SZ")
    tail = f"-{env}-{stamp}-{commit[:7]}"
    base = f"DEP-{service[: ID_LIMIT - len(tail) - 8]}{tail}"
    candidate = base
    for index in range(2, 10_000):
        if session.get(DeploymentRow, candidate) is None:
            return candidate
        candidate = f"{base}-{index}"
    raise RuntimeError(f"no free deployment id after {base}")


def finish_deployment(store: Store, report: DeploymentReport, *, actor: str) -> None:
    """Store the result and per-host outcomes, and audit the deployment, in one transaction."""
    with store.transaction() as session:
        session.execute(
            update(DeploymentRow)
            .where(DeploymentRow.id == report.deployment_id)
            .values(result=report.result, finished_at=report.finished_at)
        )
        for outcome in report.hosts:
            session.add(
                DeploymentHostRow(
                    deployment_id=report.deployment_id,
                    host=outcome.host,
                    outcome=outcome.outcome,
                    started_at=outcome.started_at,
                    finished_at=outcome.finished_at,
                    detail=outcome.detail,
                )
            )
        append_audit(
            session,
            actor=actor,
            action="deploy.finished",
            subject=report.deployment_id,
            payload=_audit_payload(report),
            at=report.finished_at,
        )


def mark_rolled_back(
    session: Session, service: str, env: str, version: str, *, actor: str, at: datetime
) -> str | None:
    """A later rollback makes the deployment that brought ``version`` a failed change."""
    row = session.scalars(
        select(DeploymentRow)
        .where(
            DeploymentRow.service == service,
            DeploymentRow.env == env,
            DeploymentRow.version == version,
            DeploymentRow.result == "succeeded",
        )
        .order_by(DeploymentRow.started_at.desc(), DeploymentRow.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    row.result = "rolled_back"
    append_audit(
        session,
        actor=actor,
        action="deploy.marked_rolled_back",
        subject=row.id,
        payload={"service": service, "env": env, "version": version},
        at=at,
    )
    return row.id


def audit_event(
    store: Store, *, actor: str, action: str, subject: str, payload: dict[str, Any], at: datetime
) -> None:
    with store.transaction() as session:
        append_audit(session, actor=actor, action=action, subject=subject, payload=payload, at=at)


def last_deployment(session: Session, service: str, env: str) -> DeploymentRow | None:
    return session.scalars(
        select(DeploymentRow)
        .where(DeploymentRow.service == service, DeploymentRow.env == env)
        .order_by(DeploymentRow.started_at.desc(), DeploymentRow.id.desc())
        .limit(1)
    ).first()


def write_metrics_file(store: Store, program_root: Path) -> Path:
    """Rewrite ``.rcim/metrics/deployments.prom`` from the store (atomic replace)."""
    with store.transaction() as session:
        rows = session.execute(
            select(DeploymentRow.service, DeploymentRow.env, DeploymentRow.result, func.count())
            .group_by(DeploymentRow.service, DeploymentRow.env, DeploymentRow.result)
            .order_by(DeploymentRow.service, DeploymentRow.env, DeploymentRow.result)
        ).all()
    text = render_metrics([(s, e, r, int(n)) for s, e, r, n in rows])
    path = program_root / ".rcim" / "metrics" / "deployments.prom"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
    return path


def render_metrics(counts: list[tuple[str, str, str, int]]) -> str:
    """Prometheus text exposition of ``rcim_deployments_total{service, env, result}``."""
    lines = [
        f"# HELP {METRIC} Deployments recorded by rcim, by service, environment and result.",
        f"# TYPE {METRIC} counter",
    ]
    for service, env, result, count in counts:
        labels = f'service="{_escape(service)}",env="{_escape(env)}",result="{_escape(result)}"'
        lines.append(f"{METRIC}{{{labels}}} {count}")
    return "\n".join(lines) + "\n"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _audit_payload(report: DeploymentReport) -> dict[str, Any]:
    return {
        "service": report.service,
        "env": report.env,
        "version": report.version,
        "commit": report.commit,
        "strategy": report.strategy,
        "result": report.result,
        "reason": report.reason,
        "hosts": {outcome.host: outcome.outcome for outcome in report.hosts},
    }
