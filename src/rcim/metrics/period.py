"""Measurement periods: half-open ``[start, end)`` ranges of aware instants.

Users write dates or datetimes. A bare date means midnight in the organization's time zone;
as the end of a period it is inclusive (the period runs to the next midnight), so
``2026-01-01..2026-03-31`` covers the whole of March 31st. A datetime without offset is read
in the organization's time zone too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from rcim.errors import InvalidInputError

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

DEFAULT_DAYS = 90
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidInputError(
                f"period {self.start.isoformat()}..{self.end.isoformat()}: end must be after start"
            )

    @property
    def days(self) -> float:
        return (self.end - self.start).total_seconds() / 86400

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60

    def contains(self, moment: datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end

    def label(self, tz: ZoneInfo) -> str:
        """``A..B`` in the organization's zone, with dates when the bounds are midnights."""
        return f"{_show(self.start, tz, end=False)}..{_show(self.end, tz, end=True)}"


def parse_moment(text: str, tz: ZoneInfo, *, what: str, end: bool = False) -> datetime:
    """A date or datetime as an aware instant (see the module docstring for the rules)."""
    raw = text.strip()
    try:
        if _DATE_ONLY.match(raw):
            day = date.fromisoformat(raw)
            return datetime.combine(day + timedelta(days=1 if end else 0), time(), tz)
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInputError(
            f"{what}: '{text}' is not an ISO 8601 date or time "
            "(e.g. 2026-03-31 or 2026-03-31T18:00:00+02:00)"
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


def parse_period(text: str, tz: ZoneInfo, *, what: str = "--compare") -> Period:
    """``A..B`` as a period."""
    start, separator, end = text.partition("..")
    if not separator or not start or not end:
        raise InvalidInputError(f"{what}: '{text}' is not a period; write START..END")
    return Period(parse_moment(start, tz, what=what), parse_moment(end, tz, what=what, end=True))


def period_between(since: str | None, until: str | None, *, now: datetime, tz: ZoneInfo) -> Period:
    """The period of ``--since``/``--until``; either side defaults to the last 90 days to now."""
    end = parse_moment(until, tz, what="--until", end=True) if until else now
    start = parse_moment(since, tz, what="--since") if since else end - timedelta(days=DEFAULT_DAYS)
    return Period(start, end)


def _show(moment: datetime, tz: ZoneInfo, *, end: bool) -> str:
    local = moment.astimezone(tz)
    if local.time() == time() and local.second == 0:
        shown = local.date() - timedelta(days=1) if end else local.date()
        return shown.isoformat()
    return local.isoformat(timespec="minutes")
