"""Walking a runbook: run each step's check, follow the failure path, escalate, record.

Every finished step is written to the journal (the incident timeline) in one transaction
with any escalation it caused, before the next step starts. A run stopped half-way (Ctrl-C,
a lost terminal) therefore leaves only whole steps behind, and ``run_runbook`` resumes an
unfinished run of the same runbook after its last recorded step.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from rcim.errors import RcimError
from rcim.runbooks.checks import CheckContext, CheckResult, describe_check, run_check
from rcim.runbooks.escalation import target_for
from rcim.runbooks.model import LEVELS, JumpTo, next_level

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import datetime

    from rcim.program.types import Level
    from rcim.runbooks.checks import HostTarget, ManualAnswer
    from rcim.runbooks.escalation import EscalationTarget
    from rcim.runbooks.model import Runbook, RunbookStep

EXIT_INTERRUPTED = 130
STARTED, RESUMED, STEP = "runbook_started", "runbook_resumed", "runbook_step"
ESCALATED, INTERRUPTED, FINISHED = "escalated", "runbook_interrupted", "runbook_finished"
RUN_KINDS = frozenset({STARTED, RESUMED, STEP, ESCALATED, INTERRUPTED, FINISHED})
Outcome = Literal["completed", "stopped"]


@dataclass(frozen=True)
class JournalEntry:
    kind: str
    text: str
    data: dict[str, Any]
    at: datetime


class Journal(Protocol):
    """Where a run is recorded: the incident's timeline."""

    def entries(self) -> list[JournalEntry]:
        """Earlier entries of kinds in ``RUN_KINDS``, oldest first."""
        ...

    def record(self, entries: Sequence[JournalEntry]) -> None:
        """Append ``entries`` atomically: all of them or none."""
        ...


@dataclass(frozen=True)
class StepStarting:
    step: RunbookStep


@dataclass(frozen=True)
class StepDone:
    step: RunbookStep
    status: str
    result: CheckResult
    seconds: float


@dataclass(frozen=True)
class Escalation:
    step: RunbookStep
    level: Level
    target: EscalationTarget | None


@dataclass(frozen=True)
class Resumed:
    run: int
    step: int


RunEvent = StepStarting | StepDone | Escalation | Resumed


class Operator(Protocol):
    """The person at the terminal, or an answers file standing in for them."""

    def ask(self, step: RunbookStep, question: str) -> ManualAnswer: ...

    def show(self, event: RunEvent) -> None: ...


@dataclass(frozen=True)
class RunSettings:
    runbook: Runbook
    escalation: tuple[EscalationTarget, ...]
    hosts: tuple[HostTarget, ...]
    actor: str
    now: Callable[[], datetime]


@dataclass(frozen=True)
class RunOutcome:
    run: int
    outcome: Outcome
    failed_steps: tuple[int, ...]
    level: Level
    steps_run: int


class RunInterrupted(RcimError):
    """Ctrl-C during a run; the record is consistent and the same command resumes it."""

    exit_code = EXIT_INTERRUPTED


@dataclass
class _Progress:
    """Where a run stands: replayed from the journal, advanced step by step."""

    run: int
    next_step: int | None
    level: Level
    failed: list[int]
    resumed: bool
    stopped: bool = False


def run_runbook(settings: RunSettings, journal: Journal, operator: Operator) -> RunOutcome:
    """Run (or resume) ``settings.runbook`` until it completes or a step stops it."""
    progress = replay(journal.entries(), settings.runbook.id)
    steps_run = 0
    try:
        _record_start(settings, journal, operator, progress)
        # Steps only move forward (jumps too), so a run visits each step at most once.
        for _ in range(len(settings.runbook.steps)):
            if progress.next_step is None:
                break
            _one_step(settings, journal, operator, progress)
            steps_run += 1
    except KeyboardInterrupt:
        _record_interrupt(settings, journal, progress)
        raise RunInterrupted(
            f"interrupted at step {progress.next_step}; the steps before it are recorded; "
            "run the same command again to resume"
        ) from None
    outcome: Outcome = "stopped" if progress.stopped else "completed"
    journal.record([_entry(settings, progress, FINISHED, f"runbook {outcome}", outcome=outcome)])
    return RunOutcome(progress.run, outcome, tuple(progress.failed), progress.level, steps_run)


def replay(entries: list[JournalEntry], runbook_id: str) -> _Progress:
    """The unfinished run of ``runbook_id`` to resume, or a new run after the last one."""
    runs = [e.data.get("run", 0) for e in entries if e.kind == STARTED]
    ours = [e for e in entries if e.data.get("runbook") == runbook_id]
    started = [e for e in ours if e.kind == STARTED]
    if not started:
        return _Progress(max(runs, default=0) + 1, 1, "L1", [], resumed=False)
    run = started[-1].data["run"]
    mine = [e for e in ours if e.data.get("run") == run]
    if any(e.kind == FINISHED for e in mine):
        return _Progress(max(runs) + 1, 1, "L1", [], resumed=False)
    steps = [e for e in mine if e.kind == STEP]
    levels = [e.data["to_level"] for e in mine if e.kind == ESCALATED]
    failed = [e.data["step"] for e in steps if e.data.get("status") == "failed"]
    following = steps[-1].data.get("next_step") if steps else 1
    return _Progress(run, following, levels[-1] if levels else "L1", failed, resumed=True)


def _record_start(
    settings: RunSettings, journal: Journal, operator: Operator, progress: _Progress
) -> None:
    if progress.resumed:
        operator.show(Resumed(progress.run, progress.next_step or 0))
        text = f"resumed {settings.runbook.id} at step {progress.next_step}"
        journal.record([_entry(settings, progress, RESUMED, text, step=progress.next_step)])
        return
    text = f"started {settings.runbook.id} ({len(settings.runbook.steps)} steps)"
    count = len(settings.runbook.steps)
    journal.record([_entry(settings, progress, STARTED, text, steps=count)])


def _record_interrupt(settings: RunSettings, journal: Journal, progress: _Progress) -> None:
    text = f"interrupted before step {progress.next_step} finished"
    try:
        journal.record([_entry(settings, progress, INTERRUPTED, text, step=progress.next_step)])
    except KeyboardInterrupt:
        return  # a second Ctrl-C: the record stays as it was, still consistent


def _one_step(
    settings: RunSettings, journal: Journal, operator: Operator, progress: _Progress
) -> None:
    assert progress.next_step is not None
    step = settings.runbook.step(progress.next_step)
    operator.show(StepStarting(step))
    started, clock = settings.now(), time.monotonic()
    result = _execute(settings, operator, step)
    seconds = round(time.monotonic() - clock, 3)
    status = result.status if step.check is not None else "done"
    following = _following(settings.runbook, step, status)
    raised = _raised_level(step, progress.level) if status == "failed" else None
    target = target_for(settings.escalation, raised) if raised is not None else None
    entries = [_step_entry(settings, progress, step, result, status, started, seconds, following)]
    if raised is not None:
        entries.append(_escalation_entry(settings, progress, step, raised, target))
    journal.record(entries)
    operator.show(StepDone(step, status, result, seconds))
    if status == "failed":
        progress.failed.append(step.number)
    if raised is not None:
        progress.level = raised
        operator.show(Escalation(step, raised, target))
    progress.stopped = status == "failed" and step.on_failure == "stop"
    progress.next_step = None if progress.stopped else following


def _execute(settings: RunSettings, operator: Operator, step: RunbookStep) -> CheckResult:
    if step.check is None:
        return CheckResult("passed", "no check: instruction followed")
    context = CheckContext(settings.hosts, lambda question: operator.ask(step, question))
    return run_check(step.check, context)


def _following(runbook: Runbook, step: RunbookStep, status: str) -> int | None:
    """The step after ``step``; ``None`` after the last one."""
    action = step.on_failure
    if status == "failed" and isinstance(action, JumpTo):
        return action.jump
    return step.number + 1 if step.number < len(runbook.steps) else None


def _raised_level(step: RunbookStep, current: Level) -> Level | None:
    """Failing an L1 step marked *escalate* hands over to L2, an L2 step to L3; the level
    never goes down and is not raised twice for the same level."""
    if step.on_failure != "escalate":
        return None
    target = next_level(step.level)
    if target is None or LEVELS.index(target) <= LEVELS.index(current):
        return None
    return target


def _entry(
    settings: RunSettings, progress: _Progress, kind: str, text: str, **data: object
) -> JournalEntry:
    base = {"run": progress.run, "runbook": settings.runbook.id, "operator": settings.actor}
    return JournalEntry(kind, text, {**base, **data}, settings.now())


def _step_entry(
    settings: RunSettings,
    progress: _Progress,
    step: RunbookStep,
    result: CheckResult,
    status: str,
    started: datetime,
    seconds: float,
    following: int | None,
) -> JournalEntry:
    what = describe_check(step.check) if step.check is not None else None
    text = f"step {step.number} {step.title}: {status} ({result.detail})"
    return _entry(
        settings,
        progress,
        STEP,
        text,
        step=step.number,
        title=step.title,
        level=step.level,
        check=step.check.kind if step.check is not None else None,
        check_description=what,
        status=status,
        detail=result.detail,
        output=result.output,
        exit_status=result.exit_status,
        started_at=started.isoformat(),
        duration_seconds=seconds,
        next_step=None if status == "failed" and step.on_failure == "stop" else following,
    )


def _escalation_entry(
    settings: RunSettings,
    progress: _Progress,
    step: RunbookStep,
    level: Level,
    target: EscalationTarget | None,
) -> JournalEntry:
    if target is None:
        text = f"escalated to {level} at step {step.number}: no {level} team in the catalog"
        return _entry(settings, progress, ESCALATED, text, step=step.number, to_level=level)
    text = f"escalated to {level} at step {step.number}: call {target.call_line()}"
    return _entry(
        settings,
        progress,
        ESCALATED,
        text,
        step=step.number,
        from_level=step.level,
        to_level=level,
        team=target.team_id,
        team_name=target.team_name,
        response_minutes=target.response_minutes,
        contacts=list(target.contacts),
        people=list(target.people),
    )
