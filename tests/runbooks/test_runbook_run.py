from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from rcim.program.service import CommandCheck, ManualCheck
from rcim.runbooks import (
    Escalation,
    JournalEntry,
    ManualAnswer,
    RunbookStep,
    RunEvent,
    RunInterrupted,
    RunSettings,
    run_runbook,
)
from rcim.runbooks.escalation import EscalationTarget
from rcim.runbooks.model import FrontMatter, JumpTo, Runbook

if TYPE_CHECKING:
    from collections.abc import Sequence

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASS = CommandCheck(kind="command", run="true")
FAIL = CommandCheck(kind="command", run="false")
ASK = ManualCheck(kind="manual", question="OK?")
PATH = tuple(
    EscalationTarget(level, f"team-{level}", f"Team {level}", 0, 15, ("phone 1",), ("Ann",))
    for level in ("L1", "L2", "L3")
)


@dataclass
class MemoryJournal:
    stored: list[JournalEntry] = field(default_factory=list)

    def entries(self) -> list[JournalEntry]:
        return list(self.stored)

    def record(self, entries: Sequence[JournalEntry]) -> None:
        self.stored.extend(entries)

    def kinds(self) -> list[str]:
        return [e.kind for e in self.stored]

    def steps(self) -> list[tuple[int, str]]:
        return [(e.data["step"], e.data["status"]) for e in self.stored if e.kind == "runbook_step"]


@dataclass
class ScriptedOperator:
    answers: list[str]
    events: list[RunEvent] = field(default_factory=list)

    def ask(self, step: RunbookStep, question: str) -> ManualAnswer:
        answer = self.answers.pop(0)
        if answer == "ctrl-c":
            raise KeyboardInterrupt
        return ManualAnswer("passed" if answer == "yes" else "failed")

    def show(self, event: RunEvent) -> None:
        self.events.append(event)


def runbook(*steps: RunbookStep) -> RunSettings:
    numbered = tuple(
        RunbookStep(i, s.title, s.instruction, s.level, s.check, s.on_failure)
        for i, s in enumerate(steps, start=1)
    )
    front = FrontMatter(id="incident/demo", kind="incident", title="Demo")
    return RunSettings(Runbook(front, numbered, "demo.md"), PATH, (), "tomas", lambda: NOW)


def step(
    title: str, check: object = None, level: str = "L1", on_failure: object = "next"
) -> RunbookStep:
    return RunbookStep(0, title, "Do it.", level, check, on_failure)  # type: ignore[arg-type]


def test_escalates_once_per_level_and_records_whom_to_call() -> None:
    settings = runbook(
        step("a", FAIL, "L1", "escalate"),
        step("b", FAIL, "L1", "escalate"),  # already at L2: no second escalation
        step("c", FAIL, "L2", "escalate"),
        step("d", PASS, "L3", "escalate"),
    )
    journal, operator = MemoryJournal(), ScriptedOperator([])
    outcome = run_runbook(settings, journal, operator)
    assert journal.kinds() == [
        "runbook_started",
        "runbook_step",
        "escalated",
        "runbook_step",
        "runbook_step",
        "escalated",
        "runbook_step",
        "runbook_finished",
    ]
    escalations = [e.data for e in journal.stored if e.kind == "escalated"]
    assert [(e["step"], e["to_level"], e["team"]) for e in escalations] == [
        (1, "L2", "team-L2"),
        (3, "L3", "team-L3"),
    ]
    assert (outcome.outcome, outcome.level, outcome.failed_steps) == ("completed", "L3", (1, 2, 3))
    assert [e.level for e in operator.events if isinstance(e, Escalation)] == ["L2", "L3"]


def test_stop_ends_the_run_and_jump_skips_ahead() -> None:
    settings = runbook(
        step("a", FAIL, on_failure=JumpTo(jump=3)),
        step("skipped"),
        step("b", ASK, on_failure="stop"),
        step("never"),
    )
    journal = MemoryJournal()
    outcome = run_runbook(settings, journal, ScriptedOperator(["no"]))
    assert journal.steps() == [(1, "failed"), (3, "failed")]
    assert outcome.outcome == "stopped"
    assert journal.stored[-1].data["outcome"] == "stopped"


def test_ctrl_c_leaves_whole_steps_and_the_same_call_resumes() -> None:
    settings = runbook(step("a", FAIL, "L1", "escalate"), step("b", ASK), step("c", ASK))
    journal = MemoryJournal()
    with pytest.raises(RunInterrupted) as interrupted:
        run_runbook(settings, journal, ScriptedOperator(["ctrl-c"]))
    assert interrupted.value.exit_code == 130
    assert journal.kinds()[-1] == "runbook_interrupted"
    assert journal.steps() == [(1, "failed")]
    operator = ScriptedOperator(["yes", "yes"])
    outcome = run_runbook(settings, journal, operator)
    assert journal.steps() == [(1, "failed"), (2, "passed"), (3, "passed")]
    assert "runbook_resumed" in journal.kinds()
    assert (outcome.run, outcome.level, outcome.failed_steps, outcome.steps_run) == (
        1,
        "L2",
        (1,),
        2,
    )
    again = run_runbook(settings, journal, ScriptedOperator(["no", "yes"]))
    assert (again.run, again.level, again.failed_steps) == (2, "L2", (1, 2))


def test_every_step_records_check_output_status_and_timing() -> None:
    settings = runbook(step("a", CommandCheck(kind="command", run="echo hello; exit 4")))
    journal = MemoryJournal()
    run_runbook(settings, journal, ScriptedOperator([]))
    data = next(e.data for e in journal.stored if e.kind == "runbook_step")
    assert data["check"] == "command"
    assert data["exit_status"] == 4
    assert data["output"] == "hello"
    assert data["operator"] == "tomas"
    assert data["started_at"] == NOW.isoformat()
    assert data["duration_seconds"] >= 0
