"""rcim change: records, lifecycle, decisions and risk through the real CLI."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from rcim.store.schema import AuditLogRow, ChangeRecordRow
from release.conftest import Program, baseline_program, count_rows, new_change, ok

if TYPE_CHECKING:
    from pathlib import Path


pytestmark = pytest.mark.slow


@pytest.fixture
def program(abc_program: Path) -> Program:
    return baseline_program(abc_program)


def test_new_writes_a_record_and_ids_count_up(program: Program) -> None:
    first = new_change(program)
    second = new_change(program, "--format", "json")
    assert first == "CHG-2026-0001"
    assert json.loads(second)["id"] == "CHG-2026-0002"
    text = (program.root / "release" / "changes" / f"{first}.yaml").read_text(encoding="utf-8")
    assert "type: normal" in text
    assert "author: tomas" in text


def test_new_without_a_known_person_asks_for_one(program: Program) -> None:
    result = program.rcim(
        "change", "new", "--service", "booking-web", "--type", "normal", "--title", "t"
    )
    assert result.code == 2
    assert "pass --as PERSON" in result.stderr


def test_lifecycle_refuses_invalid_steps_and_records_every_transition(program: Program) -> None:
    change = new_change(program)
    ok(program.rcim("change", "submit", change, "--as", "tomas"))
    refused = program.rcim("change", "implement", change, "--as", "martin")
    assert refused.code == 2
    assert "allowed next: assess → authorize, cancel → cancelled" in refused.stderr
    early = program.rcim("change", "schedule", change, "--as", "martin")
    assert early.code == 2
    ok(program.rcim("change", "risk", change, "--as", "martin"))
    not_yet = program.rcim("change", "schedule", change, "--as", "martin")
    assert not_yet.code == 2
    assert "before anyone approved" in not_yet.stderr
    ok(program.rcim("change", "approve", change, "--as", "martin", "--comment", "fine"))
    for verb in ("schedule", "implement", "complete", "close"):
        ok(program.rcim("change", verb, change, "--as", "martin"))
    shown = json.loads(ok(program.rcim("change", "show", change, "--format", "json")).stdout)
    assert shown["state"] == "closed"
    steps = [(t["from"], t["to"]) for t in shown["transitions"]]
    assert steps == [
        (None, "new"),
        ("new", "assess"),
        ("assess", "authorize"),
        ("authorize", "scheduled"),
        ("scheduled", "implement"),
        ("implement", "review"),
        ("review", "closed"),
    ]
    assert shown["risk"]["level"] in ("low", "medium", "high")
    exported = ok(program.rcim("audit", "export")).stdout
    assert exported.count('"action": "change.transition"') == 7


def test_a_standard_change_needs_a_known_template(program: Program) -> None:
    change = new_change(program, "--template", "std-docs", change_type="standard", window=None)
    submitted = ok(program.rcim("change", "submit", change, "--as", "tomas"))
    assert "state scheduled" in submitted.stdout
    unknown = new_change(program, "--template", "std-nothing", change_type="standard", window=None)
    result = program.rcim("change", "submit", unknown, "--as", "tomas")
    assert result.code == 2
    assert "unknown standard-change template 'std-nothing'" in result.stderr


def test_a_malformed_record_exits_2_naming_the_line_and_stores_nothing(program: Program) -> None:
    change = new_change(program)
    path = program.root / "release" / "changes" / f"{change}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    broken = [line.replace("type: normal", "type: urgent") for line in lines]
    path.write_text("\n".join(broken) + "\n", encoding="utf-8")
    before = count_rows(program, AuditLogRow)
    result = program.rcim("change", "submit", change, "--as", "tomas")
    assert result.code == 2
    line = next(i for i, text in enumerate(broken, 1) if text.startswith("type:"))
    assert f"{path}:{line}:7: type:" in result.stderr
    assert count_rows(program, ChangeRecordRow) == 0
    assert count_rows(program, AuditLogRow) == before


def test_risk_shows_every_criterion(program: Program) -> None:
    change = new_change(program)
    shown = json.loads(ok(program.rcim("change", "risk", change, "--format", "json")).stdout)
    names = [c["name"] for c in shown["criteria"]]
    assert names == [
        "blast_radius",
        "change_size",
        "sensitive_paths",
        "test_evidence",
        "failure_rate",
        "backout",
        "timing",
    ]
    assert set(shown["criteria"][0]) == {"name", "raw", "score", "weight", "contribution"}
    text = ok(program.rcim("change", "risk", change)).stdout
    assert "blast_radius" in text
    assert "tier 1" in text
