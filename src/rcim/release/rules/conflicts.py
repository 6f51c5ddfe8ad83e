"""conflicts: no other open change is scheduled in an overlapping window on the same service
or on a service that depends on it (or that it depends on)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.release.rules.base import RuleResult

if TYPE_CHECKING:
    from rcim.release.calendar import Conflict
    from rcim.release.rules.base import RuleContext

NAME = "conflicts"


def evaluate(ctx: RuleContext) -> RuleResult:
    found: list[Conflict] = []
    for view in ctx.facts.changes():
        found.extend(ctx.facts.conflicts(view.id))
    evidence = {
        "conflicts": [
            {"first": c.first, "second": c.second, "relation": c.relation, "reason": c.reason}
            for c in found
        ]
    }
    if found:
        return RuleResult(NAME, "fail", "; ".join(c.reason for c in found), evidence)
    return RuleResult(
        NAME, "pass", "no overlapping change on this or a dependent service", evidence
    )
