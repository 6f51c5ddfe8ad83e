"""``--answers FILE``: the outcomes of a runbook's manual checks, for runs without a person.

```yaml
runbook: incident/vpn-gateway     # optional; must match the runbook run
answers:
  1: yes                          # yes = the check passed, no = failed, skip = skipped
  2: {answer: no, note: "three users in Brno are affected"}
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from rcim.errors import ConfigError, Problem
from rcim.program.loader import read_only_model
from rcim.program.types import Frozen
from rcim.runbooks.checks import ManualAnswer

if TYPE_CHECKING:
    from pathlib import Path

    from rcim.program.yamlsource import SourceMap
    from rcim.runbooks.checks import ManualOutcome
    from rcim.runbooks.model import Runbook

# YAML 1.1 reads a bare yes/no as a boolean, so both spellings are accepted.
Word = Literal["yes", "no", "skip"] | bool
OUTCOMES: dict[str | bool, ManualOutcome] = {
    "yes": "passed",
    True: "passed",
    "no": "failed",
    False: "failed",
    "skip": "skipped",
}


class DetailedAnswer(Frozen):
    answer: Word
    note: str = ""


class AnswersFile(Frozen):
    runbook: str | None = None
    answers: dict[int, Word | DetailedAnswer]


def load_answers(path: Path, runbook: Runbook) -> dict[int, ManualAnswer]:
    """Answers by step number; every manual step must have one and nothing else may."""
    parsed, source = read_only_model(path, AnswersFile)
    problems = _problems(parsed, source, runbook)
    if problems:
        raise ConfigError(problems)
    return {number: _answer(value) for number, value in parsed.answers.items()}


def _problems(parsed: AnswersFile, source: SourceMap, runbook: Runbook) -> list[Problem]:
    problems = []
    if parsed.runbook is not None and parsed.runbook != runbook.id:
        message = f"runbook: these answers are for '{parsed.runbook}', not '{runbook.id}'"
        problems.append(source.problem(("runbook",), message))
    manual = {s.number for s in runbook.steps if s.check is not None and s.check.kind == "manual"}
    for number in parsed.answers:
        if number not in manual:
            message = f"answers[{number}]: step {number} of {runbook.id} is not a manual step"
            problems.append(source.problem(("answers", number), message, at_key=True))
    missing = sorted(manual - set(parsed.answers))
    if missing:
        steps = ", ".join(str(n) for n in missing)
        message = f"answers: no answer for manual steps {steps} of {runbook.id}"
        problems.append(source.problem(("answers",), message, at_key=True))
    return problems


def _answer(value: Word | DetailedAnswer) -> ManualAnswer:
    if isinstance(value, DetailedAnswer):
        return ManualAnswer(OUTCOMES[value.answer], value.note)
    return ManualAnswer(OUTCOMES[value])
