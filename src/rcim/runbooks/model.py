"""The runbook model: front matter plus numbered steps, some of which carry a check.

A runbook file is Markdown. Its front matter names what it is about; each step is a heading
``### N. Title``, the instruction as text, and a fenced ``yaml rcim-step`` block with the
step's level, its check and what to do when the check fails. The block is what ``rcim
runbook run`` executes, so a hand-written runbook is as runnable as a generated one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from rcim.program.service import StepCheck  # noqa: TC001 - pydantic reads field types at runtime
from rcim.program.types import Frozen, Identifier, Level

RunbookKind = Literal["alerts", "incident", "dr", "release", "kb"]
RUNBOOK_KINDS: tuple[RunbookKind, ...] = ("alerts", "incident", "dr", "release", "kb")
SimpleAction = Literal["next", "escalate", "stop"]
LEVELS: tuple[Level, ...] = ("L1", "L2", "L3")


class JumpTo(Frozen):
    """On failure, continue at a later step (jumps go forward only, so every run ends)."""

    jump: int = Field(ge=1)


FailureAction = SimpleAction | JumpTo


class StepBlock(Frozen):
    """The machine-readable part of a step: the ``yaml rcim-step`` block."""

    level: Level = "L1"
    check: StepCheck | None = None
    on_failure: FailureAction = "next"


class FrontMatter(Frozen):
    """What a runbook is about; ``id`` is ``<kind>/<name>``, its path under ``runbooks/``."""

    id: str
    kind: RunbookKind
    title: str
    service: Identifier | None = None
    alert: str | None = None
    generated: bool = False
    incident: str | None = None
    symptom: str | None = None
    cause: str | None = None
    fix: str | None = None


@dataclass(frozen=True)
class RunbookStep:
    """One step as the runner sees it; ``number`` counts from 1."""

    number: int
    title: str
    instruction: str
    level: Level = "L1"
    check: StepCheck | None = None
    on_failure: FailureAction = "next"


@dataclass(frozen=True)
class Runbook:
    front: FrontMatter
    steps: tuple[RunbookStep, ...]
    path: str

    @property
    def id(self) -> str:
        return self.front.id

    def step(self, number: int) -> RunbookStep:
        return self.steps[number - 1]


def next_level(level: Level) -> Level | None:
    """The level a failure escalates to; ``None`` above L3."""
    index = LEVELS.index(level)
    return LEVELS[index + 1] if index + 1 < len(LEVELS) else None


def runbook_id(kind: RunbookKind, name: str) -> str:
    return f"{kind}/{name}"
