"""change_record: every commit of the release is covered by a releasable change record or a
standard-change template, and some change is about the gated service."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.changes.lifecycle import RELEASABLE
from rcim.release.rules.base import RuleResult

if TYPE_CHECKING:
    from rcim.release.rules.base import ChangeView, RuleContext

NAME = "change_record"


def evaluate(ctx: RuleContext) -> RuleResult:
    links = ctx.facts.commit_links()
    changes = {view.id: view for view in ctx.facts.changes()}
    problems = [p for view in changes.values() if (p := _change_problem(ctx, view)) is not None]
    uncovered = [
        f"{link.commit.sha[:12]} {link.commit.subject}" for link in links if not link.covered
    ]
    if uncovered:
        problems.append(f"{len(uncovered)} commit(s) name no change: {'; '.join(uncovered[:5])}")
    standard = sorted({link.standard for link in links if link.standard})
    evidence = {
        "range": ctx.facts.range_reason(),
        "commits": len(links),
        "changes": {
            view.id: view.stored.state if view.stored else None for view in changes.values()
        },
        "standard": standard,
        "uncovered": uncovered,
    }
    if not changes and not standard:
        return RuleResult(NAME, "fail", "no change record covers this release", evidence)
    about = [v for v in changes.values() if v.record and ctx.candidate.service in v.record.services]
    if changes and not about and not standard:
        problems.append(f"no change names service {ctx.candidate.service}")
    if problems:
        return RuleResult(NAME, "fail", "; ".join(problems), evidence)
    covered = ", ".join([*changes, *standard])
    return RuleResult(NAME, "pass", f"{len(links)} commit(s) covered by {covered}", evidence)


def _change_problem(ctx: RuleContext, view: ChangeView) -> str | None:
    if view.record is None:
        return f"{view.id} has no record file"
    if view.stored is None:
        return f"{view.id} was not submitted"
    allowed = set(RELEASABLE)
    if ctx.candidate.emergency and view.record.type == "emergency":
        allowed.add("authorize")
    if view.stored.state not in allowed:
        return f"{view.id} is in state '{view.stored.state}' (needs {' or '.join(sorted(allowed))})"
    return None
