"""incidents: no open incident of a blocking priority on the service, unless a change of this
release is recorded as its fix (``fixes:`` in the change record)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.release.rules.base import RuleResult

if TYPE_CHECKING:
    from rcim.release.rules.base import RuleContext

NAME = "incidents"
DEFAULT_PRIORITIES = ("P1", "P2")


def evaluate(ctx: RuleContext) -> RuleResult:
    priorities = ctx.param_strings("blocking_priorities", DEFAULT_PRIORITIES)
    incidents = ctx.facts.open_incidents(priorities)
    fixed = {i for view in ctx.facts.changes() if view.record for i in view.record.fixes}
    blocking = [i for i in incidents if i.id not in fixed]
    evidence = {
        "priorities": list(priorities),
        "open": [{"id": i.id, "priority": i.priority, "title": i.title} for i in incidents],
        "fixed_by_this_release": sorted(i.id for i in incidents if i.id in fixed),
    }
    service = ctx.candidate.service
    if blocking:
        shown = ", ".join(f"{i.id} ({i.priority}: {i.title})" for i in blocking)
        return RuleResult(NAME, "fail", f"open incident on {service}: {shown}", evidence)
    if incidents:
        return RuleResult(NAME, "pass", "open incidents are fixed by this release", evidence)
    return RuleResult(
        NAME, "pass", f"no open {'/'.join(priorities)} incident on {service}", evidence
    )
