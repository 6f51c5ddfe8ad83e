"""promotion: the same commit was deployed successfully (and so verified) to the source
environment first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.release.rules.base import RuleResult

if TYPE_CHECKING:
    from rcim.release.rules.base import RuleContext

NAME = "promotion"


def evaluate(ctx: RuleContext) -> RuleResult:
    source = ctx.env.promotion_from
    commit = ctx.candidate.commit
    if source is None:
        return RuleResult(NAME, "skip", f"{ctx.candidate.env} has no promotion source")
    deployment = ctx.facts.promoted(source)
    evidence = {"from": source, "deployment": deployment}
    if deployment is None:
        return RuleResult(
            NAME,
            "fail",
            f"commit {commit[:12]} was not deployed successfully to {source}",
            evidence,
        )
    return RuleResult(
        NAME, "pass", f"commit {commit[:12]} verified in {source} ({deployment})", evidence
    )
