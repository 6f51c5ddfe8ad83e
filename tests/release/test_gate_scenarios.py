"""The release gate through the real CLI on real git repositories built from the ABC example."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

import pytest

from rcim.store.schema import AuditLogRow, GateDecisionRow
from release.conftest import (
    SERVICE,
    count_rows,
    gate,
    insert_deployment,
    insert_incident,
    new_change,
    ok,
    pass_stages,
    ready_change,
    reasons,
    statuses,
)

if TYPE_CHECKING:
    from pathlib import Path

    from release.conftest import Program

pytestmark = pytest.mark.slow


def test_denies_a_release_without_any_change_record(program: Program) -> None:
    sha = program.commit(f"apps/{SERVICE}/x.py", "X = 1\n", "Quick fix without a change")
    pass_stages(program, sha, "unit", "integration")
    result, decision = gate(program, "staging")
    assert result.code == 1
    assert decision["decision"] == "deny"
    assert statuses(decision)["change_record"] == "fail"
    assert "no change record" in reasons(decision)["change_record"]
    assert decision["change"] is None


def test_deploy_runs_the_gate_itself_and_proceeds_only_on_allow(program: Program) -> None:
    """rcim deploy evaluates the gate for its exact commit; no --skip-gate needed once it holds."""
    from deploy.helpers import stop_all_hosts

    change, sha = ready_change(program)
    deploy = ("deploy", "--service", SERVICE, "--env", "staging", "--version", "1.0.0")
    try:
        denied = program.rcim(*deploy)  # stages not recorded yet: test_stages fails
        assert denied.code == 1, denied.output
        assert "test_stages" in denied.stderr
        pass_stages(program, sha, "unit", "integration")
        allowed = program.rcim(*deploy)
        assert allowed.code == 0, allowed.output
    finally:
        stop_all_hosts(program.root)
    assert count_rows(program, GateDecisionRow) == 2
    assert change in allowed.stdout or sha[:12] in allowed.stdout


def test_denies_when_one_commit_in_range_names_no_change(program: Program) -> None:
    change, _ = ready_change(program)
    sha = program.commit(f"apps/{SERVICE}/y.py", "Y = 1\n", "Sneaky extra commit")
    pass_stages(program, sha)
    _, decision = gate(program, "staging")
    assert decision["decision"] == "deny"
    assert statuses(decision)["change_record"] == "fail"
    assert "Sneaky extra commit" in reasons(decision)["change_record"]
    assert decision["change"] == change


def test_allows_staging_when_everything_holds(program: Program) -> None:
    change, sha = ready_change(program)
    pass_stages(program, sha, "unit", "integration")
    result, decision = gate(program, "staging")
    assert result.code == 0, result.output
    assert decision["decision"] == "allow"
    assert decision["commit"] == sha
    assert decision["change"] == change
    assert decision["emergency"] is False
    assert isinstance(decision["decision_id"], int)
    assert [r["rule"] for r in decision["rules"]] == [
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
    assert set(decision["rules"][0]) == {"rule", "status", "reason", "evidence"}
    assert count_rows(program, GateDecisionRow) == 1


def test_allows_production_when_everything_holds(released: tuple[Program, str, str]) -> None:
    program, change, _ = released
    result, decision = gate(program, "production")
    assert result.code == 0, result.output
    assert decision["change"] == change
    assert statuses(decision)["promotion"] == "pass"
    assert statuses(decision)["approvals"] == "pass"


def test_denies_when_approvals_are_missing(program: Program) -> None:
    _, sha = ready_change(program, approvers=("anna",))
    pass_stages(program, sha, "unit", "integration")
    _, decision = gate(program, "staging")
    assert decision["decision"] == "deny"
    assert statuses(decision)["approvals"] == "fail"
    assert "0 of 1 approvals" in reasons(decision)["approvals"]
    assert "anna: holds none of the roles" in reasons(decision)["approvals"]


def test_an_approver_who_authored_a_commit_is_refused_and_does_not_count(program: Program) -> None:
    change, _ = ready_change(program, approvers=("eva",))
    sha = program.commit(
        f"apps/{SERVICE}/fix.py",
        "F = 1\n",
        f"Tweak\n\nChange: {change}",
        email="martin.dvorak@abc-logistics.example",
    )
    refused = program.rcim("change", "approve", change, "--as", "martin")
    assert refused.code == 2
    assert "authored commits of the change" in refused.stderr
    approved_by_author = program.rcim("change", "approve", change, "--as", "tomas")
    assert approved_by_author.code == 2
    pass_stages(program, sha)
    _, decision = gate(program, "staging")
    assert decision["decision"] == "deny"
    assert statuses(decision)["approvals"] == "fail"


def test_a_new_commit_makes_an_approval_stale(program: Program) -> None:
    change, _ = ready_change(program, approvers=("martin",))
    sha = program.commit(f"apps/{SERVICE}/more.py", "M = 1\n", f"More\n\nChange: {change}")
    pass_stages(program, sha, "unit", "integration")
    _, decision = gate(program, "staging")
    assert decision["decision"] == "deny"
    assert "stale" in reasons(decision)["approvals"]
    ok(program.rcim("change", "approve", change, "--as", "martin"))
    result, decision = gate(program, "staging")
    assert result.code == 0, reasons(decision)


@pytest.mark.parametrize(
    ("junit", "expected"),
    [
        (
            '<testsuite tests="2" failures="1"><testcase name="a"/><testcase name="b">'
            '<failure message="boom"/></testcase></testsuite>',
            "failed",
        ),
        ('<testsuite tests="0"></testsuite>', "ran zero tests"),
    ],
)
def test_denies_when_a_required_stage_failed_or_ran_nothing(
    program: Program, tmp_path: Path, junit: str, expected: str
) -> None:
    _, sha = ready_change(program)
    pass_stages(program, sha, "unit")
    report = tmp_path / "integration.xml"
    report.write_text(junit, encoding="utf-8")
    program.rcim("stage", "record", "integration", "--commit", sha, "--junit", report)
    _, decision = gate(program, "staging")
    assert decision["decision"] == "deny"
    assert statuses(decision)["test_stages"] == "fail"
    assert expected in reasons(decision)["test_stages"]


def test_denies_when_stages_were_recorded_for_another_commit(program: Program) -> None:
    change, first = ready_change(program)
    pass_stages(program, first, "unit", "integration")
    program.commit(f"apps/{SERVICE}/z.py", "Z = 1\n", f"Later\n\nChange: {change}")
    ok(program.rcim("change", "approve", change, "--as", "martin"))
    _, decision = gate(program, "staging")
    assert statuses(decision)["test_stages"] == "fail"
    assert f"recorded only for {first[:12]}" in reasons(decision)["test_stages"]


def test_denies_production_for_a_commit_not_verified_in_staging(program: Program) -> None:
    _, sha = ready_change(program)
    pass_stages(program, sha)
    insert_deployment(program, "staging", sha, result="rolled_back")
    _, decision = gate(program, "production")
    assert decision["decision"] == "deny"
    assert statuses(decision)["promotion"] == "fail"


def test_denies_on_an_open_p1_unless_the_change_fixes_it(
    released: tuple[Program, str, str],
) -> None:
    program, change, _ = released
    insert_incident(program, "INC-2026-0001", "P1")
    _, decision = gate(program, "production")
    assert statuses(decision)["incidents"] == "fail"
    assert "INC-2026-0001" in reasons(decision)["incidents"]
    record = program.root / "release" / "changes" / f"{change}.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "fixes: [INC-2026-0001]\n")
    result, decision = gate(program, "production")
    assert result.code == 0, reasons(decision)


def test_denies_on_a_conflicting_change_of_a_dependent_service(
    released: tuple[Program, str, str],
) -> None:
    program, change, _ = released
    other = new_change(program, service="booking-web", author="eva")
    ok(program.rcim("change", "submit", other, "--as", "eva"))
    ok(program.rcim("change", "risk", other, "--as", "martin"))
    _, decision = gate(program, "production")
    assert statuses(decision)["conflicts"] == "fail"
    assert other in reasons(decision)["conflicts"]
    assert change in reasons(decision)["conflicts"]


def test_a_rule_that_raises_is_an_error_and_denies(released: tuple[Program, str, str]) -> None:
    program, _, _ = released
    policy = program.root / "release" / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("blocking_priorities: [P1, P2]", "blocking_priorities: 5"))
    result, decision = gate(program, "production")
    assert result.code == 1
    assert statuses(decision)["incidents"] == "error"
    assert "blocking_priorities" in reasons(decision)["incidents"]
    assert decision["decision"] == "deny"


def test_a_malformed_change_record_exits_2_and_stores_nothing(program: Program) -> None:
    change, _ = ready_change(program)
    record = program.root / "release" / "changes" / f"{change}.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("title:", "titel:"))
    before = count_rows(program, AuditLogRow)
    result = program.rcim("gate", "check", "--service", SERVICE, "--env", "staging")
    assert result.code == 2
    assert f"{record}:" in result.stderr
    assert "unknown key 'titel'" in result.stderr
    assert "Traceback" not in result.stderr
    assert count_rows(program, AuditLogRow) == before
    assert count_rows(program, GateDecisionRow) == 0


def test_every_decision_is_audited_and_the_chain_verifies(program: Program) -> None:
    _, sha = ready_change(program)
    pass_stages(program, sha, "unit", "integration")
    gate(program, "staging")
    exported = ok(program.rcim("audit", "export")).stdout
    assert '"action": "gate.decision"' in exported
    ok(program.rcim("audit", "verify"))
    assert (
        subprocess.run(
            ["git", "-C", str(program.root), "status", "--porcelain"],
            capture_output=True,
            text=True,
            check=True,
        ).returncode
        == 0
    )
