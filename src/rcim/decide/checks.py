"""Loading a decision table and the checks pydantic cannot express, each located in the file.

Every check returns problems instead of raising, so a user fixing a table sees all of them at once,
each as ``file:line:column`` found through the ``SourceMap`` of the loaded file.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from rcim.decide.model import Criterion, DecisionTable, Option, number_text
from rcim.errors import ConfigError
from rcim.program.loader import read_only_model
from rcim.program.validation import dotted

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from rcim.errors import Problem
    from rcim.program.yamlsource import KeyPath, SourceMap


def load_table(path: Path) -> DecisionTable:
    """Read and fully check one decision file; raise ``ConfigError`` listing every problem."""
    table, source = read_only_model(path, DecisionTable)
    problems = table_problems(table, source)
    if problems:
        raise ConfigError(problems)
    return table


def table_problems(table: DecisionTable, source: SourceMap) -> list[Problem]:
    """Everything wrong with a table that parsed; empty when it can be scored."""
    scale_ok = table.scale[0] < table.scale[1]
    problems = [] if scale_ok else [_at(source, ("scale",), _scale_message(table.scale))]
    problems += _presence_problems(table, source)
    problems += _duplicate_names(table.criterion_names, "criterion", "criteria", source)
    problems += _duplicate_names([o.name for o in table.options], "option", "options", source)
    problems += _weight_problems(table.criteria, source)
    for index, criterion in enumerate(table.criteria):
        problems += _limit_problems(index, criterion, table.scale if scale_ok else None, source)
    for index, option in enumerate(table.options):
        problems += _score_problems(index, option, table, scale_ok, source)
    return problems


def _at(source: SourceMap, path: KeyPath, message: str, *, at_key: bool = False) -> Problem:
    """A problem whose message starts with the dotted path, like pydantic's mapped errors."""
    return source.problem(path, f"{dotted(path)}: {message}", at_key=at_key)


def _scale_message(scale: tuple[float, float]) -> str:
    low, high = (number_text(end) for end in scale)
    return f"the low end {low} must be below the high end {high}"


def _presence_problems(table: DecisionTable, source: SourceMap) -> list[Problem]:
    problems = []
    if not table.criteria:
        problems.append(_at(source, ("criteria",), "at least one criterion is required"))
    if not table.options:
        problems.append(_at(source, ("options",), "at least one option is required"))
    return problems


def _duplicate_names(
    names: Sequence[str], kind: str, section: str, source: SourceMap
) -> list[Problem]:
    first_index: dict[str, int] = {}
    problems = []
    for index, name in enumerate(names):
        if name not in first_index:
            first_index[name] = index
            continue
        line = source.value_mark((section, first_index[name], "name")).line
        message = f"duplicate {kind} name '{name}' (first defined at line {line})"
        problems.append(_at(source, (section, index, "name"), message))
    return problems


def _weight_problems(criteria: tuple[Criterion, ...], source: SourceMap) -> list[Problem]:
    problems = [
        _at(
            source,
            ("criteria", index, "weight"),
            f"must not be negative, got {number_text(c.weight)}",
        )
        for index, c in enumerate(criteria)
        if c.weight < 0
    ]
    if criteria and not problems and all(c.weight == 0 for c in criteria):
        problems.append(_at(source, ("criteria",), "all weights are zero; give one a weight > 0"))
    return problems


def _limit_problems(
    index: int, criterion: Criterion, scale: tuple[float, float] | None, source: SourceMap
) -> list[Problem]:
    problems = []
    limits = (("min", criterion.min), ("max", criterion.max))
    for key, limit in limits:
        if limit is not None and scale is not None and not scale[0] <= limit <= scale[1]:
            message = f"{number_text(limit)} is outside the scale {_scale_text(scale)}"
            problems.append(_at(source, ("criteria", index, key), message))
    if criterion.min is not None and criterion.max is not None and criterion.min > criterion.max:
        message = (
            f"min {number_text(criterion.min)} is above max {number_text(criterion.max)}; "
            "no option could satisfy both"
        )
        problems.append(_at(source, ("criteria", index, "min"), message))
    return problems


def _score_problems(
    index: int, option: Option, table: DecisionTable, scale_ok: bool, source: SourceMap
) -> list[Problem]:
    names = table.criterion_names
    scores_path: KeyPath = ("options", index, "scores")
    problems = [
        _at(source, (*scores_path, key), _unknown_criterion(key, names), at_key=True)
        for key in option.scores
        if key not in names
    ]
    problems += [
        _at(source, scores_path, f"option '{option.name}' has no score for criterion '{name}'")
        for name in names
        if name not in option.scores
    ]
    if scale_ok:
        problems += _out_of_scale(index, option, table, source)
    return problems


def _out_of_scale(
    index: int, option: Option, table: DecisionTable, source: SourceMap
) -> list[Problem]:
    low, high = table.scale
    return [
        _at(
            source,
            ("options", index, "scores", name),
            f"score {number_text(score)} of option '{option.name}' on criterion '{name}' "
            f"is outside the scale {_scale_text(table.scale)}",
        )
        for name, score in option.scores.items()
        if name in table.criterion_names and not low <= score <= high
    ]


def _unknown_criterion(key: str, names: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return f"unknown criterion '{key}'; did you mean '{close[0]}'?"
    return f"unknown criterion '{key}'; criteria are: {', '.join(dict.fromkeys(names))}"


def _scale_text(scale: tuple[float, float]) -> str:
    return f"[{number_text(scale[0])}, {number_text(scale[1])}]"
