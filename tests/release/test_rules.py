"""Gate rules against fake evidence: the functional core, without git or a store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest

from rcim.changes.approvals import ApprovalTally
from rcim.changes.model import ChangeRecord
from rcim.changes.risk import RiskAssessment
from rcim.program.policy import Policy
from rcim.release.gate import evaluate_gate
from rcim.release.rules import RULES, Candidate, ChangeView, RuleContext, RuleResult

if TYPE_CHECKING:
    from collections.abc import Sequence

AT = datetime(2026, 6, 10, 8, tzinfo=UTC)
CANDIDATE = Candidate("shipment-tracking", "staging", "a" * 40, AT)
POLICY = Policy.model_validate(
    {
        "risk": {"weights": {"backout": 1.0}, "levels": {"medium": 4.0, "high": 7.0}},
        "environments": {
            "staging": {
                "required_stages": ("unit",),
                "approvals": {
                    "normal": {
                        lvl: {"count": 1, "roles": ("cab",)} for lvl in ("low", "medium", "high")
                    }
                },
                "rules": {"conflicts": {"enabled": False}},
            }
        },
    }
)


@dataclass
class FakeFacts:
    """Evidence with nothing wrong, unless a test says otherwise."""

    views: list[ChangeView] = field(default_factory=list)
    approved: bool = True

    def range_reason(self) -> str:
        return "test"

    def commit_links(self) -> Sequence[Any]:
        return []

    def changes(self) -> Sequence[ChangeView]:
        return self.views

    def risk(self, change_id: str) -> RiskAssessment:
        return RiskAssessment(2.0, "low", ())

    def approval_tally(
        self, change_id: str, requirement: Any, *, require_signatures: bool
    ) -> ApprovalTally:
        counted = ("martin",) if self.approved else ()
        return ApprovalTally(requirement.count, tuple(requirement.roles), counted, (), ())

    def stage(self, name: str) -> Any:
        return None

    def stage_commits_elsewhere(self, name: str) -> Sequence[str]:
        return ["b" * 40]

    def promoted(self, source_env: str) -> str | None:
        return None

    def active_freezes(self) -> Sequence[Any]:
        return []

    def open_incidents(self, priorities: Sequence[str]) -> Sequence[Any]:
        return []

    def conflicts(self, change_id: str) -> Sequence[Any]:
        return []

    def window(self, change_id: str) -> tuple[datetime, datetime] | None:
        return None


def _view(backout: str = "Roll back with rcim rollback to the last release") -> ChangeView:
    record = ChangeRecord.model_validate(
        {
            "id": "CHG-2026-0001",
            "type": "normal",
            "title": "t",
            "services": ("shipment-tracking",),
            "author": "tomas",
            "backout_plan": backout,
        }
    )
    return ChangeView("CHG-2026-0001", record, None)


def _context(rule: str, facts: FakeFacts) -> RuleContext:
    env = POLICY.environments["staging"]
    return RuleContext(CANDIDATE, POLICY, env, env.rule(rule), facts)  # type: ignore[arg-type]


def test_the_registry_holds_the_ten_rules_of_the_contract() -> None:
    assert list(RULES) == [
        "change_record",
        "approvals",
        "test_stages",
        "promotion",
        "freeze",
        "change_window",
        "incidents",
        "conflicts",
        "risk",
        "backout_plan",
    ]


def test_a_rule_that_raises_is_an_error_and_the_gate_denies() -> None:
    def broken(ctx: RuleContext) -> RuleResult:
        raise RuntimeError("evidence unavailable")

    rules = {**RULES, "freeze": broken}
    decision = evaluate_gate(CANDIDATE, POLICY, FakeFacts([_view()]), rules=rules)  # type: ignore[arg-type]
    freeze = next(r for r in decision.results if r.rule == "freeze")
    assert freeze.status == "error"
    assert "RuntimeError: evidence unavailable" in freeze.reason
    assert decision.decision == "deny"


def test_a_disabled_rule_is_skipped() -> None:
    decision = evaluate_gate(CANDIDATE, POLICY, FakeFacts([_view()]))  # type: ignore[arg-type]
    conflicts = next(r for r in decision.results if r.rule == "conflicts")
    assert (conflicts.status, conflicts.reason) == ("skip", "disabled in release/policy.yaml")


def test_stage_recorded_only_for_another_commit_is_named() -> None:
    result = RULES["test_stages"](_context("test_stages", FakeFacts([_view()])))
    assert result.status == "fail"
    assert "recorded only for bbbbbbbbbbbb" in result.reason


@pytest.mark.parametrize(
    ("backout", "status"), [("", "fail"), ("Roll back: rcim rollback", "pass")]
)
def test_backout_plan(backout: str, status: str) -> None:
    result = RULES["backout_plan"](_context("backout_plan", FakeFacts([_view(backout)])))
    assert result.status == status


def test_approvals_count_against_the_policy() -> None:
    assert RULES["approvals"](_context("approvals", FakeFacts([_view()]))).status == "pass"
    missing = RULES["approvals"](_context("approvals", FakeFacts([_view()], approved=False)))
    assert missing.status == "fail"
    assert "0 of 1 approvals (low risk, roles cab)" in missing.reason


def test_no_change_at_all_fails_change_record() -> None:
    result = RULES["change_record"](_context("change_record", FakeFacts()))
    assert (result.status, result.reason) == ("fail", "no change record covers this release")
