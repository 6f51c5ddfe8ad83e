"""change_window: the release happens inside the window of each change it implements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rcim.release.rules.base import RuleResult

if TYPE_CHECKING:
    from rcim.release.rules.base import RuleContext

NAME = "change_window"


def evaluate(ctx: RuleContext) -> RuleResult:
    at = ctx.candidate.at
    problems: list[str] = []
    evidence: dict[str, Any] = {"at": at.isoformat()}
    checked = [view for view in ctx.facts.changes() if view.record is not None]
    for view in checked:
        bounds = ctx.facts.window(view.id)
        if bounds is None:
            if view.type != "standard":
                problems.append(f"{view.id} has no window")
            continue
        start, end = bounds
        evidence[view.id] = {"start": start.isoformat(), "end": end.isoformat()}
        if not start <= at < end:
            problems.append(
                f"{at.isoformat()} is outside {view.id}'s window "
                f"{start.isoformat()} to {end.isoformat()}"
            )
    if not checked:
        return RuleResult(NAME, "skip", "no change record with a window", evidence)
    if problems:
        return RuleResult(NAME, "fail", "; ".join(problems), evidence)
    return RuleResult(NAME, "pass", "inside every change window", evidence)
