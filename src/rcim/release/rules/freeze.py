"""freeze: no freeze window of the calendar applies at the moment of the release; a valid
break-glass passes with a warning."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.release.rules.base import RuleResult, break_glass_problem

if TYPE_CHECKING:
    from rcim.release.calendar import ActiveWindow
    from rcim.release.rules.base import RuleContext

NAME = "freeze"


def evaluate(ctx: RuleContext) -> RuleResult:
    windows = ctx.facts.active_freezes()
    at = ctx.candidate.at.isoformat()
    evidence = {
        "at": at,
        "windows": [
            {
                "name": w.name,
                "kind": w.kind,
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                "source": w.source,
            }
            for w in windows
        ],
    }
    if not windows:
        return RuleResult(NAME, "pass", f"no freeze at {at}", evidence)
    names = ", ".join(_describe(w) for w in windows)
    if ctx.candidate.emergency and break_glass_problem(ctx) is None:
        return RuleResult(NAME, "warn", f"break-glass bypasses freeze: {names}", evidence)
    return RuleResult(NAME, "fail", f"inside freeze: {names}", evidence)


def _describe(window: ActiveWindow) -> str:
    """An iCal window's name is the calendar's; the event (e.g. the holiday) is in its source."""
    what = f"{window.name}: {window.source}" if window.kind == "ical" else window.name
    return f"{what} (until {window.end.isoformat()})"
