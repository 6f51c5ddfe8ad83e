"""The gate's rules, one module each, registered in one place: ``RULES``.

The order is the order of the contract in DESIGN.md and of every report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.release.rules import (
    approvals,
    backout_plan,
    change_record,
    change_window,
    conflicts,
    freeze,
    incidents,
    promotion,
    risk,
    test_stages,
)
from rcim.release.rules.base import (
    BLOCKING,
    Candidate,
    ChangeView,
    GateFacts,
    IncidentView,
    Rule,
    RuleContext,
    RuleResult,
    RuleStatus,
)

if TYPE_CHECKING:
    from rcim.program.policy import RuleName

RULES: dict[RuleName, Rule] = {
    "change_record": change_record.evaluate,
    "approvals": approvals.evaluate,
    "test_stages": test_stages.evaluate,
    "promotion": promotion.evaluate,
    "freeze": freeze.evaluate,
    "change_window": change_window.evaluate,
    "incidents": incidents.evaluate,
    "conflicts": conflicts.evaluate,
    "risk": risk.evaluate,
    "backout_plan": backout_plan.evaluate,
}

__all__ = [
    "BLOCKING",
    "RULES",
    "Candidate",
    "ChangeView",
    "GateFacts",
    "IncidentView",
    "Rule",
    "RuleContext",
    "RuleResult",
    "RuleStatus",
]
