"""Weighted-sum scoring with hard constraints, in exact arithmetic.

Scores and weights are read as the decimals the user wrote (``0.3`` is 3/10), so the seed's
weights sum to exactly 1, the docking stations score exactly 4.8, 6.6 and 6.7, and ties are real
ties rather than accidents of binary floating point.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from rcim.decide.model import number_text

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from rcim.decide.model import Criterion, DecisionTable, Option


@dataclass(frozen=True)
class RankedOption:
    """One option's place in the ranking: its weighted score and the constraints it violates."""

    option: str
    score: Fraction
    excluded_by: tuple[str, ...]

    @property
    def eligible(self) -> bool:
        return not self.excluded_by


@dataclass(frozen=True)
class Decision:
    """The outcome of scoring a table: the weights used, the ranking, and what the user should know.

    ``weights`` are normalised (they sum to 1) and in the order of ``table.criteria``.
    """

    table: DecisionTable
    weights: tuple[Fraction, ...]
    ranking: tuple[RankedOption, ...]
    warnings: tuple[str, ...]

    @property
    def winner(self) -> str | None:
        return best_eligible(self.ranking)


def exact(value: float) -> Fraction:
    """The decimal a number was written as, exactly: ``0.3`` becomes 3/10, not 0.29999..."""
    return Fraction(repr(value))


def normalised_weights(
    criteria: Sequence[Criterion],
) -> tuple[tuple[Fraction, ...], tuple[str, ...]]:
    """Weights scaled to sum to 1, plus a warning when they had to be scaled.

    Weights that do not sum to 1 are usually a slip, so the result says so instead of guessing
    silently; the ranking is the same either way, because scaling every weight by one factor
    cannot reorder weighted sums.
    """
    weights = tuple(exact(criterion.weight) for criterion in criteria)
    total = sum(weights, Fraction(0))
    if total == 1:
        return weights, ()
    warning = f"weights sum to {number_text(float(total))}, not 1; normalised them to sum to 1"
    return tuple(weight / total for weight in weights), (warning,)


def score_vector(option: Option, criteria: Sequence[Criterion]) -> tuple[Fraction, ...]:
    """An option's scores in criteria order, exactly."""
    return tuple(exact(option.scores[criterion.name]) for criterion in criteria)


def weighted_score(scores: Sequence[Fraction], weights: Sequence[Fraction]) -> Fraction:
    return sum((weight * score for weight, score in zip(weights, scores, strict=True)), Fraction(0))


def constraint_violations(option: Option, criteria: Sequence[Criterion]) -> tuple[str, ...]:
    """The limits an option breaks, each spelt as the rule it fails, e.g. ``price >= 5``."""
    violated: list[str] = []
    for criterion in criteria:
        score = option.scores[criterion.name]
        if criterion.min is not None and score < criterion.min:
            violated.append(f"{criterion.name} >= {number_text(criterion.min)}")
        if criterion.max is not None and score > criterion.max:
            violated.append(f"{criterion.name} <= {number_text(criterion.max)}")
    return tuple(violated)


def rank(candidates: Iterable[RankedOption]) -> tuple[RankedOption, ...]:
    """Eligible options best first (ties by name, so the order is stable), then excluded ones."""
    return tuple(sorted(candidates, key=lambda r: (not r.eligible, -r.score, r.option)))


def best_eligible(ranking: Sequence[RankedOption]) -> str | None:
    eligible = [ranked.option for ranked in ranking if ranked.eligible]
    return eligible[0] if eligible else None


def rank_table(table: DecisionTable, weights: Sequence[Fraction]) -> tuple[RankedOption, ...]:
    """The ranking of a table's options under the given weights (in criteria order)."""
    return rank(
        RankedOption(
            option=option.name,
            score=weighted_score(score_vector(option, table.criteria), weights),
            excluded_by=constraint_violations(option, table.criteria),
        )
        for option in table.options
    )


def decide(table: DecisionTable) -> Decision:
    """Score, constrain and rank a checked table (see ``rcim.decide.checks.load_table``)."""
    weights, warnings = normalised_weights(table.criteria)
    return Decision(
        table=table, weights=weights, ranking=rank_table(table, weights), warnings=warnings
    )
