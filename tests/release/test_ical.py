"""The RFC 5545 reader: unfolding, value types, recurrences, and located errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import rcim.examples
from rcim.errors import ConfigError
from rcim.release.ical import IcalEvent, parse_ical, read_ical, unfold

DATA = Path(__file__).parent / "data" / "ical"
ABC_HOLIDAYS = Path(rcim.examples.__file__).parent / "abc" / "release" / "holidays-cz.ics"
PRAGUE = ZoneInfo("Europe/Prague")
HORIZON = datetime(2030, 1, 1, tzinfo=UTC)


def _by_summary(events: list[IcalEvent], summary: str) -> list[IcalEvent]:
    return [event for event in events if event.summary == summary]


def _calendar(*lines: str) -> str:
    return "\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", *lines, "END:VCALENDAR", ""])


def _error(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_ical(text, "cal.ics")
    return str(caught.value)


def test_unfold_joins_continuation_lines_and_keeps_the_first_line_number() -> None:
    text = "A:1\r\nSUMMARY:long\r\n  text\r\n\tmore\r\nB:2"
    # One leading space or tab is dropped, nothing else: "  text" keeps a space.
    assert list(unfold(text)) == [(1, "A:1"), (2, "SUMMARY:long textmore"), (5, "B:2")]


def test_abc_holidays_are_all_day_floating_events() -> None:
    events = read_ical(ABC_HOLIDAYS, "holidays-cz.ics")
    assert len(events) == 26
    christmas_eve = _by_summary(events, "Christmas Eve")[0]
    assert (christmas_eve.start, christmas_eve.end) == (
        datetime(2026, 12, 24),
        datetime(2026, 12, 25),
    )
    assert christmas_eve.all_day
    assert christmas_eve.placed_in(PRAGUE) == (
        datetime(2026, 12, 23, 23, tzinfo=UTC),
        datetime(2026, 12, 24, 23, tzinfo=UTC),
    )


def test_tzid_event_with_crlf_folding_escapes_and_a_nested_alarm() -> None:
    events = read_ical(DATA / "ops.ics", "ops.ics", until=HORIZON)
    move = [event for event in events if event.summary.startswith("Data centre")]
    assert [event.summary for event in move] == ["Data centre move, rack B to rack D"]
    # 18:00 CEST on Friday, 12:00 CET on Sunday: the end is after the October DST change.
    assert (move[0].start, move[0].end) == (
        datetime(2026, 10, 30, 17, tzinfo=UTC),
        datetime(2026, 11, 1, 11, tzinfo=UTC),
    )
    assert not move[0].all_day


def test_utc_event_with_duration() -> None:
    events = read_ical(DATA / "ops.ics", "ops.ics", until=HORIZON)
    stocktake = _by_summary(events, "Warehouse stock-take")[0]
    assert (stocktake.start, stocktake.end) == (
        datetime(2026, 6, 30, 22, tzinfo=UTC),
        datetime(2026, 7, 2, 0, tzinfo=UTC),
    )


def test_yearly_rule_without_end_is_expanded_up_to_the_horizon() -> None:
    events = read_ical(DATA / "ops.ics", "ops.ics", until=datetime(2027, 6, 1, tzinfo=UTC))
    founders = _by_summary(events, "Founders' Day")
    assert [event.start for event in founders] == [
        datetime(y, 3, 12) for y in (2024, 2025, 2026, 2027)
    ]
    assert all(
        event.end - event.start == datetime(2024, 3, 13) - datetime(2024, 3, 12)
        for event in founders
    )


def test_weekly_tzid_rule_keeps_local_time_across_dst_and_honours_count_and_exdate() -> None:
    board = _by_summary(read_ical(DATA / "recurring.ics", "r.ics", until=HORIZON), "Board meeting")
    # COUNT=4 generates Mar 19, Mar 26, Apr 2 and Apr 9; EXDATE removes Apr 2.
    assert [event.start for event in board] == [
        datetime(2026, 3, 19, 8, tzinfo=UTC),
        datetime(2026, 3, 26, 8, tzinfo=UTC),
        datetime(2026, 4, 9, 7, tzinfo=UTC),  # 09:00 CEST after the March change
    ]
    assert all(event.end - event.start == board[0].end - board[0].start for event in board)


def test_yearly_rule_on_february_29_skips_common_years_until_a_date() -> None:
    leap = _by_summary(
        read_ical(DATA / "recurring.ics", "r.ics", until=datetime(2040, 1, 1, tzinfo=UTC)),
        "Leap day audit",
    )
    assert [event.start for event in leap] == [datetime(y, 2, 29) for y in (2024, 2028, 2032)]


def test_weekly_by_day_with_interval_and_until() -> None:
    patch = _by_summary(read_ical(DATA / "recurring.ics", "r.ics", until=HORIZON), "Patch night")
    assert [event.start.day for event in patch] == [2, 5, 16, 19, 30]
    assert all(event.start.tzinfo is None and event.start.hour == 20 for event in patch)


def test_monthly_rule_skips_months_without_the_day() -> None:
    close = _by_summary(
        read_ical(DATA / "recurring.ics", "r.ics", until=HORIZON), "Month-end close"
    )
    assert [event.start.month for event in close] == [1, 3, 5, 7]


def test_overridden_and_cancelled_instances_replace_the_generated_ones() -> None:
    events = read_ical(DATA / "recurring.ics", "r.ics", until=HORIZON)
    standups = [event for event in events if event.summary.startswith("Stand-up")]
    assert [(event.start.day, event.start.hour) for event in standups] == [
        (1, 7),
        (2, 7),
        (3, 10),
        (5, 7),
    ]
    assert not _by_summary(events, "Offsite (cancelled)")


def test_horizon_stops_an_endless_rule() -> None:
    text = _calendar(
        "BEGIN:VEVENT",
        "DTSTART:20260101T000000Z",
        "DURATION:PT1H",
        "RRULE:FREQ=DAILY",
        "END:VEVENT",
    )
    events = parse_ical(text, "cal.ics", until=datetime(2026, 1, 11, tzinfo=UTC))
    assert len(events) == 10


def test_date_event_without_end_lasts_one_day() -> None:
    text = _calendar("BEGIN:VEVENT", "DTSTART;VALUE=DATE:20261228", "END:VEVENT")
    (event,) = parse_ical(text, "cal.ics")
    assert event.end - event.start == datetime(2026, 1, 2) - datetime(2026, 1, 1)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["BEGIN:VEVENT", "SUMMARY:x", "END:VEVENT"], "cal.ics:3: VEVENT has no DTSTART"),
        (
            ["BEGIN:VEVENT", "DTSTART;TZID=Mars/Olympus:20260101T100000", "END:VEVENT"],
            "cal.ics:4: DTSTART: unknown TZID 'Mars/Olympus'",
        ),
        (
            [
                "BEGIN:VEVENT",
                "DTSTART:20260101T100000",
                "RRULE:FREQ=YEARLY;BYMONTH=1",
                "END:VEVENT",
            ],
            "cal.ics:5: RRULE part 'BYMONTH=1' is not supported",
        ),
        (
            ["BEGIN:VEVENT", "DTSTART:20260101T100000", "RRULE:FREQ=HOURLY", "END:VEVENT"],
            "cal.ics:5: RRULE FREQ 'HOURLY' is not supported",
        ),
        (
            [
                "BEGIN:VEVENT",
                "DTSTART:20260101T100000",
                "RRULE:FREQ=WEEKLY;BYDAY=1MO",
                "END:VEVENT",
            ],
            "cal.ics:5: RRULE weekday '1MO' is not supported",
        ),
        (
            ["BEGIN:VEVENT", "DTSTART:20260101T100000", "RRULE:FREQ=DAILY;COUNT=0", "END:VEVENT"],
            "cal.ics:5: RRULE COUNT must be a positive integer",
        ),
        (["BEGIN:VEVENT", "DTSTART:20261301", "END:VEVENT"], "cal.ics:4: DTSTART: '20261301'"),
        (
            ["BEGIN:VEVENT", "DTSTART:tomorrow", "END:VEVENT"],
            "cal.ics:4: DTSTART: 'tomorrow' is not",
        ),
        (
            ["BEGIN:VEVENT", "DTSTART:20260102T000000Z", "DTEND:20260101T000000Z", "END:VEVENT"],
            "cal.ics:4: the event ends before it starts",
        ),
        (["BEGIN:VEVENT", "DTSTART:20260101", "END:VTODO"], "cal.ics:5: END:VTODO does not close"),
        (
            ["BEGIN:VEVENT", "DTSTART:20260101"],
            "cal.ics:5: END:VCALENDAR does not close BEGIN:VEVENT of line 3",
        ),
        (["BEGIN:VEVENT", "this line has no colon", "END:VEVENT"], "cal.ics:4: 'this line has no"),
    ],
)
def test_errors_name_file_and_line(lines: list[str], expected: str) -> None:
    assert _error(_calendar(*lines)).startswith(expected)


def test_not_a_calendar() -> None:
    assert _error("hello: world\n").startswith("cal.ics:1: HELLO outside BEGIN:VCALENDAR")
    assert _error("").startswith("cal.ics:1: not an iCalendar file")
    assert _error("BEGIN:VEVENT\nEND:VEVENT\n").startswith("cal.ics:1: BEGIN:VEVENT first")
    unclosed = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260101\n"
    assert _error(unclosed).startswith("cal.ics:2: BEGIN:VEVENT is never closed with END:VEVENT")


def test_unreadable_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^x.ics: file not found"):
        read_ical(tmp_path / "missing.ics", "x.ics")
    latin = tmp_path / "latin.ics"
    latin.write_bytes(b"SUMMARY:St\xe9phane\n")
    with pytest.raises(ConfigError, match=r"^l.ics: cannot read file"):
        read_ical(latin, "l.ics")


def test_missing_dtstart_in_a_data_file_names_the_event_line() -> None:
    with pytest.raises(ConfigError, match=r"^b.ics:3: VEVENT has no DTSTART$"):
        read_ical(DATA / "broken-no-dtstart.ics", "b.ics")
