"""Properties of weekly windows: inside exactly when the local weekday and time are in the span."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import rcim.examples
from rcim.program import load_program
from rcim.program.calendar import WEEKDAYS, Calendar, WeeklySpan, Window
from rcim.release.calendar import active_freezes, windows_between, windows_overlap

if TYPE_CHECKING:
    from rcim.program.loader import Program

ABC = Path(rcim.examples.__file__).parent / "abc"
ZONES = ["Europe/Prague", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"]
MINUTES_PER_WEEK = 7 * 24 * 60
# Edges avoid 01:00-03:59, where DST changes skip or repeat wall-clock time in these zones:
# there "the local time lies in the span" has no single answer.
HOURS = [0, *range(4, 24)]

instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)
)
points = st.tuples(st.integers(0, 6), st.sampled_from(HOURS), st.integers(0, 59))


@pytest.fixture(scope="module")
def abc() -> Program:
    return load_program(ABC)


def with_weekly(
    program: Program, zone: str, start: tuple[int, int, int], end: tuple[int, int, int]
) -> Program:
    span = WeeklySpan(start=_text(start), end=_text(end))
    window = Window(name="w", timezone=zone, weekly=span)
    return dataclasses.replace(program, calendar=Calendar(freezes=(window,)))


def _text(point: tuple[int, int, int]) -> str:
    day, hour, minute = point
    return f"{WEEKDAYS[day]} {hour:02d}:{minute:02d}"


def _second_of_week(point: tuple[int, int, int]) -> int:
    day, hour, minute = point
    return ((day * 24 + hour) * 60 + minute) * 60


def in_span(local: datetime, start: tuple[int, int, int], end: tuple[int, int, int]) -> bool:
    second = local.weekday() * 86400 + local.hour * 3600 + local.minute * 60 + local.second
    fraction = local.microsecond / 1e6
    begin, finish = _second_of_week(start), _second_of_week(end)
    value = second + fraction
    if begin < finish:
        return begin <= value < finish
    return value >= begin or value < finish


@settings(max_examples=300, deadline=None)
@given(at=instants, zone=st.sampled_from(ZONES), start=points, end=points)
def test_weekly_inside_iff_local_time_in_span(
    abc: Program, at: datetime, zone: str, start: tuple[int, int, int], end: tuple[int, int, int]
) -> None:
    assume(start != end)
    program = with_weekly(abc, zone, start, end)
    active = active_freezes(program, env="production", service="booking-web", at=at)
    assert bool(active) == in_span(at.astimezone(ZoneInfo(zone)), start, end)
    assert len(active) <= 1


@settings(max_examples=100, deadline=None)
@given(at=instants, zone=st.sampled_from(ZONES), start=points, end=points)
def test_each_occurrence_starts_and_ends_on_its_local_edges(
    abc: Program, at: datetime, zone: str, start: tuple[int, int, int], end: tuple[int, int, int]
) -> None:
    assume(start != end)
    program = with_weekly(abc, zone, start, end)
    found = windows_between(program, env=None, service=None, start=at, end=at + timedelta(days=14))
    assert 2 <= len(found) <= 3
    local = ZoneInfo(zone)
    for window in found:
        begin, finish = window.start.astimezone(local), window.end.astimezone(local)
        assert (begin.weekday(), begin.hour, begin.minute) == start
        assert (finish.weekday(), finish.hour, finish.minute) == end
        assert timedelta(0) < window.end - window.start < timedelta(days=7, hours=2)
    for earlier, later in pairwise(found):
        assert not windows_overlap(earlier.start, earlier.end, later.start, later.end)
