"""The ABC Logistics example calendar, evaluated as the gate will evaluate it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

import rcim.examples
from rcim.program import load_program
from rcim.release.calendar import active_freezes, active_maintenance, windows_between

if TYPE_CHECKING:
    from rcim.program.loader import Program

ABC = Path(rcim.examples.__file__).parent / "abc"
PRAGUE = ZoneInfo("Europe/Prague")


@pytest.fixture(scope="module")
def abc() -> Program:
    return load_program(ABC)


def freezes_at(program: Program, local: datetime, env: str = "production") -> list[str]:
    at = local.replace(tzinfo=PRAGUE)
    return [w.name for w in active_freezes(program, env=env, service="booking-web", at=at)]


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime(2026, 12, 4, 17, 0), ["Weekend freeze"]),  # Friday after 16:00
        (datetime(2026, 12, 4, 15, 59), []),  # Friday before 16:00
        (datetime(2026, 12, 7, 7, 59), ["Weekend freeze"]),  # Monday before 08:00
        (datetime(2026, 12, 7, 8, 0), []),
        (datetime(2026, 12, 3, 17, 0), []),  # an ordinary Thursday
        (datetime(2026, 11, 17, 10, 0), ["Czech public holidays"]),  # a Tuesday holiday
        (datetime(2026, 12, 24, 10, 0), ["Year-end peak season", "Czech public holidays"]),
        (
            datetime(2026, 12, 26, 10, 0),
            ["Year-end peak season", "Weekend freeze", "Czech public holidays"],
        ),
        (datetime(2027, 1, 4, 7, 59), ["Year-end peak season", "Weekend freeze"]),  # Monday
        (datetime(2027, 1, 4, 8, 0), []),
        (datetime(2027, 3, 26, 9, 0), ["Czech public holidays"]),  # Good Friday 2027, morning
    ],
)
def test_abc_production_freezes(abc: Program, local: datetime, expected: list[str]) -> None:
    assert sorted(freezes_at(abc, local)) == sorted(expected)


def test_abc_christmas_eve_is_named(abc: Program) -> None:
    at = datetime(2026, 12, 24, 12, tzinfo=PRAGUE)
    holidays = [
        w
        for w in active_freezes(abc, env="production", service="vpn-gateway", at=at)
        if w.kind == "ical"
    ]
    assert [w.source for w in holidays] == ["Christmas Eve (release/holidays-cz.ics)"]
    assert (holidays[0].start, holidays[0].end) == (
        datetime(2026, 12, 23, 23, tzinfo=UTC),
        datetime(2026, 12, 24, 23, tzinfo=UTC),
    )
    assert holidays[0].to_json() == {
        "name": "Czech public holidays",
        "kind": "ical",
        "start": "2026-12-23T23:00:00+00:00",
        "end": "2026-12-24T23:00:00+00:00",
        "source": "Christmas Eve (release/holidays-cz.ics)",
    }


def test_abc_staging_is_never_frozen(abc: Program) -> None:
    assert freezes_at(abc, datetime(2026, 12, 24, 10), env="staging") == []
    assert freezes_at(abc, datetime(2026, 12, 4, 17), env="staging") == []


def test_abc_tuesday_night_maintenance(abc: Program) -> None:
    at = datetime(2026, 12, 1, 23, 30, tzinfo=PRAGUE)
    assert [
        w.name for w in active_maintenance(abc, env="staging", service="records-archive", at=at)
    ] == ["Tuesday night maintenance"]


def test_abc_december_freeze_calendar(abc: Program) -> None:
    december = windows_between(
        abc,
        env="production",
        service="booking-web",
        start=datetime(2026, 12, 1, tzinfo=PRAGUE),
        end=datetime(2027, 1, 1, tzinfo=PRAGUE),
    )
    kinds = [w.kind for w in december]
    assert kinds.count("weekly") == 4  # weekends starting 4, 11, 18 and 25 Dec
    assert kinds.count("one-off") == 1
    assert [w.source.split(" (")[0] for w in december if w.kind == "ical"] == [
        "Christmas Eve",
        "Christmas Day",
        "St. Stephen's Day",
    ]
