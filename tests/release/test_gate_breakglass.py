"""Break-glass: only for emergency changes with an ECAB approval, always audited, and followed
by a post-implementation review that ``rcim change list`` keeps showing."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from release.conftest import (
    SERVICE,
    gate,
    insert_deployment,
    new_change,
    ok,
    pass_stages,
    reasons,
    statuses,
)

if TYPE_CHECKING:
    from release.conftest import Program

pytestmark = pytest.mark.slow
FROZEN = "2026-12-23T10:00:00+01:00"


def _emergency(program: Program, *approvers: str) -> tuple[str, str]:
    change = new_change(program, change_type="emergency", author="tomas")
    program.git("add", "release/changes")
    sha = program.commit(f"apps/{SERVICE}/hotfix.py", "HOT = 1\n", f"Hotfix\n\nChange: {change}")
    ok(program.rcim("change", "submit", change, "--as", "tomas"))
    for person in approvers:
        ok(program.rcim("change", "approve", change, "--as", person))
    pass_stages(program, sha)
    return change, sha


def _audit_actions(program: Program) -> list[str]:
    lines = ok(program.rcim("audit", "export")).stdout.splitlines()
    return [json.loads(line)["action"] for line in lines]


def test_break_glass_passes_a_freeze_with_an_ecab_approval(program: Program) -> None:
    change, _ = _emergency(program, "jana")
    result, decision = gate(
        program, "staging", "--emergency", "--reason", "Tracking down for all customers", at=FROZEN
    )
    assert result.code == 0, reasons(decision)
    assert decision["emergency"] is True
    assert statuses(decision)["approvals"] == "warn"
    actions = _audit_actions(program)
    assert "gate.break_glass" in actions
    assert "change.review_required" in actions
    listed = json.loads(ok(program.rcim("change", "list", "--format", "json")).stdout)
    assert [row["needs_review"] for row in listed if row["id"] == change] == [True]
    assert "review due" in ok(program.rcim("change", "list")).stdout


def test_break_glass_bypasses_the_production_freeze(program: Program) -> None:
    _, sha = _emergency(program, "jana")
    insert_deployment(program, "staging", sha)
    result, decision = gate(program, "production", "--emergency", "--reason", "P1", at=FROZEN)
    assert result.code == 0, reasons(decision)
    assert statuses(decision)["freeze"] == "warn"
    _, normal = gate(program, "production", at=FROZEN)
    assert statuses(normal)["freeze"] == "fail"


def test_break_glass_without_ecab_approval_is_denied_and_audited(program: Program) -> None:
    _emergency(program)
    result, decision = gate(program, "staging", "--emergency", "--reason", "urgent", at=FROZEN)
    assert result.code == 1
    assert "ECAB approval" in reasons(decision)["approvals"]
    assert "gate.break_glass" in _audit_actions(program)


def test_break_glass_is_refused_for_a_normal_change(released: tuple[Program, str, str]) -> None:
    program, _, _ = released
    result, decision = gate(program, "production", "--emergency", "--reason", "x", at=FROZEN)
    assert result.code == 1
    assert "emergency" in reasons(decision)["approvals"]
    assert statuses(decision)["freeze"] == "fail"


def test_break_glass_needs_a_reason(program: Program) -> None:
    result = program.rcim("gate", "check", "--service", SERVICE, "--env", "staging", "--emergency")
    assert result.code == 2
    assert "--reason" in result.stderr
