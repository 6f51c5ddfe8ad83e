"""Change risk: the weighted scoring of the seed's case study 4.2, over criteria from data.

Each criterion turns a measured value into a 0-10 score (10 = riskiest); the policy's weights
(normalised to sum to 1, exactly as ``rcim decide`` does) turn the scores into one 0-10
score, and the policy's thresholds into a level. Every step is kept, so ``rcim change risk``
can show each criterion's raw value, score and weighted contribution.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rcim.decide.model import Criterion
from rcim.decide.scoring import normalised_weights

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime, time

    from rcim.program.policy import RiskModel
    from rcim.program.types import RiskLevel

_TIER_SCORE = {1: 7.0, 2: 5.0, 3: 3.0, 4: 1.0}
_UNKNOWN_FAILURE_RATE_SCORE = 5.0


@dataclass(frozen=True)
class BusinessHours:
    days: tuple[int, ...]  # 0 = Monday
    start: time
    end: time


@dataclass(frozen=True)
class RiskInputs:
    """Everything the criteria are computed from, gathered by the caller from program,
    git, store and calendar."""

    tier: int
    dependents: int
    hosts: int
    files: int
    lines: int
    sensitive_paths: tuple[str, ...]
    stages_required: int
    stages_passed: int
    deployments: int
    failed_deployments: int
    backout_plan: str
    window_start: datetime | None  # local time of the window's zone
    in_freeze: bool
    business_hours: BusinessHours | None
    infra_score: float | None


@dataclass(frozen=True)
class CriterionScore:
    name: str
    raw: str
    score: float
    weight: float
    contribution: float


@dataclass(frozen=True)
class RiskAssessment:
    score: float
    level: RiskLevel
    criteria: tuple[CriterionScore, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "score": self.score,
            "level": self.level,
            "criteria": [
                {
                    "name": c.name,
                    "raw": c.raw,
                    "score": c.score,
                    "weight": c.weight,
                    "contribution": c.contribution,
                }
                for c in self.criteria
            ],
        }


def assess_risk(model: RiskModel, inputs: RiskInputs) -> RiskAssessment:
    """Score every weighted criterion and combine them; the result is deterministic."""
    names = list(model.weights)
    criteria = [Criterion(name=name, weight=model.weights[name]) for name in names]
    weights, _ = normalised_weights(criteria)
    scored: list[CriterionScore] = []
    for name, weight in zip(names, weights, strict=True):
        raw, score = CRITERIA[name](inputs)
        contribution = round(float(weight) * score, 4)
        scored.append(
            CriterionScore(name, raw, round(score, 2), round(float(weight), 4), contribution)
        )
    total = round(sum(float(w) * c.score for w, c in zip(weights, scored, strict=True)), 2)
    return RiskAssessment(total, model.levels.level_of(total), tuple(scored))


def blast_radius(inputs: RiskInputs) -> tuple[str, float]:
    """Critical services, many dependents and many hosts widen what a failure reaches."""
    base = _TIER_SCORE.get(inputs.tier, 1.0)
    score = min(10.0, base + min(2, inputs.dependents) + (1.0 if inputs.hosts > 2 else 0.0))
    return f"tier {inputs.tier}, {inputs.dependents} dependents, {inputs.hosts} hosts", score


def change_size(inputs: RiskInputs) -> tuple[str, float]:
    """Grows with the logarithm of lines changed (10 → 2.5, 100 → 5, 1000 → 7.5) plus files."""
    score = min(10.0, 2.5 * math.log10(1 + inputs.lines) + 0.1 * inputs.files)
    return f"{inputs.files} files, {inputs.lines} lines", score


def sensitive_paths(inputs: RiskInputs) -> tuple[str, float]:
    count = len(inputs.sensitive_paths)
    score = 0.0 if count == 0 else min(10.0, 4.0 + 2.0 * count)
    shown = ", ".join(inputs.sensitive_paths[:3]) + (" ..." if count > 3 else "")
    return (f"{count} sensitive: {shown}" if count else "none"), score


def test_evidence(inputs: RiskInputs) -> tuple[str, float]:
    """The share of the policy's test stages not yet passed at the change's commit."""
    if inputs.stages_required == 0:
        return "no stages required", 0.0
    missing = inputs.stages_required - inputs.stages_passed
    return (
        f"{inputs.stages_passed}/{inputs.stages_required} stages passed",
        10.0 * missing / inputs.stages_required,
    )


def failure_rate(inputs: RiskInputs) -> tuple[str, float]:
    if inputs.deployments == 0:
        return "no recent deployments", _UNKNOWN_FAILURE_RATE_SCORE
    rate = inputs.failed_deployments / inputs.deployments
    return f"{inputs.failed_deployments}/{inputs.deployments} recent deployments failed", 10 * rate


def backout(inputs: RiskInputs) -> tuple[str, float]:
    plan = inputs.backout_plan.strip()
    if not plan:
        return "no backout plan", 10.0
    if len(plan) < 40:
        return f"short backout plan ({len(plan)} chars)", 5.0
    return f"backout plan ({len(plan)} chars)", 1.0


def timing(inputs: RiskInputs) -> tuple[str, float]:
    """Freezes are worst; late Friday and weekends leave few people to fix things; business
    hours touch users; weekday evenings are the maintenance sweet spot."""
    start = inputs.window_start
    if start is None:
        return "no window", 5.0
    if inputs.in_freeze:
        return "window inside a freeze", 10.0
    if start.weekday() >= 5 or (start.weekday() == 4 and start.hour >= 12):
        return "Friday afternoon or weekend", 7.0
    hours = inputs.business_hours
    if (
        hours is not None
        and start.weekday() in hours.days
        and hours.start <= start.time() < hours.end
    ):
        return "business hours", 5.0
    return "outside business hours", 2.0


def infra_impact(inputs: RiskInputs) -> tuple[str, float]:
    if inputs.infra_score is None:
        return "no infrastructure impact recorded", 0.0
    return f"infra risk score {inputs.infra_score:.2f}", min(10.0, inputs.infra_score)


CRITERIA: dict[str, Callable[[RiskInputs], tuple[str, float]]] = {
    "blast_radius": blast_radius,
    "change_size": change_size,
    "sensitive_paths": sensitive_paths,
    "test_evidence": test_evidence,
    "failure_rate": failure_rate,
    "backout": backout,
    "timing": timing,
    "infra_impact": infra_impact,
}
