"""test_stages: every stage the environment requires passed, with tests run, at exactly the
commit being released."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rcim.release.rules.base import RuleResult
from rcim.release.stages import STATUS_SOURCE_PREFIX

if TYPE_CHECKING:
    from rcim.release.rules.base import RuleContext

NAME = "test_stages"


def evaluate(ctx: RuleContext) -> RuleResult:
    required = ctx.env.required_stages
    if not required:
        return RuleResult(NAME, "skip", f"{ctx.candidate.env} requires no test stages")
    problems: list[str] = []
    evidence: dict[str, Any] = {}
    for name in required:
        problem, detail = _stage(ctx, name)
        evidence[name] = detail
        if problem:
            problems.append(problem)
    if problems:
        return RuleResult(NAME, "fail", "; ".join(problems), evidence)
    commit = ctx.candidate.commit[:12]
    return RuleResult(NAME, "pass", f"{', '.join(required)} passed at {commit}", evidence)


def _stage(ctx: RuleContext, name: str) -> tuple[str | None, dict[str, Any]]:
    record = ctx.facts.stage(name)
    if record is None:
        elsewhere = list(ctx.facts.stage_commits_elsewhere(name))
        hint = (
            f" (recorded only for {', '.join(s[:12] for s in elsewhere[:3])})" if elsewhere else ""
        )
        return f"{name}: no result for commit {ctx.candidate.commit[:12]}{hint}", {
            "status": None,
            "other_commits": elsewhere,
        }
    detail = record.to_json()
    ran_nothing = record.tests - record.skipped <= 0
    if ran_nothing and not record.source.startswith(STATUS_SOURCE_PREFIX):
        return f"{name}: ran zero tests", detail
    if record.status != "passed":
        return f"{name}: failed: {record.reason}", detail
    return None, detail
