"""The one place ``rcim deploy`` asks the release gate for permission. It fails closed.

Until the release gate module exists, the hook reads the gate's recorded decisions: a deploy
of (service, env, commit) is allowed only when the latest ``gate_decisions`` row for exactly
that triple says ``allow`` and was decided within the last 24 hours. No decision, a later
``deny``, or an older ``allow`` refuses, with the reason. When ``rcim.release`` provides the
gate, this hook is where it is called; the CLI and the deploy engine do not change.

``rcim deploy --skip-gate --reason R`` bypasses the hook; the bypass is audited and shown in
red, so an emergency deploy stays visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from rcim.store.schema import GateDecisionRow

if TYPE_CHECKING:
    from datetime import datetime

    from rcim.program.loader import Program
    from rcim.store import Store

DECISION_MAX_AGE = timedelta(hours=24)


@dataclass(frozen=True)
class GateVerdict:
    """Whether the deploy may proceed, and why."""

    allowed: bool
    reasons: tuple[str, ...]
    decision_id: int | None = None
    change_id: str | None = None


def evaluate_deploy_gate(
    program: Program, service: str, env: str, commit: str, *, store: Store, now: datetime
) -> GateVerdict:
    """Allow only on a fresh ``allow`` decision for exactly (service, env, commit)."""
    with store.transaction() as session:
        row = session.scalars(
            select(GateDecisionRow)
            .where(
                GateDecisionRow.service == service,
                GateDecisionRow.env == env,
                GateDecisionRow.commit_sha == commit,
            )
            .order_by(GateDecisionRow.decided_at.desc(), GateDecisionRow.id.desc())
            .limit(1)
        ).first()
    check = f"rcim gate check --service {service} --env {env} --commit {commit}"
    if row is None:
        return GateVerdict(False, (f"no gate decision for commit {commit[:12]}; run '{check}'",))
    if row.decision != "allow":
        why = row.reason or "see the decision's rules"
        return GateVerdict(False, (f"the gate denied commit {commit[:12]}: {why}",), row.id)
    age = now - row.decided_at
    if age > DECISION_MAX_AGE:
        hours = age.total_seconds() / 3600
        reason = f"the allow decision {row.id} is {hours:.0f}h old (limit 24h); run '{check}'"
        return GateVerdict(False, (reason,), row.id, row.change_id)
    reason = f"gate decision {row.id} allowed commit {commit[:12]} at {row.decided_at.isoformat()}"
    return GateVerdict(True, (reason,), row.id, row.change_id)
