"""approvals: each normal or emergency change has enough current approvals from the roles the
policy names for its type and risk level (or, under break-glass, one ECAB approval)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rcim.release.rules.base import RuleResult, break_glass_problem

if TYPE_CHECKING:
    from rcim.release.rules.base import ChangeView, RuleContext

NAME = "approvals"


def evaluate(ctx: RuleContext) -> RuleResult:
    changes = ctx.assessed_changes()
    if ctx.candidate.emergency:
        problem = break_glass_problem(ctx)
        if problem is not None:
            return RuleResult(NAME, "fail", problem)
        return RuleResult(NAME, "warn", "break-glass: ECAB approval present; counts bypassed")
    if not changes:
        return RuleResult(
            NAME, "pass", "no normal or emergency change: standard changes are pre-authorised"
        )
    problems: list[str] = []
    evidence: dict[str, Any] = {}
    for view in changes:
        problem, detail = _check(ctx, view)
        evidence[view.id] = detail
        if problem:
            problems.append(problem)
    if problems:
        return RuleResult(NAME, "fail", "; ".join(problems), evidence)
    return RuleResult(NAME, "pass", "approvals complete for " + ", ".join(evidence), evidence)


def _check(ctx: RuleContext, view: ChangeView) -> tuple[str | None, dict[str, Any]]:
    assert view.type is not None
    level = ctx.facts.risk(view.id).level
    requirement = ctx.env.approvals.get(view.type, {}).get(level)  # type: ignore[call-overload]
    if requirement is None:
        return f"{view.id}: policy has no approval rule for {view.type}/{level}", {"risk": level}
    tally = ctx.facts.approval_tally(
        view.id, requirement, require_signatures=ctx.env.require_signatures
    )
    detail = {
        "risk": level,
        "needed": tally.needed,
        "roles": list(tally.roles),
        "counted": list(tally.counted),
        "ignored": {person: why for person, why in tally.ignored},
        "rejected_by": list(tally.rejected_by),
    }
    if tally.rejected_by:
        return f"{view.id}: rejected by {', '.join(tally.rejected_by)}", detail
    if not tally.satisfied:
        why = "; ".join(f"{p}: {w}" for p, w in tally.ignored)
        text = (
            f"{view.id}: {len(tally.counted)} of {tally.needed} approvals ({level} risk, roles "
            f"{'/'.join(tally.roles)})"
        )
        return text + (f"; not counted: {why}" if why else ""), detail
    return None, detail
