from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rcim.monitoring.burnrate import FAST, SLOW
from rcim.monitoring.ruletests import compress, counter_values
from rcim.monitoring.scenarios import Scenario, expect_firing, scenarios_for, window_ratio


@pytest.mark.parametrize("objective", [99.9, 99.5, 99.0, 95.0])
def test_each_scenario_fires_the_alert_it_is_named_after(objective: float) -> None:
    healthy, fast, slow = scenarios_for(objective)
    assert healthy.minutes == 3 * 24 * 60
    fired = {
        s.name: (expect_firing(FAST, objective, "30d", s), expect_firing(SLOW, objective, "30d", s))
        for s in (healthy, fast, slow)
    }
    assert fired == {
        "healthy baseline": (False, False),
        "fast burn": (True, False),
        "slow burn": (False, True),
    }


def test_low_objectives_cannot_burn_fast_and_the_model_says_so() -> None:
    # A 90% objective has a 10% budget: 14.4x of it is more than every request failing.
    _, fast, _ = scenarios_for(90.0)
    assert not expect_firing(FAST, 90.0, "30d", fast)


def test_window_ratio_spans_window_minus_one_intervals() -> None:
    scenario = Scenario("s", ((10, 0.0), (2, 1.0)))
    assert window_ratio(scenario, 12, 5) == 0.5
    assert window_ratio(scenario, 12, 3) == 1.0
    assert window_ratio(scenario, 0, 5) == 0.0


@given(
    segments=st.lists(
        st.tuples(st.integers(1, 40), st.floats(0, 1, allow_nan=False)), min_size=1, max_size=4
    ),
    window=st.integers(1, 100),
    data=st.data(),
)
def test_window_ratio_is_the_mean_of_the_minutes_rate_sees(
    segments: list[tuple[int, float]], window: int, data: st.DataObject
) -> None:
    scenario = Scenario("s", tuple(segments))
    minute = data.draw(st.integers(0, scenario.minutes))
    ratios = scenario.ratios()
    first = max(1, minute - window + 2)
    span = ratios[first : minute + 1] or ratios[:1]
    assert window_ratio(scenario, minute, window) == pytest.approx(sum(span) / len(span))


def test_expanding_notation() -> None:
    assert counter_values([(3, 1.0), (2, 5.0)]) == "0+1x3 8+5x1"
    assert compress([0.0, 0.0, 0.0, 1.0, 2.0, 3.0]) == "0x2 1+1x2"
    assert compress([0.5]) == "0.5x0"
