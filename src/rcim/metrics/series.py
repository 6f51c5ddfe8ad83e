"""Week-by-week values of the four keys over a period, for charts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rcim.metrics.compute import compute_metrics
from rcim.metrics.period import Period

if TYPE_CHECKING:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from rcim.metrics.compute import History, Scope


@dataclass(frozen=True)
class WeekPoint:
    """One week's values; ``None`` where the week had no data."""

    week: date
    deployments: int
    lead_time_hours: float | None
    failure_rate: float | None
    restore_hours: float | None


def weekly_series(
    history: History, scope: Scope, period: Period, tz: ZoneInfo
) -> tuple[WeekPoint, ...]:
    """One point per week (Monday in ``tz``) that overlaps ``period``, clipped to it."""
    points: list[WeekPoint] = []
    for start, end in _weeks(period, tz):
        metrics = compute_metrics(history, scope, Period(start, end), tz)
        points.append(
            WeekPoint(
                week=start.astimezone(tz).date(),
                deployments=metrics.frequency.deployments,
                lead_time_hours=metrics.lead_time.median_hours,
                failure_rate=metrics.failure_rate.rate,
                restore_hours=metrics.restore.median_hours,
            )
        )
    return tuple(points)


def _weeks(period: Period, tz: ZoneInfo) -> list[tuple[datetime, datetime]]:
    local = period.start.astimezone(tz)
    monday = (local - timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    weeks: list[tuple[datetime, datetime]] = []
    while monday < period.end:
        # Aware arithmetic in a ZoneInfo zone is wall-clock arithmetic: the next Monday
        # midnight, whatever daylight saving did in between.
        following = monday + timedelta(days=7)
        weeks.append((max(monday, period.start), min(following, period.end)))
        monday = following
    return weeks
