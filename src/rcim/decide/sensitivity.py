"""How far each weight can move before the winner changes, solved exactly.

When one criterion's weight becomes ``t`` and the others are rescaled proportionally to fill
``1 - t``, every option's score is a straight line in ``t``. The winner changes where a rival's
line crosses the winner's, so each crossing is solved for directly instead of stepping the weight
and hoping not to step over a narrow margin.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from rcim.decide.scoring import score_vector

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rcim.decide.scoring import Decision


@dataclass(frozen=True)
class WeightSensitivity:
    """The smallest change of one criterion's weight that changes the winner, if any.

    At exactly ``weight + delta`` the winner and ``new_winner`` tie (ties go to the name first in
    order); any larger change in the same direction makes ``new_winner`` win. ``delta`` is None
    when no weight in [0, 1] changes the winner.
    """

    criterion: str
    weight: Fraction
    delta: Fraction | None
    new_winner: str | None

    @property
    def new_weight(self) -> Fraction | None:
        return None if self.delta is None else self.weight + self.delta


@dataclass(frozen=True)
class _Line:
    """One eligible option's score as a function of the varied weight ``t``."""

    option: str
    intercept: Fraction
    slope: Fraction

    def at(self, t: Fraction) -> Fraction:
        return self.intercept + self.slope * t


def reweighted(
    weights: Sequence[Fraction], index: int, new_weight: Fraction
) -> tuple[Fraction, ...]:
    """Set one weight and rescale the others proportionally so that all still sum to 1.

    When the others are all zero there are no proportions to keep, so they share equally.
    """
    shares = _shares(weights, index)
    return tuple(
        new_weight if j == index else share * (1 - new_weight) for j, share in enumerate(shares)
    )


def weight_sensitivity(decision: Decision) -> tuple[WeightSensitivity, ...]:
    """One entry per criterion, in criteria order."""
    return tuple(_criterion_sensitivity(decision, index) for index in range(len(decision.weights)))


def _shares(weights: Sequence[Fraction], index: int) -> tuple[Fraction, ...]:
    """How the weight left over by criterion ``index`` is split among the others (0 for it)."""
    others = sum((w for j, w in enumerate(weights) if j != index), Fraction(0))
    count = len(weights) - 1
    return tuple(
        Fraction(0) if j == index else (w / others if others else Fraction(1, count))
        for j, w in enumerate(weights)
    )


def _criterion_sensitivity(decision: Decision, index: int) -> WeightSensitivity:
    name = decision.table.criteria[index].name
    current = decision.weights[index]
    unchanged = WeightSensitivity(name, current, None, None)
    if decision.winner is None or len(decision.weights) < 2:
        return unchanged
    lines = _lines(decision, index)
    incumbent = next(line for line in lines if line.option == decision.winner)
    for t, direction in _crossings(lines, incumbent, current):
        room = t < 1 if direction > 0 else t > 0
        new = _winner_beyond(lines, t, direction) if room else _winner_at(lines, t)
        if new.option != incumbent.option:
            return WeightSensitivity(name, current, t - current, new.option)
    return unchanged


def _lines(decision: Decision, index: int) -> list[_Line]:
    """Score lines of the eligible options: ``t`` times the varied score, the rest shared out."""
    shares = _shares(decision.weights, index)
    options = {option.name: option for option in decision.table.options}
    lines = []
    for ranked in decision.ranking:
        if not ranked.eligible:
            continue
        scores = score_vector(options[ranked.option], decision.table.criteria)
        rest = sum((s * share for s, share in zip(scores, shares, strict=True)), Fraction(0))
        lines.append(_Line(ranked.option, rest, scores[index] - rest))
    return lines


def _crossings(
    lines: Sequence[_Line], incumbent: _Line, current: Fraction
) -> list[tuple[Fraction, int]]:
    """Where each rival catches up with the incumbent inside [0, 1], nearest first.

    The direction is the way the weight must move for the rival to gain: the sign of the rival's
    slope relative to the incumbent's.
    """
    found = []
    for rival in lines:
        gain = rival.slope - incumbent.slope
        if rival is incumbent or gain == 0:
            continue
        t = (incumbent.intercept - rival.intercept) / gain
        if 0 <= t <= 1:
            found.append((t, 1 if gain > 0 else -1))
    return sorted(found, key=lambda crossing: (abs(crossing[0] - current), crossing[0]))


def _winner_at(lines: Sequence[_Line], t: Fraction) -> _Line:
    return min(lines, key=lambda line: (-line.at(t), line.option))


def _winner_beyond(lines: Sequence[_Line], t: Fraction, direction: int) -> _Line:
    """The winner just past ``t``: among the best at ``t``, the one rising fastest that way."""
    return min(lines, key=lambda line: (-line.at(t), -direction * line.slope, line.option))
