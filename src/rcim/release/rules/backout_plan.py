"""backout_plan: every normal or emergency change says how to undo it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.release.rules.base import RuleResult

if TYPE_CHECKING:
    from rcim.release.rules.base import RuleContext

NAME = "backout_plan"
DEFAULT_MIN_LENGTH = 20


def evaluate(ctx: RuleContext) -> RuleResult:
    minimum = ctx.setting.params.get("min_length", DEFAULT_MIN_LENGTH)
    if not isinstance(minimum, int) or isinstance(minimum, bool):
        raise TypeError(f"parameter min_length must be an integer, got {minimum!r}")
    changes = ctx.assessed_changes()
    if not changes:
        return RuleResult(NAME, "skip", "standard changes follow their template's backout")
    lengths = {v.id: len(v.record.backout_plan.strip()) if v.record else 0 for v in changes}
    short = [ident for ident, length in lengths.items() if length < minimum]
    evidence = {"min_length": minimum, "lengths": lengths}
    if short:
        reason = f"{', '.join(short)}: backout plan missing or shorter than {minimum} characters"
        return RuleResult(NAME, "fail", reason, evidence)
    return RuleResult(NAME, "pass", "every change has a backout plan", evidence)
