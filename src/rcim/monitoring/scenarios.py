"""Traffic scenarios for generated rule tests, and the model that predicts their alerts.

A scenario is a healthy baseline of three days (so the 3d and 1d windows differ from the short
ones) followed by a burst at some multiple of the error budget. The model computes each
window's error ratio the way ``rate()`` sees 1-minute samples (a window of w minutes spans
w - 1 intervals) at each rule evaluation and decides whether an alert has held for its whole
``for`` duration; the
generated test then asserts exactly what the model predicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from rcim.monitoring.burnrate import PERIODS, BurnPolicy, error_budget

BASELINE_MINUTES = 3 * 24 * 60
# Samples arrive every minute but rules are evaluated every 5 minutes: a 3-day window read at
# every minute makes promtool take minutes per file, and 5 minutes is a common scrape cadence.
EVALUATION_MINUTES = 5
HEALTHY_SHARE = 0.1  # the baseline burns a tenth of the budget rate: healthy, not perfect


@dataclass(frozen=True)
class Scenario:
    """Consecutive segments of (minutes, error ratio); the test evaluates at the end."""

    name: str
    segments: tuple[tuple[int, float], ...]

    @property
    def minutes(self) -> int:
        return sum(length for length, _ in self.segments)

    def spans(self) -> list[tuple[int, int, float]]:
        """(first, last, ratio) index ranges of ``ratios()``; index 0 repeats the first ratio."""
        spans = []
        start = 0
        for index, (length, ratio) in enumerate(self.segments):
            end = start + length
            spans.append((0 if index == 0 else start + 1, end, ratio))
            start = end
        return spans

    def ratios(self) -> list[float]:
        """Error ratio of each 1-minute interval; index i is the interval ending at minute i."""
        per_minute = [self.segments[0][1]]
        for length, ratio in self.segments:
            per_minute.extend([ratio] * length)
        return per_minute


def scenarios_for(objective: float) -> tuple[Scenario, ...]:
    budget = error_budget(objective)
    baseline = (BASELINE_MINUTES, min(1.0, HEALTHY_SHARE * budget))
    return (
        Scenario("healthy baseline", (baseline,)),
        Scenario("fast burn", (baseline, (90, min(1.0, 20 * budget)))),
        Scenario("slow burn", (baseline, (20 * 60, min(1.0, 4 * budget)))),
    )


def window_ratio(scenario: Scenario, minute: int, window_minutes: int) -> float:
    """The error ratio ``rate()`` reports over the window ending at ``minute``.

    The mean of ``scenario.ratios()[first : minute + 1]``, computed per segment (at most a few
    terms) instead of per minute: tests of raw SLIs need it for every minute of three days.
    """
    first = max(1, minute - window_minutes + 2)
    if first > minute:
        return scenario.segments[0][1]
    total = 0.0
    for start, end, ratio in scenario.spans():
        overlap = min(end, minute) - max(start, first) + 1
        if overlap > 0:
            total += overlap * ratio
    return total / (minute - first + 1)


def expect_firing(policy: BurnPolicy, objective: float, period: str, scenario: Scenario) -> bool:
    """Whether the burn alert of ``policy`` is firing when the scenario ends."""
    end = scenario.minutes
    hold = int(policy.hold / timedelta(minutes=1))
    # The alert became active at an evaluation at least ``hold`` before the end.
    evaluations = -(-hold // EVALUATION_MINUTES) + 1
    minutes = (end - k * EVALUATION_MINUTES for k in range(evaluations))
    return all(_burning(policy, objective, period, scenario, m) for m in minutes if m >= 0)


def _burning(
    policy: BurnPolicy, objective: float, period: str, scenario: Scenario, minute: int
) -> bool:
    budget = error_budget(objective)
    for pair in policy.pairs:
        threshold = pair.factor(PERIODS[period]) * budget
        windows = (pair.long, pair.short)
        if all(window_ratio(scenario, minute, _minutes(w)) > threshold for w in windows):
            return True
    return False


def _minutes(window: timedelta) -> int:
    return int(window / timedelta(minutes=1))
