"""risk: each change's assessed risk level is within what the environment allows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rcim.program.types import RISK_LEVELS
from rcim.release.rules.base import RuleResult

if TYPE_CHECKING:
    from rcim.release.rules.base import RuleContext

NAME = "risk"


def evaluate(ctx: RuleContext) -> RuleResult:
    ceiling = ctx.env.max_risk
    changes = ctx.assessed_changes()
    if not changes:
        return RuleResult(NAME, "skip", "no normal or emergency change to assess")
    evidence: dict[str, Any] = {"max_risk": ceiling}
    problems: list[str] = []
    for view in changes:
        assessment = ctx.facts.risk(view.id)
        evidence[view.id] = {"score": assessment.score, "level": assessment.level}
        if RISK_LEVELS.index(assessment.level) > RISK_LEVELS.index(ceiling):
            problems.append(f"{view.id} is {assessment.level} risk ({assessment.score:.2f})")
    if problems:
        limit = f"{ctx.candidate.env} allows up to {ceiling}"
        return RuleResult(NAME, "fail", f"{'; '.join(problems)}; {limit}", evidence)
    return RuleResult(NAME, "pass", f"risk within {ceiling}", evidence)
