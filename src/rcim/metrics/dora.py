"""DORA performance levels and the Four Keys deployment-frequency bucket.

Sources, so that anyone can check the numbers:

- Levels: *Accelerate State of DevOps Report 2021* (DORA / Google Cloud), table "Software
  delivery performance metric" (elite / high / medium / low). The report leaves gaps between
  some levels (e.g. lead time between one hour and one day); the boundaries below close
  them the way the Four Keys dashboard does (``dora-team/fourkeys``, dashboard query:
  lead time "One day" < 24 h, "One week" < 168 h; change failure rate buckets 0-15 %,
  16-45 %), each gap going to the better neighbouring level's lower bound.
- Deployment-frequency bucket: the Four Keys rule. Over the weeks of the period, Daily when
  the median number of days with a deployment per week is at least 3; else Weekly when most
  weeks have a deployment (median of "week had one" >= 1); else Monthly when the median
  number of weeks with a deployment per month is at least 1; else Yearly.

Boundaries are upper bounds, exclusive unless noted: a median lead time of exactly 24 hours
is *high*, not elite.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from rcim.metrics.stats import median

if TYPE_CHECKING:
    from collections.abc import Iterable
    from zoneinfo import ZoneInfo

    from rcim.metrics.period import Period

Level = Literal["elite", "high", "medium", "low"]
Bucket = Literal["daily", "weekly", "monthly", "yearly"]

HOUR = 1.0
DAY = 24 * HOUR
WEEK = 7 * DAY
SIX_MONTHS = 730 * 6 * HOUR  # Four Keys counts a month as 730 hours

FREQUENCY_LEVELS: dict[Bucket, Level] = {
    "daily": "elite",  # on demand, multiple deploys per day
    "weekly": "high",  # between once per week and once per month
    "monthly": "medium",  # between once per month and once every six months
    "yearly": "low",  # fewer than once per six months
}
# (upper bound in hours, exclusive; level) in order
LEAD_TIME_LEVELS: tuple[tuple[float, Level], ...] = (
    (DAY, "elite"),
    (WEEK, "high"),
    (SIX_MONTHS, "medium"),
)
RESTORE_LEVELS: tuple[tuple[float, Level], ...] = (
    (HOUR, "elite"),
    (DAY, "high"),
    (WEEK, "medium"),
)
# (upper bound as a fraction, inclusive; level) in order
FAILURE_RATE_LEVELS: tuple[tuple[float, Level], ...] = (
    (0.15, "elite"),
    (0.30, "high"),
    (0.45, "medium"),
)


def lead_time_level(median_hours: float | None) -> Level | None:
    return _by_upper_bound(median_hours, LEAD_TIME_LEVELS, inclusive=False)


def restore_level(median_hours: float | None) -> Level | None:
    return _by_upper_bound(median_hours, RESTORE_LEVELS, inclusive=False)


def failure_rate_level(rate: float | None) -> Level | None:
    return _by_upper_bound(rate, FAILURE_RATE_LEVELS, inclusive=True)


def frequency_level(bucket: Bucket | None) -> Level | None:
    return None if bucket is None else FREQUENCY_LEVELS[bucket]


def frequency_bucket(
    deployed_at: Iterable[datetime], period: Period, tz: ZoneInfo
) -> Bucket | None:
    """The Four Keys bucket for successful deployments at ``deployed_at`` (None if none).

    Weeks start on Monday in the organization's time zone; the partial weeks at either
    end of the period count like the others, as in Four Keys.
    """
    days = {moment.astimezone(tz).date() for moment in deployed_at}
    if not days:
        return None
    weeks = _weeks_of(period, tz)
    per_week = Counter(_monday(day) for day in days)
    days_per_week = [per_week[week] for week in weeks]
    deployed_weeks = [1 if count else 0 for count in days_per_week]
    if (median(days_per_week) or 0) >= 3:
        return "daily"
    if (median(deployed_weeks) or 0) >= 1:
        return "weekly"
    if (median(_weeks_deployed_in_month(weeks, deployed_weeks)) or 0) >= 1:
        return "monthly"
    return "yearly"


def _weeks_deployed_in_month(weeks: list[date], deployed: list[int]) -> list[int]:
    """For each week, how many weeks of its month (by the week's Monday) had a deployment."""
    per_month: dict[tuple[int, int], int] = defaultdict(int)
    for week, flag in zip(weeks, deployed, strict=True):
        per_month[(week.year, week.month)] += flag
    return [per_month[(week.year, week.month)] for week in weeks]


def _weeks_of(period: Period, tz: ZoneInfo) -> list[date]:
    first = _monday(period.start.astimezone(tz).date())
    last = _monday((period.end - timedelta(microseconds=1)).astimezone(tz).date())
    count = (last - first).days // 7 + 1
    return [first + timedelta(weeks=index) for index in range(count)]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _by_upper_bound(
    value: float | None, levels: tuple[tuple[float, Level], ...], *, inclusive: bool
) -> Level | None:
    if value is None:
        return None
    for bound, level in levels:
        if value < bound or (inclusive and value == bound):
            return level
    return "low"
