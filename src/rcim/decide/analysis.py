"""One call from a checked table to everything a report shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rcim.decide.scoring import Decision, decide
from rcim.decide.sensitivity import WeightSensitivity, weight_sensitivity

if TYPE_CHECKING:
    from rcim.decide.model import DecisionTable


@dataclass(frozen=True)
class Analysis:
    """A decision and how robust its winner is to each weight."""

    decision: Decision
    sensitivity: tuple[WeightSensitivity, ...]


def analyse(table: DecisionTable) -> Analysis:
    decision = decide(table)
    return Analysis(decision=decision, sensitivity=weight_sensitivity(decision))
