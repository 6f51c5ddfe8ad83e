"""A small RFC 5545 reader: the events of an iCalendar file, recurrences expanded.

Enough of the standard for freeze calendars (public holidays, company shutdowns): VEVENT with
DTSTART and DTEND or DURATION, as DATE or DATE-TIME, in UTC (``Z``), with ``TZID`` or floating;
RRULE with FREQ=DAILY/WEEKLY/MONTHLY/YEARLY, INTERVAL, COUNT, UNTIL, WKST and a plain weekly
BYDAY; EXDATE; RECURRENCE-ID overrides; STATUS:CANCELLED. Any other rule part is refused with
``file:line`` instead of being guessed at, because a freeze evaluated wrongly fails open.

Recurrences are expanded in wall-clock time and only then placed in their zone, so a weekly
09:00 Europe/Prague event stays at 09:00 across a DST change. DATE values and DATE-TIMEs
without ``Z`` or ``TZID`` are *floating* (RFC 5545 3.3.5): they come back naive, and the caller
places them in the zone that applies (the freeze window's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rcim.errors import ConfigError, Problem

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

DEFAULT_HORIZON = datetime(2100, 1, 1, tzinfo=UTC)
MAX_STEPS = 100_000
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_RULE_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "WKST"}
_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATE_TIME = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$")
_DURATION = re.compile(
    r"^(?P<sign>[+-])?P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$"
)
_TEXT_ESCAPE = re.compile(r"\\([nN,;\\])")


@dataclass(frozen=True)
class IcalEvent:
    """One occurrence of an event. Naive ``start``/``end`` are floating local times."""

    summary: str
    start: datetime
    end: datetime
    all_day: bool
    line: int

    def placed_in(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """Start and end as aware UTC instants; floating times are read in ``zone``."""
        return _place(self.start, zone), _place(self.end, zone)


@dataclass(frozen=True)
class ContentLine:
    """One unfolded content line ``NAME;PARAM=V:VALUE`` and the line it starts on."""

    line: int
    name: str
    params: dict[str, str]
    value: str


@dataclass(frozen=True)
class Stamp:
    """A DATE or DATE-TIME value: wall-clock time and its zone (``None`` = floating)."""

    wall: datetime
    zone: tzinfo | None
    is_date: bool

    def at_wall(self, wall: datetime) -> Stamp:
        return Stamp(wall, self.zone, self.is_date)

    def instant(self) -> datetime:
        """Aware UTC when the value has a zone, the naive wall time when it floats."""
        if self.zone is None:
            return self.wall
        return self.wall.replace(tzinfo=self.zone).astimezone(UTC)


@dataclass(frozen=True)
class Rule:
    """The supported subset of an RRULE."""

    freq: str
    interval: int
    count: int | None
    until: Stamp | None
    byday: tuple[int, ...]
    wkst: int


@dataclass
class _Draft:
    """The properties of one VEVENT while it is being read."""

    line: int
    props: dict[str, ContentLine] = field(default_factory=dict)
    exdates: list[ContentLine] = field(default_factory=list)


@dataclass(frozen=True)
class _Event:
    line: int
    uid: str
    summary: str
    start: Stamp
    end: Stamp
    rule: Rule | None
    excluded: frozenset[datetime]
    recurrence_id: datetime | None
    cancelled: bool


def read_ical(path: Path, display: str, *, until: datetime = DEFAULT_HORIZON) -> list[IcalEvent]:
    """Every occurrence of every event in ``path`` starting before ``until``, sorted by start.

    Bad files raise ``ConfigError`` naming ``display:line``.
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ConfigError([Problem(display, None, None, "file not found")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError([Problem(display, None, None, f"cannot read file: {error}")]) from None
    return parse_ical(text, display, until=until)


def parse_ical(text: str, display: str, *, until: datetime = DEFAULT_HORIZON) -> list[IcalEvent]:
    """``read_ical`` for text already in memory."""
    events = [_build_event(draft, display) for draft in _drafts(text, display)]
    overridden: dict[str, set[datetime]] = {}
    for event in events:
        if event.recurrence_id is not None:
            overridden.setdefault(event.uid, set()).add(event.recurrence_id)
    found: list[IcalEvent] = []
    for event in events:
        if event.cancelled:
            continue
        skip = event.excluded | overridden.get(event.uid, set())
        if event.recurrence_id is not None:
            skip = frozenset()
        found.extend(_occurrences(event, skip, until, display))
    return sorted(found, key=lambda e: (_sort_key(e.start), e.line))


def unfold(text: str) -> Iterator[tuple[int, str]]:
    """Logical lines with the physical line each starts on (RFC 5545 3.1 line folding)."""
    current: str | None = None
    start = 0
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if raw[:1] in (" ", "\t") and current is not None:
            current += raw[1:]
            continue
        if current is not None:
            yield start, current
        current, start = raw, number
    if current is not None:
        yield start, current


def parse_content_line(number: int, text: str, display: str) -> ContentLine:
    """Split ``NAME;P1=V1;P2="V:2":VALUE``; a colon inside quotes belongs to the parameter."""
    in_quotes = False
    split_at = -1
    for index, char in enumerate(text):
        if char == '"':
            in_quotes = not in_quotes
        elif char == ":" and not in_quotes:
            split_at = index
            break
    if split_at <= 0:
        raise _problem(display, number, f"'{text[:40]}' is not a NAME:VALUE content line")
    name, *raw_params = text[:split_at].split(";")
    params: dict[str, str] = {}
    for raw in raw_params:
        key, sep, value = raw.partition("=")
        if not sep:
            raise _problem(display, number, f"parameter '{raw}' has no '='")
        params[key.upper()] = value.strip('"')
    return ContentLine(number, name.upper(), params, text[split_at + 1 :])


def _drafts(text: str, display: str) -> list[_Draft]:
    """Walk the components; keep the properties of VEVENTs (not of their nested VALARMs)."""
    stack: list[tuple[str, int]] = []
    drafts: list[_Draft] = []
    for number, raw in unfold(text):
        if not raw.strip():
            continue
        line = parse_content_line(number, raw, display)
        if line.name == "BEGIN":
            _begin(stack, line, display)
            if stack[-1][0] == "VEVENT" and len(stack) == 2:
                drafts.append(_Draft(number))
        elif line.name == "END":
            _end(stack, line, display)
        elif not stack:
            raise _problem(display, number, f"{line.name} outside BEGIN:VCALENDAR")
        elif stack[-1][0] == "VEVENT" and len(stack) == 2:
            _add_property(drafts[-1], line)
    if stack:
        name, opened = stack[-1]
        raise _problem(display, opened, f"BEGIN:{name} is never closed with END:{name}")
    if not drafts and "BEGIN:VCALENDAR" not in text.upper():
        raise _problem(display, 1, "not an iCalendar file: no BEGIN:VCALENDAR")
    return drafts


def _begin(stack: list[tuple[str, int]], line: ContentLine, display: str) -> None:
    component = line.value.upper()
    if (component == "VCALENDAR") == bool(stack):
        expected = "inside another component" if stack else "first; expected BEGIN:VCALENDAR"
        raise _problem(display, line.line, f"BEGIN:{component} {expected}")
    stack.append((component, line.line))


def _end(stack: list[tuple[str, int]], line: ContentLine, display: str) -> None:
    component = line.value.upper()
    if not stack:
        raise _problem(display, line.line, f"END:{component} without a matching BEGIN")
    expected, opened = stack.pop()
    if component != expected:
        message = f"END:{component} does not close BEGIN:{expected} of line {opened}"
        raise _problem(display, line.line, message)


def _add_property(draft: _Draft, line: ContentLine) -> None:
    if line.name == "EXDATE":
        draft.exdates.append(line)
    else:
        draft.props.setdefault(line.name, line)


def _build_event(draft: _Draft, display: str) -> _Event:
    props = draft.props
    if "DTSTART" not in props:
        raise _problem(display, draft.line, "VEVENT has no DTSTART")
    start = parse_stamp(props["DTSTART"], display)
    end = _event_end(props, start, display)
    if (end.zone is None) == (start.zone is None) and end.instant() < start.instant():
        raise _problem(display, props["DTSTART"].line, "the event ends before it starts")
    recurrence = props.get("RECURRENCE-ID")
    return _Event(
        line=draft.line,
        uid=props["UID"].value if "UID" in props else f"line-{draft.line}",
        summary=_TEXT_ESCAPE.sub(_unescape, props["SUMMARY"].value) if "SUMMARY" in props else "",
        start=start,
        end=end,
        rule=parse_rrule(props["RRULE"], display) if "RRULE" in props else None,
        excluded=frozenset(s.instant() for line in draft.exdates for s in _stamps(line, display)),
        recurrence_id=parse_stamp(recurrence, display).instant() if recurrence else None,
        cancelled="STATUS" in props and props["STATUS"].value.upper() == "CANCELLED",
    )


def _event_end(props: dict[str, ContentLine], start: Stamp, display: str) -> Stamp:
    if "DTEND" in props:
        return parse_stamp(props["DTEND"], display)
    if "DURATION" in props:
        return start.at_wall(start.wall + parse_duration(props["DURATION"], display))
    # RFC 5545 3.6.1: a DATE event without an end lasts one day, a DATE-TIME one no time.
    return start.at_wall(start.wall + timedelta(days=1 if start.is_date else 0))


def parse_stamp(line: ContentLine, display: str) -> Stamp:
    """The single DATE or DATE-TIME value of ``line`` (DTSTART, DTEND, RECURRENCE-ID)."""
    stamps = _stamps(line, display)
    if len(stamps) != 1:
        raise _problem(display, line.line, f"{line.name} must hold exactly one value")
    return stamps[0]


def _stamps(line: ContentLine, display: str) -> list[Stamp]:
    zone = _zone(line, display)
    is_date = line.params.get("VALUE", "").upper() == "DATE"
    return [_stamp(value.strip(), zone, is_date, line, display) for value in line.value.split(",")]


def _stamp(text: str, zone: tzinfo | None, is_date: bool, line: ContentLine, display: str) -> Stamp:
    date_match = _DATE.match(text)
    time_match = None if date_match else _DATE_TIME.match(text)
    try:
        if date_match:
            year, month, day = (int(part) for part in date_match.groups())
            return Stamp(datetime(year, month, day), None, True)
        if time_match and not is_date:
            year, month, day, hour, minute, second = (int(p) for p in time_match.groups()[:6])
            wall = datetime(year, month, day, hour, minute, second)
            return Stamp(wall, UTC if time_match.group(7) else zone, False)
    except ValueError as error:
        raise _problem(display, line.line, f"{line.name}: '{text}': {error}") from None
    expected = "a DATE like 20261224" if is_date else "a DATE-TIME like 20261224T160000"
    raise _problem(display, line.line, f"{line.name}: '{text}' is not {expected}")


def _zone(line: ContentLine, display: str) -> tzinfo | None:
    name = line.params.get("TZID")
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        message = f"{line.name}: unknown TZID '{name}' (use an IANA name like Europe/Prague)"
        raise _problem(display, line.line, message) from None


def parse_duration(line: ContentLine, display: str) -> timedelta:
    """An RFC 5545 DURATION such as ``P1D``, ``PT2H30M`` or ``P1W``."""
    match = _DURATION.match(line.value.strip())
    if not match or line.value.strip().rstrip("T").endswith("P"):
        raise _problem(display, line.line, f"DURATION: '{line.value}' is not like P1D or PT2H")
    units = {key: int(match.group(key) or 0) for key in ("w", "d", "h", "m", "s")}
    size = timedelta(
        weeks=units["w"], days=units["d"], hours=units["h"], minutes=units["m"], seconds=units["s"]
    )
    return -size if match.group("sign") == "-" else size


def parse_rrule(line: ContentLine, display: str) -> Rule:
    """The supported subset of RRULE; unsupported parts are an error, never ignored."""
    parts: dict[str, str] = {}
    for item in line.value.split(";"):
        key, sep, value = item.partition("=")
        if not sep or key.upper() not in _RULE_PARTS:
            supported = ", ".join(sorted(_RULE_PARTS))
            message = f"RRULE part '{item}' is not supported (supported: {supported})"
            raise _problem(display, line.line, message)
        parts[key.upper()] = value.upper()
    freq = parts.get("FREQ", "")
    if freq not in _FREQUENCIES:
        message = f"RRULE FREQ '{freq}' is not supported (use {', '.join(_FREQUENCIES)})"
        raise _problem(display, line.line, message)
    byday = _weekdays(parts.get("BYDAY"), line, display)
    if byday and freq != "WEEKLY":
        raise _problem(display, line.line, "RRULE BYDAY is supported with FREQ=WEEKLY only")
    if "COUNT" in parts and "UNTIL" in parts:
        raise _problem(display, line.line, "RRULE may not have both COUNT and UNTIL")
    until = None
    if "UNTIL" in parts:
        until = parse_stamp(ContentLine(line.line, "RRULE UNTIL", {}, parts["UNTIL"]), display)
    return Rule(
        freq=freq,
        interval=_positive(parts.get("INTERVAL", "1"), "INTERVAL", line, display),
        count=_positive(parts["COUNT"], "COUNT", line, display) if "COUNT" in parts else None,
        until=until,
        byday=byday,
        wkst=_weekdays(parts.get("WKST", "MO"), line, display)[0],
    )


def _weekdays(text: str | None, line: ContentLine, display: str) -> tuple[int, ...]:
    if text is None:
        return ()
    codes = text.split(",")
    unknown = [code for code in codes if code not in WEEKDAY_CODES]
    if unknown:
        message = f"RRULE weekday '{unknown[0]}' is not supported (use MO..SU without ordinals)"
        raise _problem(display, line.line, message)
    return tuple(sorted({WEEKDAY_CODES.index(code) for code in codes}))


def _positive(text: str, what: str, line: ContentLine, display: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise _problem(display, line.line, f"RRULE {what} must be a positive integer, not {text}")
    return int(text)


def _occurrences(
    event: _Event, skip: frozenset[datetime] | set[datetime], until: datetime, display: str
) -> Iterator[IcalEvent]:
    walls = [event.start.wall] if event.rule is None else _expand(event, event.rule, until, display)
    for wall in walls:
        start = event.start.at_wall(wall)
        if start.instant() in skip or not _before(start, until):
            continue
        # The end moves by the same wall-clock shift, so a 09:00-17:00 event stays 09:00-17:00.
        end = event.end.at_wall(event.end.wall + (wall - event.start.wall))
        yield IcalEvent(event.summary, start.instant(), end.instant(), start.is_date, event.line)


def _expand(event: _Event, rule: Rule, until: datetime, display: str) -> Iterator[datetime]:
    """Occurrence start times in wall-clock time, up to COUNT, UNTIL or the horizon."""
    produced = 0
    for wall in _candidates(event.start.wall, rule):
        if wall < event.start.wall:
            continue
        stamp = event.start.at_wall(wall)
        if (rule.until is not None and not _within(stamp, rule.until)) or not _before(stamp, until):
            return
        yield wall
        produced += 1
        if rule.count is not None and produced >= rule.count:
            return
    message = f"RRULE expands to more than {MAX_STEPS} occurrences; add COUNT or UNTIL"
    raise _problem(display, event.line, message)


def _candidates(start: datetime, rule: Rule) -> Iterator[datetime]:
    """Dates the rule generates, in order; invalid ones (Feb 29 in 2027) are skipped."""
    if rule.freq == "WEEKLY" and rule.byday:
        yield from _weekly_by_day(start, rule)
        return
    for step in range(MAX_STEPS):
        k = step * rule.interval
        if rule.freq == "DAILY":
            yield start + timedelta(days=k)
        elif rule.freq == "WEEKLY":
            yield start + timedelta(weeks=k)
        else:
            shifted = _add_months(start, k * (12 if rule.freq == "YEARLY" else 1))
            if shifted is not None:
                yield shifted


def _weekly_by_day(start: datetime, rule: Rule) -> Iterator[datetime]:
    offsets = sorted((day - rule.wkst) % 7 for day in rule.byday)
    week_start = start - timedelta(days=(start.weekday() - rule.wkst) % 7)
    for step in range(MAX_STEPS // len(offsets)):
        base = week_start + timedelta(weeks=step * rule.interval)
        for offset in offsets:
            yield base + timedelta(days=offset)


def _add_months(wall: datetime, months: int) -> datetime | None:
    years, month_index = divmod(wall.month - 1 + months, 12)
    try:
        return wall.replace(year=wall.year + years, month=month_index + 1)
    except ValueError:
        return None


def _within(stamp: Stamp, until: Stamp) -> bool:
    """RFC 5545: UNTIL is inclusive; a DATE bound includes the whole day."""
    if until.is_date:
        return stamp.wall.date() <= until.wall.date()
    if stamp.zone is None or until.zone is None:
        return stamp.wall <= until.wall
    return stamp.instant() <= until.instant()


def _before(stamp: Stamp, horizon: datetime) -> bool:
    if stamp.zone is not None:
        return stamp.instant() < horizon
    # A floating time is placed later; one day of margin covers every UTC offset.
    return stamp.wall < horizon.astimezone(UTC).replace(tzinfo=None) + timedelta(days=1)


def _place(value: datetime, zone: tzinfo) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def _sort_key(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def _unescape(match: re.Match[str]) -> str:
    char = match.group(1)
    return "\n" if char in "nN" else char


def _problem(display: str, line: int, message: str) -> ConfigError:
    return ConfigError([Problem(display, line, None, message)])
