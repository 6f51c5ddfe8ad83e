"""The one place ``rcim deploy`` asks the release gate for permission. It fails closed.

Every deploy evaluates the gate afresh for exactly (service, env, commit) at the moment it
starts, records the decision (so ``gate_decisions`` and the audit log show why it went ahead
or not) and proceeds only on ``allow``. A program without a release policy cannot be gated,
so it is denied.

``rcim deploy --skip-gate --reason R`` bypasses the hook; the bypass is audited and shown in
red, so an emergency deploy stays visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rcim.release.evidence import StoreGateFacts
from rcim.release.gate import evaluate_gate, record_decision
from rcim.release.rules.base import Candidate

if TYPE_CHECKING:
    from datetime import datetime

    from rcim.program.loader import Program
    from rcim.store import Store


@dataclass(frozen=True)
class GateVerdict:
    """Whether the deploy may proceed, and why."""

    allowed: bool
    reasons: tuple[str, ...]
    decision_id: int | None = None
    change_id: str | None = None


def evaluate_deploy_gate(
    program: Program,
    service: str,
    env: str,
    commit: str,
    *,
    store: Store,
    now: datetime,
    change_id: str | None = None,
    actor: str = "rcim-deploy",
) -> GateVerdict:
    """Run every gate rule for this exact candidate and record the decision."""
    if program.policy is None:
        return GateVerdict(False, ("no release/policy.yaml: the gate cannot decide, so it denies",))
    candidate = Candidate(service, env, commit, now, change_id)
    with store.transaction() as session:
        facts = StoreGateFacts(program, program.policy, session, program.root, candidate)
        decision = evaluate_gate(candidate, program.policy, facts)
        decision = record_decision(session, decision, actor=actor, decided_at=now)
    if decision.allowed:
        reason = f"gate decision {decision.decision_id} allowed commit {commit[:12]}"
        return GateVerdict(True, (reason,), decision.decision_id, decision.change)
    why = decision.deny_reason or "see the decision's rules"
    reason = f"gate decision {decision.decision_id} denied commit {commit[:12]}: {why}"
    return GateVerdict(False, (reason,), decision.decision_id, decision.change)
