"""Writing runbook Markdown, and reading it back into a ``Runbook`` with located problems.

Line numbers of problems inside the front matter and the step blocks are those of the
Markdown file: each YAML fragment is parsed padded with the blank lines that precede it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import yaml
from pydantic import BaseModel

from rcim.errors import ConfigError, Problem
from rcim.program.validation import validate_model
from rcim.program.yamlsource import parse_yaml, require_mapping
from rcim.runbooks.checks import check_problems
from rcim.runbooks.model import FrontMatter, JumpTo, Runbook, RunbookStep, StepBlock

if TYPE_CHECKING:
    from rcim.program.yamlsource import SourceMap
    from rcim.runbooks.model import FailureAction

ModelT = TypeVar("ModelT", bound=BaseModel)

FENCE = "```"
STEP_FENCE = "```yaml rcim-step"
_HEADING = re.compile(r"^### (\d+)\. (.+?)\s*$")


def front_matter(data: dict[str, Any]) -> str:
    """The ``---`` block; keys keep the given order, ``None`` values are left out."""
    kept = {key: value for key, value in data.items() if value is not None}
    return "---\n" + _yaml(kept) + "---\n"


def step_block(step: RunbookStep) -> str:
    data: dict[str, Any] = {"level": step.level}
    if step.check is not None:
        data["check"] = step.check.model_dump(mode="json", exclude_defaults=True)
        data["check"] = {"kind": step.check.kind, **data["check"]}
    data["on_failure"] = _action_data(step.on_failure)
    return f"{STEP_FENCE}\n{_yaml(data)}{FENCE}\n"


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines.extend("| " + " | ".join(cell(value) for value in row) + " |" for row in rows)
    return "\n".join(lines) + "\n"


def cell(text: str) -> str:
    """Table cells hold one line and no unescaped pipe."""
    return " ".join(text.split()).replace("|", "\\|") or "-"


def _action_data(action: FailureAction) -> Any:  # noqa: ANN401 - YAML data
    return {"jump": action.jump} if isinstance(action, JumpTo) else action


def _yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


@dataclass
class ParsedRunbook:
    """A runbook as read, plus every problem found; ``runbook`` is ``None`` when unusable."""

    runbook: Runbook | None
    problems: list[Problem] = field(default_factory=list)


def read_runbook_text(text: str, display: str) -> ParsedRunbook:
    """Parse a runbook file's text; problems name ``display:line:column``."""
    lines = text.splitlines()
    front, body_start, problems = _front(lines, display)
    steps, step_problems = _steps(lines, body_start, display)
    problems.extend(step_problems)
    problems.extend(_jump_problems(steps, display))
    if front is None or problems:
        return ParsedRunbook(None, problems)
    return ParsedRunbook(Runbook(front, tuple(s for s, _ in steps), display))


def _front(lines: list[str], display: str) -> tuple[FrontMatter | None, int, list[Problem]]:
    if not lines or lines[0].strip() != "---":
        return None, 0, [Problem(display, 1, 1, "missing front matter (a first line '---')")]
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        return None, 0, [Problem(display, 1, 1, "front matter is not closed by a '---' line")]
    try:
        front, _ = _validated(FrontMatter, lines, 1, end, display)
    except ConfigError as error:
        return None, end + 1, list(error.problems)
    return front, end + 1, []


def _validated(
    model: type[ModelT], lines: list[str], start: int, end: int, display: str
) -> tuple[ModelT, SourceMap]:
    """Validate ``lines[start:end]`` as YAML for ``model``, keeping the file's line numbers."""
    text = "\n" * start + "\n".join(lines[start:end]) + "\n"
    data, source = parse_yaml(text, display)
    return validate_model(model, require_mapping(data, source), source), source


def _steps(
    lines: list[str], start: int, display: str
) -> tuple[list[tuple[RunbookStep, int]], list[Problem]]:
    steps: list[tuple[RunbookStep, int]] = []
    problems: list[Problem] = []
    index, seen = start, 0
    while index < len(lines):
        match = _HEADING.match(lines[index])
        if match is None:
            index += 1
            continue
        seen += 1
        number, title, heading = int(match.group(1)), match.group(2), index
        if number != seen:
            message = f"step {number}: expected step number {seen} here"
            problems.append(Problem(display, heading + 1, 5, message))
        step, index, found = _one_step(lines, heading, number, title, display)
        problems.extend(found)
        if step is not None:
            steps.append((step, heading + 1))
    return steps, problems


def _one_step(
    lines: list[str], heading: int, number: int, title: str, display: str
) -> tuple[RunbookStep | None, int, list[Problem]]:
    index = heading + 1
    text: list[str] = []
    while index < len(lines) and lines[index].strip() != STEP_FENCE:
        if _HEADING.match(lines[index]) or lines[index].startswith("## "):
            message = f"step {number}: no '{STEP_FENCE}' block before the next heading"
            return None, index, [Problem(display, heading + 1, 1, message)]
        text.append(lines[index])
        index += 1
    close = next((i for i in range(index + 1, len(lines)) if lines[i].strip() == FENCE), None)
    if index >= len(lines) or close is None:
        message = f"step {number}: missing or unclosed '{STEP_FENCE}' block"
        return None, len(lines), [Problem(display, heading + 1, 1, message)]
    try:
        block, source = _validated(StepBlock, lines, index + 1, close, display)
    except ConfigError as error:
        return None, close + 1, list(error.problems)
    if block.check is not None:
        found = [_check_problem(source, message) for message in check_problems(block.check)]
        if found:
            return None, close + 1, found
    instruction = "\n".join(text).strip()
    step = RunbookStep(number, title, instruction, block.level, block.check, block.on_failure)
    return step, close + 1, []


def _check_problem(source: SourceMap, message: str) -> Problem:
    """Locate a check kind's complaint (``field: why``) at that field of the block."""
    field_name = message.partition(":")[0]
    return source.problem(("check", field_name), f"check.{message}")


def _jump_problems(steps: list[tuple[RunbookStep, int]], display: str) -> list[Problem]:
    problems = []
    for step, line in steps:
        action = step.on_failure
        if isinstance(action, JumpTo) and not step.number < action.jump <= len(steps):
            message = (
                f"step {step.number}: on_failure jumps to step {action.jump}; "
                "a jump must go forward, to a later step of this runbook"
            )
            problems.append(Problem(display, line, 1, message))
    return problems
