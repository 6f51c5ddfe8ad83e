"""The decision table as written in YAML: criteria with weights and limits, options with scores.

These models only check shapes and types; rules that relate fields to each other (scores inside the
scale, names unique, weights usable) live in ``rcim.decide.checks`` so that every problem can be
reported at its ``file:line:column`` together with the others.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, StringConstraints

from rcim.program.types import Frozen

Name = Annotated[str, StringConstraints(min_length=1)]

DEFAULT_SCALE: tuple[float, float] = (1.0, 10.0)


class DecideModel(Frozen):
    """Frozen and strict like every input model; infinities and NaN would poison any ranking."""

    model_config = ConfigDict(allow_inf_nan=False)


class Criterion(DecideModel):
    """One thing the options are judged on, its weight, and optional hard limits on its score.

    ``min`` and ``max`` are constraints, not preferences: an option scoring below ``min`` or above
    ``max`` is excluded however well it scores elsewhere (the seed's "price must stay affordable").
    """

    name: Name
    weight: float
    min: float | None = None
    max: float | None = None


class Option(DecideModel):
    """One candidate and its score on every criterion, keyed by criterion name."""

    name: Name
    scores: dict[str, float]


class DecisionTable(DecideModel):
    """A whole multi-criteria decision: what is compared, on which scale, by which criteria."""

    title: str | None = None
    scale: tuple[float, float] = DEFAULT_SCALE
    criteria: tuple[Criterion, ...]
    options: tuple[Option, ...]

    @property
    def criterion_names(self) -> tuple[str, ...]:
        return tuple(criterion.name for criterion in self.criteria)


def number_text(value: float) -> str:
    """A number as a person would write it: ``5`` rather than ``5.0``."""
    return f"{value:g}"
