"""Freeze and maintenance windows: one-off, weekly across DST changes, iCal; at the edges."""

from __future__ import annotations

import shutil
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

import rcim.examples
from rcim.errors import ConfigError
from rcim.program import load_program
from rcim.release.calendar import (
    ActiveWindow,
    active_freezes,
    active_maintenance,
    maintenance_between,
    windows_between,
)

if TYPE_CHECKING:
    from rcim.program.loader import Program

ABC = Path(rcim.examples.__file__).parent / "abc"
DATA = Path(__file__).parent / "data" / "ical"
PRAGUE = ZoneInfo("Europe/Prague")
MINUTE = timedelta(minutes=1)


def program_with(tmp_path: Path, calendar: str, *, files: dict[str, Path] | None = None) -> Program:
    """The ABC example with ``calendar`` as its release/calendar.yaml (and extra files)."""
    root = tmp_path / "program"
    shutil.copytree(ABC, root, ignore=shutil.ignore_patterns(".*", "__*"))
    (root / "release" / "calendar.yaml").write_text(textwrap.dedent(calendar))
    for relative, source in (files or {}).items():
        shutil.copy(source, root / relative)
    return load_program(root)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def names(windows: list[ActiveWindow]) -> list[str]:
    return [window.name for window in windows]


def frozen(program: Program, at: datetime, *, env: str = "production") -> list[str]:
    return names(active_freezes(program, env=env, service="booking-web", at=at))


ONE_OFF = """\
    timezone: Europe/Prague
    freezes:
      - name: Migration freeze
        start: 2026-11-10T18:00:00
        end: 2026-11-11T06:00:00
        environments: [production]
      - name: Audit freeze
        start: 2026-11-20T09:00:00+00:00
        end: 2026-11-20T10:00:00+00:00
        timezone: Asia/Tokyo
"""


@pytest.mark.parametrize(
    ("at", "inside"),
    [
        (utc(2026, 11, 10, 16, 59), False),  # 17:59 Prague, a minute before the start
        (utc(2026, 11, 10, 17, 0), True),  # 18:00 Prague: the start belongs to the window
        (utc(2026, 11, 10, 17, 1), True),
        (utc(2026, 11, 11, 4, 59), True),  # 05:59 Prague, a minute before the end
        (utc(2026, 11, 11, 5, 0), False),  # 06:00 Prague: the end does not
        (utc(2026, 11, 11, 5, 1), False),
    ],
)
def test_one_off_naive_times_are_local_to_the_window(
    tmp_path: Path, at: datetime, inside: bool
) -> None:
    program = program_with(tmp_path, ONE_OFF)
    assert frozen(program, at) == (["Migration freeze"] if inside else [])
    assert frozen(program, at, env="staging") == []


def test_one_off_with_offsets_is_used_as_given(tmp_path: Path) -> None:
    program = program_with(tmp_path, ONE_OFF)
    assert frozen(program, utc(2026, 11, 20, 9, 59), env="staging") == ["Audit freeze"]
    assert frozen(program, utc(2026, 11, 20, 10, 0), env="staging") == []
    (window,) = active_freezes(program, env="dev", service=None, at=utc(2026, 11, 20, 9))
    assert (window.kind, window.start, window.end) == (
        "one-off",
        utc(2026, 11, 20, 9),
        utc(2026, 11, 20, 10),
    )


WEEKEND = """\
    timezone: UTC
    freezes:
      - name: Weekend freeze
        weekly: {start: "fri 16:00", end: "mon 08:00"}
        timezone: Europe/Prague
"""

# Spring: Friday 2026-03-27 16:00 CET (15:00Z) to Monday 2026-03-30 08:00 CEST (06:00Z).
# Autumn: Friday 2026-10-23 16:00 CEST (14:00Z) to Monday 2026-10-26 08:00 CET (07:00Z).
DST_EDGES = [
    ("spring", utc(2026, 3, 27, 15, 0), utc(2026, 3, 30, 6, 0)),
    ("autumn", utc(2026, 10, 23, 14, 0), utc(2026, 10, 26, 7, 0)),
]


@pytest.mark.parametrize(("season", "start", "end"), DST_EDGES)
@pytest.mark.parametrize(
    ("edge", "shift", "inside"),
    [
        ("start", -MINUTE, False),
        ("start", timedelta(0), True),
        ("start", MINUTE, True),
        ("end", -MINUTE, True),
        ("end", timedelta(0), False),
        ("end", MINUTE, False),
    ],
)
def test_weekly_window_edges_across_dst_changes(
    tmp_path: Path,
    season: str,
    start: datetime,
    end: datetime,
    edge: str,
    shift: timedelta,
    inside: bool,
) -> None:
    program = program_with(tmp_path, WEEKEND)
    at = (start if edge == "start" else end) + shift
    assert frozen(program, at) == (["Weekend freeze"] if inside else []), (season, at)


def test_weekly_window_lasts_63_or_65_real_hours_over_dst(tmp_path: Path) -> None:
    program = program_with(tmp_path, WEEKEND)
    spring = windows_between(
        program, env="production", service=None, start=utc(2026, 3, 28), end=utc(2026, 3, 29)
    )
    autumn = windows_between(
        program, env="production", service=None, start=utc(2026, 10, 24), end=utc(2026, 10, 25)
    )
    assert [w.end - w.start for w in spring] == [timedelta(hours=63)]
    assert [w.end - w.start for w in autumn] == [timedelta(hours=65)]
    assert spring[0].source == "every fri 16:00 to mon 08:00 (Europe/Prague)"


def test_monday_morning_after_dst_change_uses_the_new_offset(tmp_path: Path) -> None:
    program = program_with(tmp_path, WEEKEND)
    # 08:30 CEST on Monday 30 March is 06:30Z: past the end. A fixed +01:00 would say inside.
    assert frozen(program, utc(2026, 3, 30, 6, 30)) == []
    # 07:30 CET on Monday 26 October is 06:30Z: still inside. A fixed +02:00 would say outside.
    assert frozen(program, utc(2026, 10, 26, 6, 30)) == ["Weekend freeze"]


def test_weekly_edge_in_the_skipped_hour_is_read_on_the_new_clock(tmp_path: Path) -> None:
    program = program_with(
        tmp_path,
        """\
        freezes:
          - name: Sunday batch
            weekly: {start: "sun 02:30", end: "sun 05:00"}
        """,
    )
    # 02:30 does not exist in Prague on 2026-03-29; it is read as 02:30 CET = 03:30 CEST.
    (window,) = windows_between(
        program, env=None, service=None, start=utc(2026, 3, 29), end=utc(2026, 3, 29, 12)
    )
    assert (window.start, window.end) == (utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 3, 0))


def test_window_within_a_week_and_outside_it(tmp_path: Path) -> None:
    program = program_with(
        tmp_path,
        """\
        timezone: Europe/Prague
        freezes:
          - name: Wednesday deploy pause
            weekly: {start: "wed 09:00", end: "wed 11:00"}
            services: [booking-web]
        """,
    )
    assert frozen(program, utc(2026, 12, 2, 8, 0)) == ["Wednesday deploy pause"]
    assert frozen(program, utc(2026, 12, 2, 10, 0)) == []
    assert frozen(program, utc(2026, 12, 3, 8, 0)) == []
    other = active_freezes(program, env="production", service="vpn-gateway", at=utc(2026, 12, 2, 8))
    assert other == []


def test_window_zone_falls_back_to_calendar_then_organization(tmp_path: Path) -> None:
    calendar_zone = program_with(
        tmp_path / "a",
        """\
        timezone: America/New_York
        freezes:
          - name: Night
            weekly: {start: "tue 22:00", end: "wed 06:00"}
        """,
    )
    # Tuesday 2026-12-01 22:00 EST is Wednesday 03:00Z.
    assert frozen(calendar_zone, utc(2026, 12, 2, 3, 0)) == ["Night"]
    assert frozen(calendar_zone, utc(2026, 12, 1, 21, 0)) == []
    organization_zone = program_with(
        tmp_path / "b",
        """\
        freezes:
          - name: Night
            weekly: {start: "tue 22:00", end: "wed 06:00"}
        """,
    )
    # No zone in the calendar: ABC's organization zone, Europe/Prague (22:00 CET = 21:00Z).
    assert frozen(organization_zone, utc(2026, 12, 1, 21, 0)) == ["Night"]
    assert frozen(organization_zone, utc(2026, 12, 2, 5, 0)) == []


ICAL = """\
    timezone: Europe/Prague
    freezes:
      - name: Public holidays
        ical: release/holidays-cz.ics
        environments: [production]
      - name: Operations
        ical: release/ops.ics
        timezone: Europe/Prague
"""


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (utc(2026, 11, 16, 22, 59), []),  # 23:59 on the 16th in Prague
        (utc(2026, 11, 16, 23, 0), ["Public holidays"]),  # 00:00 on the 17th in Prague
        (utc(2026, 11, 17, 22, 59), ["Public holidays"]),
        (utc(2026, 11, 17, 23, 0), []),
        (utc(2026, 10, 30, 16, 59), []),  # data centre move: 18:00 CEST Friday (TZID)
        (utc(2026, 10, 30, 17, 0), ["Operations"]),
        (utc(2026, 11, 1, 10, 59), ["Operations"]),  # ... to 12:00 CET Sunday
        (utc(2026, 11, 1, 11, 0), []),
        (utc(2027, 3, 11, 22, 59), []),  # Founders' Day, a yearly all-day event, in 2027
        (utc(2027, 3, 11, 23, 0), ["Operations"]),
        (utc(2027, 3, 12, 22, 59), ["Operations"]),
        (utc(2027, 3, 12, 23, 0), []),
    ],
)
def test_ical_windows(tmp_path: Path, at: datetime, expected: list[str]) -> None:
    program = program_with(
        tmp_path,
        ICAL,
        files={
            "release/holidays-cz.ics": ABC / "release" / "holidays-cz.ics",
            "release/ops.ics": DATA / "ops.ics",
        },
    )
    assert frozen(program, at) == expected


def test_ical_window_names_the_event(tmp_path: Path) -> None:
    program = program_with(tmp_path, ICAL, files={"release/ops.ics": DATA / "ops.ics"})
    (window,) = active_freezes(
        program, env="production", service="booking-web", at=utc(2026, 11, 17, 12)
    )
    assert (window.kind, window.source) == (
        "ical",
        "Struggle for Freedom and Democracy Day (release/holidays-cz.ics)",
    )


def test_all_day_events_follow_the_window_zone(tmp_path: Path) -> None:
    program = program_with(
        tmp_path,
        """\
        freezes:
          - name: Holidays, Tokyo office
            ical: release/holidays-cz.ics
            timezone: Asia/Tokyo
        """,
    )
    (window,) = active_freezes(program, env=None, service=None, at=utc(2026, 12, 23, 16))
    assert (window.start, window.end) == (utc(2026, 12, 23, 15), utc(2026, 12, 24, 15))


def test_broken_ical_file_is_a_located_config_error(tmp_path: Path) -> None:
    program = program_with(
        tmp_path,
        """\
        freezes:
          - name: Broken
            ical: release/broken.ics
        """,
        files={"release/broken.ics": DATA / "broken-no-dtstart.ics"},
    )
    with pytest.raises(ConfigError) as caught:
        active_freezes(program, env="production", service="booking-web", at=utc(2026, 1, 1))
    assert str(caught.value) == f"{program.root / 'release/broken.ics'}:3: VEVENT has no DTSTART"


def test_weekly_window_that_starts_where_it_ends_is_a_located_error(tmp_path: Path) -> None:
    program = program_with(
        tmp_path,
        """\
        freezes:
          - name: Pointless
            weekly: {start: "mon 08:00", end: "mon 08:00"}
        """,
    )
    with pytest.raises(ConfigError) as caught:
        active_freezes(program, env="production", service="booking-web", at=utc(2026, 1, 1))
    assert str(caught.value) == (
        f"{program.root / 'release/calendar.yaml'}:3:13: "
        "freezes[0].weekly: start and end are the same moment of the week"
    )


def test_maintenance_windows_are_separate_from_freezes(tmp_path: Path) -> None:
    program = program_with(
        tmp_path,
        """\
        timezone: Europe/Prague
        maintenance:
          - name: Tuesday night maintenance
            weekly: {start: "tue 22:00", end: "wed 02:00"}
        """,
    )
    at = utc(2026, 12, 1, 22)
    assert frozen(program, at) == []
    assert names(active_maintenance(program, env="production", service="vpn-gateway", at=at)) == [
        "Tuesday night maintenance"
    ]
    week = maintenance_between(
        program, env=None, service=None, start=utc(2026, 11, 30), end=utc(2026, 12, 14)
    )
    assert [w.start for w in week] == [utc(2026, 12, 1, 21), utc(2026, 12, 8, 21)]


def test_windows_between_lists_every_overlapping_occurrence_in_order(tmp_path: Path) -> None:
    program = program_with(tmp_path, ONE_OFF + WEEKEND.split("freezes:\n")[1])
    found = windows_between(
        program,
        env="production",
        service="booking-web",
        start=utc(2026, 11, 6),
        end=utc(2026, 11, 14),
    )
    assert [(w.name, w.start) for w in found] == [
        ("Weekend freeze", utc(2026, 11, 6, 15)),
        ("Migration freeze", utc(2026, 11, 10, 17)),
        ("Weekend freeze", utc(2026, 11, 13, 15)),
    ]


def test_no_calendar_means_no_windows(tmp_path: Path) -> None:
    program = program_with(tmp_path, "freezes: []\n")
    assert frozen(program, utc(2026, 12, 25)) == []
    with pytest.raises(ValueError, match="timezone-aware"):
        active_freezes(program, env=None, service=None, at=datetime(2026, 12, 25))
