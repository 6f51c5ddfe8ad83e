"""Models of ``release/calendar.yaml``: freeze and maintenance windows."""

from __future__ import annotations

import re
from datetime import time

from pydantic import Field, field_validator, model_validator

from rcim.program.types import DateTime, Frozen, Identifier, TimeZoneName

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKLY_POINT = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)\s+(\d{1,2}):(\d{2})$")


def parse_weekly_point(text: str) -> tuple[int, time]:
    """Read ``fri 16:00`` as (weekday index, time of day)."""
    match = _WEEKLY_POINT.match(text.strip().lower())
    if not match:
        raise ValueError(f"'{text}' is not a weekly time like 'fri 16:00'")
    hour, minute = int(match.group(2)), int(match.group(3))
    if hour > 23 or minute > 59:
        raise ValueError(f"'{text}' has an invalid time of day")
    return WEEKDAYS.index(match.group(1)), time(hour, minute)


class WeeklySpan(Frozen):
    start: str = Field(description="e.g. 'fri 16:00'")
    end: str = Field(description="e.g. 'mon 08:00'")

    @field_validator("start", "end")
    @classmethod
    def _weekly_point(cls, value: str) -> str:
        parse_weekly_point(value)
        return value


class Window(Frozen):
    """One window: a one-off range, a weekly recurrence, or the events of an iCal file."""

    name: str
    timezone: TimeZoneName | None = None
    environments: tuple[Identifier, ...] = Field(
        default=(), description="Environments it applies to; empty means all."
    )
    services: tuple[Identifier, ...] = Field(
        default=(), description="Services it applies to; empty means all."
    )
    start: DateTime | None = None
    end: DateTime | None = None
    weekly: WeeklySpan | None = None
    ical: str | None = Field(default=None, description="Path relative to the program root.")

    @model_validator(mode="after")
    def _exactly_one_kind(self) -> Window:
        kinds = [self.start is not None or self.end is not None, self.weekly, self.ical]
        if sum(bool(kind) for kind in kinds) != 1:
            raise ValueError("a window needs exactly one of: start and end, weekly, ical")
        if (self.start is None) != (self.end is None):
            raise ValueError("a one-off window needs both start and end")
        if self.start is not None and self.end is not None:
            self._check_order()
        return self

    def _check_order(self) -> None:
        assert self.start is not None
        assert self.end is not None
        both_naive = self.start.tzinfo is None and self.end.tzinfo is None
        both_aware = self.start.tzinfo is not None and self.end.tzinfo is not None
        if not (both_naive or both_aware):
            raise ValueError("start and end must both have an offset or both have none")
        if self.end <= self.start:
            raise ValueError("end must be after start")


class Calendar(Frozen):
    """The whole of ``release/calendar.yaml``."""

    timezone: TimeZoneName | None = None
    freezes: tuple[Window, ...] = ()
    maintenance: tuple[Window, ...] = ()
