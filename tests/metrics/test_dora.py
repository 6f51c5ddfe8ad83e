"""DORA levels and the Four Keys frequency bucket at their boundaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rcim.metrics import dora
from rcim.metrics.period import Period

TZ = ZoneInfo("UTC")
MONDAY = datetime(2026, 1, 5, tzinfo=UTC)
FOUR_WEEKS = Period(MONDAY, MONDAY + timedelta(weeks=4))


def days(*offsets: int) -> list[datetime]:
    return [MONDAY + timedelta(days=offset, hours=10) for offset in offsets]


def test_daily_needs_a_median_of_three_days_a_week() -> None:
    three_each_week = [w * 7 + d for w in range(4) for d in (0, 1, 2)]
    assert dora.frequency_bucket(days(*three_each_week), FOUR_WEEKS, TZ) == "daily"
    two_each_week = [w * 7 + d for w in range(4) for d in (0, 1)]
    assert dora.frequency_bucket(days(*two_each_week), FOUR_WEEKS, TZ) == "weekly"


def test_many_deploys_on_one_day_are_one_day() -> None:
    same_day = [MONDAY + timedelta(hours=h) for h in range(1, 20)]
    assert dora.frequency_bucket(same_day, Period(MONDAY, MONDAY + timedelta(weeks=1)), TZ) == (
        "weekly"
    )


def test_weekly_needs_most_weeks() -> None:
    assert dora.frequency_bucket(days(0, 7, 14), FOUR_WEEKS, TZ) == "weekly"
    # Half the weeks is not most: the median of 1, 1, 0, 0 is 0.5.
    assert dora.frequency_bucket(days(0, 7), FOUR_WEEKS, TZ) == "monthly"
    assert dora.frequency_bucket(days(0), FOUR_WEEKS, TZ) == "monthly"


def test_monthly_and_yearly() -> None:
    quarter = Period(MONDAY, MONDAY + timedelta(weeks=13))
    monthly = days(0, 35, 63)  # one week in each of January, February, March
    assert dora.frequency_bucket(monthly, quarter, TZ) == "monthly"
    assert dora.frequency_bucket(days(0), quarter, TZ) == "yearly"
    assert dora.frequency_bucket([], quarter, TZ) is None


def test_weeks_follow_the_organization_time_zone() -> None:
    # In UTC the deploys fall on Sunday of week 1 and Tuesday of week 2. In Prague both are
    # in week 2 (Sunday 23:30 UTC is Monday 00:30 there), and the period's last hour (Monday
    # 00:00-01:00 in Prague) opens a third week without deploys.
    sunday_late = datetime(2026, 1, 11, 23, 30, tzinfo=UTC)
    period = Period(MONDAY, MONDAY + timedelta(weeks=2))
    deploys = [sunday_late, sunday_late + timedelta(days=2)]
    assert dora.frequency_bucket(deploys, period, ZoneInfo("UTC")) == "weekly"
    assert dora.frequency_bucket(deploys, period, ZoneInfo("Europe/Prague")) == "monthly"


@pytest.mark.parametrize(
    ("hours", "level"),
    [
        (None, None),
        (23.99, "elite"),
        (24, "high"),
        (167.9, "high"),
        (168, "medium"),
        (4379, "medium"),
        (4380, "low"),
    ],
)
def test_lead_time_levels(hours: float | None, level: str | None) -> None:
    assert dora.lead_time_level(hours) == level


@pytest.mark.parametrize(
    ("hours", "level"),
    [(0.99, "elite"), (1, "high"), (23.9, "high"), (24, "medium"), (168, "low")],
)
def test_restore_levels(hours: float, level: str) -> None:
    assert dora.restore_level(hours) == level


@pytest.mark.parametrize(
    ("rate", "level"),
    [
        (0.0, "elite"),
        (0.15, "elite"),
        (0.151, "high"),
        (0.30, "high"),
        (0.45, "medium"),
        (0.46, "low"),
        (None, None),
    ],
)
def test_failure_rate_levels(rate: float | None, level: str | None) -> None:
    assert dora.failure_rate_level(rate) == level


def test_frequency_levels() -> None:
    assert [dora.frequency_level(b) for b in ("daily", "weekly", "monthly", "yearly")] == [
        "elite",
        "high",
        "medium",
        "low",
    ]
    assert dora.frequency_level(None) is None
