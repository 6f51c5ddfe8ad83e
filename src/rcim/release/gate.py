"""The release gate: evaluate every rule, decide, record and explain.

``evaluate_gate`` runs the registered rules in order against the evidence. It fails closed: a
rule that raises is reported with status ``error`` and the decision is ``deny``. Bad input (a
malformed change record or calendar) is not a rule failure: it propagates as the user's error,
before anything is stored. ``record_decision`` writes the decision and its audit entries in the
caller's transaction; a break-glass release also flags its changes for post-implementation review.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from rcim.changes.tracking import PIR_REQUIRED, mark_change
from rcim.errors import InvalidInputError
from rcim.release.rules import BLOCKING, RULES, RuleContext, RuleResult
from rcim.store import append_audit
from rcim.store.schema import GateDecisionRow

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from sqlalchemy.orm import Session

    from rcim.program.policy import Policy, RuleName
    from rcim.release.rules import Candidate, GateFacts, Rule

Verdict = Literal["allow", "deny"]


@dataclass(frozen=True)
class GateDecision:
    candidate: Candidate
    decision: Verdict
    change: str | None
    results: tuple[RuleResult, ...]
    decision_id: int | None = None

    @property
    def allowed(self) -> bool:
        return self.decision == "allow"

    @property
    def deny_reason(self) -> str | None:
        blocking = [f"{r.rule}: {r.reason}" for r in self.results if r.status in BLOCKING]
        return "; ".join(blocking) or None

    def to_json(self) -> dict[str, Any]:
        """Exactly the contract's shape (DESIGN.md)."""
        return {
            "decision": self.decision,
            "service": self.candidate.service,
            "env": self.candidate.env,
            "commit": self.candidate.commit,
            "change": self.change,
            "emergency": self.candidate.emergency,
            "decision_id": self.decision_id,
            "rules": [result.to_json() for result in self.results],
        }


def evaluate_gate(
    candidate: Candidate,
    policy: Policy,
    facts: GateFacts,
    *,
    rules: Mapping[RuleName, Rule] = RULES,
) -> GateDecision:
    """Run every rule; ``allow`` only when none fails or errors."""
    env = policy.environments.get(candidate.env)
    if env is None:
        known = ", ".join(policy.environments)
        raise InvalidInputError(f"--env {candidate.env}: not in release/policy.yaml ({known})")
    results = []
    for name, rule in rules.items():
        setting = env.rule(name)
        if not setting.enabled:
            results.append(RuleResult(name, "skip", "disabled in release/policy.yaml"))
            continue
        context = RuleContext(candidate, policy, env, setting, facts)
        results.append(_run(name, rule, context))
    blocked = any(result.status in BLOCKING for result in results)
    return GateDecision(
        candidate, "deny" if blocked else "allow", _primary_change(candidate, facts), tuple(results)
    )


def record_decision(
    session: Session, decision: GateDecision, *, actor: str, decided_at: datetime
) -> GateDecision:
    """Store the decision, audit it (and any break-glass), and return it with its ID."""
    candidate = decision.candidate
    reason = candidate.reason if candidate.emergency else decision.deny_reason
    row = GateDecisionRow(
        service=candidate.service,
        env=candidate.env,
        commit_sha=candidate.commit,
        change_id=decision.change,
        decision=decision.decision,
        emergency=candidate.emergency,
        reason=reason,
        rules=[r.to_json() for r in decision.results],
        decided_at=decided_at,
    )
    session.add(row)
    session.flush()
    stored = replace(decision, decision_id=row.id)
    append_audit(
        session,
        actor=actor,
        action="gate.decision",
        subject=_subject(candidate),
        payload=stored.to_json() | {"at": candidate.at.isoformat(), "reason": reason},
        at=decided_at,
    )
    if candidate.emergency:
        _audit_break_glass(session, stored, actor=actor, at=decided_at)
    return stored


def decision_markdown(decision: GateDecision) -> str:
    """The decision for a GitHub step summary or a pull-request comment."""
    candidate = decision.candidate
    icon = "✅" if decision.allowed else "⛔"
    lines = [
        f"## {icon} Release gate: **{decision.decision}** {candidate.service} → {candidate.env}",
        "",
        f"Commit `{candidate.commit[:12]}` · change {decision.change or '—'} · "
        f"at {candidate.at.isoformat()}" + (" · **break-glass**" if candidate.emergency else ""),
        "",
        "| rule | status | reason |",
        "|---|---|---|",
    ]
    lines += [f"| {r.rule} | {r.status} | {_cell(r.reason)} |" for r in decision.results]
    return "\n".join(lines) + "\n"


def _run(name: str, rule: Rule, context: RuleContext) -> RuleResult:
    try:
        return rule(context)
    except InvalidInputError:
        raise
    except Exception as error:  # any failure of a rule denies: the gate fails closed
        return RuleResult(name, "error", f"rule raised {type(error).__name__}: {error}")


def _primary_change(candidate: Candidate, facts: GateFacts) -> str | None:
    if candidate.change_id is not None:
        return candidate.change_id
    try:
        views = list(facts.changes())
    except InvalidInputError:
        raise
    except Exception:  # the change_record rule reports the same failure
        return None
    about = [v.id for v in views if v.record and candidate.service in v.record.services]
    ids = about or [v.id for v in views]
    return ids[0] if ids else None


def _audit_break_glass(
    session: Session, decision: GateDecision, *, actor: str, at: datetime
) -> None:
    candidate = decision.candidate
    payload = {
        "decision": decision.decision,
        "decision_id": decision.decision_id,
        "reason": candidate.reason,
        "change": decision.change,
    }
    append_audit(
        session,
        actor=actor,
        action="gate.break_glass",
        subject=_subject(candidate),
        payload=payload,
        at=at,
    )
    if decision.allowed and decision.change is not None:
        mark_change(
            session,
            decision.change,
            {PIR_REQUIRED: True},
            actor=actor,
            action="change.review_required",
            at=at,
        )


def _subject(candidate: Candidate) -> str:
    return f"gate:{candidate.service}:{candidate.env}:{candidate.commit}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
