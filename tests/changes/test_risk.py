"""Risk scoring: the weighted sum of the seed's method over measured criteria."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from rcim.changes.risk import BusinessHours, RiskInputs, assess_risk, timing
from rcim.program.policy import RiskLevels, RiskModel

HOURS = BusinessHours((0, 1, 2, 3, 4), time(8), time(18))
BASE = RiskInputs(
    tier=1,
    dependents=1,
    hosts=3,
    files=2,
    lines=99,
    sensitive_paths=(),
    stages_required=3,
    stages_passed=3,
    deployments=10,
    failed_deployments=1,
    backout_plan="x" * 50,
    window_start=datetime(2026, 6, 10, 20, 0),
    in_freeze=False,
    business_hours=HOURS,
    infra_score=None,
)
MODEL = RiskModel(
    weights={"blast_radius": 0.5, "change_size": 0.25, "backout": 0.25},
    levels=RiskLevels(medium=4.0, high=7.0),
)


def test_score_is_the_weighted_sum_of_criterion_scores() -> None:
    assessment = assess_risk(MODEL, BASE)
    scores = {c.name: c.score for c in assessment.criteria}
    assert scores == {"blast_radius": 9.0, "change_size": 5.2, "backout": 1.0}
    assert assessment.score == pytest.approx(0.5 * 9 + 0.25 * 5.2 + 0.25 * 1.0, abs=0.01)
    assert assessment.level == "medium"
    contributions = sum(c.contribution for c in assessment.criteria)
    assert contributions == pytest.approx(assessment.score, abs=0.01)


def test_weights_are_normalised_like_rcim_decide() -> None:
    doubled = RiskModel(
        weights={name: 2 * w for name, w in MODEL.weights.items()}, levels=MODEL.levels
    )
    assert assess_risk(doubled, BASE).score == assess_risk(MODEL, BASE).score


def test_missing_backout_plan_and_sensitive_paths_raise_the_level() -> None:
    model = RiskModel(weights={"backout": 0.5, "sensitive_paths": 0.5}, levels=MODEL.levels)
    risky = BASE.__class__(**{**BASE.__dict__, "backout_plan": "", "sensitive_paths": ("a", "b")})
    assessment = assess_risk(model, risky)
    assert assessment.score == pytest.approx(9.0)
    assert assessment.level == "high"


@pytest.mark.parametrize(
    ("start", "frozen", "expected"),
    [
        (None, False, 5.0),
        (datetime(2026, 6, 10, 20, 0), True, 10.0),
        (datetime(2026, 6, 12, 15, 0), False, 7.0),
        (datetime(2026, 6, 10, 10, 0), False, 5.0),
        (datetime(2026, 6, 10, 20, 0), False, 2.0),
    ],
)
def test_timing(start: datetime | None, frozen: bool, expected: float) -> None:
    inputs = BASE.__class__(**{**BASE.__dict__, "window_start": start, "in_freeze": frozen})
    assert timing(inputs)[1] == expected
