"""When changes may not happen: freeze and maintenance windows, and clashing changes.

Each window of ``release/calendar.yaml`` is evaluated in its own time zone (the window's, else
the calendar's, else the organization's), and only then turned into UTC instants. That is what
makes a weekly "fri 16:00 to mon 08:00 Europe/Prague" window last 65 real hours over the
October DST change and 63 over the March one, while its local edges never move. Every window
occurrence is half-open, [start, end): a release at exactly the end of a freeze is allowed.

Wall-clock times that do not exist (the hour skipped in spring) are read with the offset before
the change, i.e. one hour later on the new clock; ambiguous ones (the hour repeated in autumn)
are read as their first occurrence. Both follow ``zoneinfo`` with ``fold=0``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from itertools import combinations
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from rcim.errors import ConfigError, Problem
from rcim.program.calendar import parse_weekly_point
from rcim.program.loader import CALENDAR_FILE
from rcim.release.ical import read_ical

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from rcim.program.calendar import Window
    from rcim.program.loader import Program

WindowKind = Literal["one-off", "weekly", "ical"]
Section = Literal["freezes", "maintenance"]
ConflictRelation = Literal["same-service", "dependency"]
MINUTES_PER_WEEK = 7 * 24 * 60
_INSTANT = timedelta(microseconds=1)


@dataclass(frozen=True)
class ActiveWindow:
    """One occurrence of a window, as aware UTC instants; ``source`` says where it came from."""

    name: str
    kind: WindowKind
    start: datetime
    end: datetime
    source: str

    def contains(self, at: datetime) -> bool:
        return self.start <= at < self.end

    def to_json(self) -> dict[str, str]:
        """Evidence for gate output: instants in ISO 8601 UTC."""
        return {
            "name": self.name,
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "source": self.source,
        }


@dataclass(frozen=True)
class ScheduledChange:
    """A change's planned window on its services (aware instants)."""

    id: str
    services: tuple[str, ...]
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError(f"{self.id}: a scheduled window needs timezone-aware times")


@dataclass(frozen=True)
class Conflict:
    """Two changes whose windows overlap on one service or on two dependent services."""

    first: str
    second: str
    first_service: str
    second_service: str
    relation: ConflictRelation
    start: datetime
    end: datetime

    @property
    def reason(self) -> str:
        when = f"{self.start.isoformat()} to {self.end.isoformat()}"
        if self.relation == "same-service":
            return f"{self.first} and {self.second} both change {self.first_service} ({when})"
        return (
            f"{self.first} changes {self.first_service} and {self.second} changes "
            f"{self.second_service}, which depend on each other ({when})"
        )

    def to_json(self) -> dict[str, str]:
        """Evidence for gate output."""
        return {
            "first": self.first,
            "second": self.second,
            "first_service": self.first_service,
            "second_service": self.second_service,
            "relation": self.relation,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "reason": self.reason,
        }


def active_freezes(
    program: Program, *, env: str | None, service: str | None, at: datetime
) -> list[ActiveWindow]:
    """Every freeze occurrence that applies to ``env``/``service`` and contains ``at``.

    ``None`` for env or service means "any": every window is considered.
    """
    return _active(program, "freezes", env=env, service=service, at=at)


def active_maintenance(
    program: Program, *, env: str | None, service: str | None, at: datetime
) -> list[ActiveWindow]:
    """Every maintenance occurrence that applies to ``env``/``service`` and contains ``at``."""
    return _active(program, "maintenance", env=env, service=service, at=at)


def windows_between(
    program: Program, *, env: str | None, service: str | None, start: datetime, end: datetime
) -> list[ActiveWindow]:
    """Every freeze occurrence overlapping [start, end), sorted by start."""
    return _between(program, "freezes", env=env, service=service, start=start, end=end)


def maintenance_between(
    program: Program, *, env: str | None, service: str | None, start: datetime, end: datetime
) -> list[ActiveWindow]:
    """Every maintenance occurrence overlapping [start, end), sorted by start."""
    return _between(program, "maintenance", env=env, service=service, start=start, end=end)


def windows_overlap(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Whether two half-open intervals share an instant; touching ones do not."""
    return max(a_start, b_start) < min(a_end, b_end)


def service_dependencies(program: Program) -> dict[str, set[str]]:
    """Each service's direct dependencies, the graph ``conflicting_changes`` expects."""
    return {name: set(service.depends_on) for name, service in program.services.items()}


def conflicting_changes(
    changes: Sequence[ScheduledChange], dependency_graph: Mapping[str, set[str]]
) -> list[Conflict]:
    """Every pair of changes with overlapping windows on the same service, or on services one
    of which depends, directly or not, on the other. One conflict per pair, in input order."""
    reach = _transitive(dependency_graph)
    conflicts: list[Conflict] = []
    for first, second in combinations(changes, 2):
        if not windows_overlap(first.start, first.end, second.start, second.end):
            continue
        clash = _clash(first, second, reach)
        if clash is not None:
            first_service, second_service, relation = clash
            conflicts.append(
                Conflict(
                    first=first.id,
                    second=second.id,
                    first_service=first_service,
                    second_service=second_service,
                    relation=relation,
                    start=max(first.start, second.start),
                    end=min(first.end, second.end),
                )
            )
    return conflicts


def _clash(
    first: ScheduledChange, second: ScheduledChange, reach: Mapping[str, set[str]]
) -> tuple[str, str, ConflictRelation] | None:
    shared = sorted(set(first.services) & set(second.services))
    if shared:
        return shared[0], shared[0], "same-service"
    for a in sorted(first.services):
        for b in sorted(second.services):
            if b in reach.get(a, set()) or a in reach.get(b, set()):
                return a, b, "dependency"
    return None


def _transitive(graph: Mapping[str, set[str]]) -> dict[str, set[str]]:
    """What each service depends on, directly or through others (cycles are fine)."""
    reach: dict[str, set[str]] = {}
    for origin in graph:
        seen: set[str] = set()
        queue = deque(graph[origin])
        while queue:
            node = queue.popleft()
            if node not in seen:
                seen.add(node)
                queue.extend(graph.get(node, set()) - seen)
        reach[origin] = seen
    return reach


def _active(
    program: Program, section: Section, *, env: str | None, service: str | None, at: datetime
) -> list[ActiveWindow]:
    found = _between(program, section, env=env, service=service, start=at, end=at + _INSTANT)
    return [window for window in found if window.contains(at)]


def _between(
    program: Program,
    section: Section,
    *,
    env: str | None,
    service: str | None,
    start: datetime,
    end: datetime,
) -> list[ActiveWindow]:
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("calendar ranges need timezone-aware times")
    calendar = program.calendar
    if calendar is None:
        return []
    found: list[ActiveWindow] = []
    for index, window in enumerate(getattr(calendar, section)):
        if _applies(window, env, service):
            occurrences = _occurrences(program, section, index, window, start, end)
            found.extend(o for o in occurrences if windows_overlap(o.start, o.end, start, end))
    return sorted(found, key=lambda w: (w.start, w.end, w.name))


def _applies(window: Window, env: str | None, service: str | None) -> bool:
    env_ok = env is None or not window.environments or env in window.environments
    return env_ok and (service is None or not window.services or service in window.services)


def window_zone(program: Program, window: Window) -> ZoneInfo:
    """The window's zone, else the calendar's, else the organization's."""
    calendar_zone = program.calendar.timezone if program.calendar else None
    return ZoneInfo(window.timezone or calendar_zone or program.config.organization.timezone)


def _occurrences(
    program: Program, section: Section, index: int, window: Window, start: datetime, end: datetime
) -> Iterator[ActiveWindow]:
    zone = window_zone(program, window)
    if window.weekly is not None:
        yield from _weekly(program, section, index, window, zone, start, end)
    elif window.ical is not None:
        yield from _ical(program, window, window.ical, zone, end)
    elif window.start is not None and window.end is not None:
        source = f"{window.start.isoformat()} to {window.end.isoformat()} ({zone.key})"
        yield ActiveWindow(
            window.name, "one-off", _place(window.start, zone), _place(window.end, zone), source
        )


def _weekly(
    program: Program,
    section: Section,
    index: int,
    window: Window,
    zone: ZoneInfo,
    start: datetime,
    end: datetime,
) -> Iterator[ActiveWindow]:
    """Occurrences whose local start day lies from a week before ``start`` to ``end``."""
    assert window.weekly is not None
    start_day, start_time = parse_weekly_point(window.weekly.start)
    length = _weekly_length(program, section, index, window)
    source = f"every {window.weekly.start} to {window.weekly.end} ({zone.key})"
    first_day = start.astimezone(zone).date() - timedelta(days=8)
    days = (end.astimezone(zone).date() - first_day).days + 1
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        if day.weekday() == start_day:
            wall = datetime.combine(day, start_time)
            occurrence_start = _place(wall, zone)
            occurrence_end = _place(wall + length, zone)
            yield ActiveWindow(window.name, "weekly", occurrence_start, occurrence_end, source)


def _weekly_length(program: Program, section: Section, index: int, window: Window) -> timedelta:
    """Wall-clock length of a weekly span; it wraps over the week's end (fri to mon)."""
    assert window.weekly is not None
    begin = _minute_of_week(*parse_weekly_point(window.weekly.start))
    finish = _minute_of_week(*parse_weekly_point(window.weekly.end))
    length = (finish - begin) % MINUTES_PER_WEEK
    if length == 0:
        display = program.display(CALENDAR_FILE)
        message = f"{section}[{index}].weekly: start and end are the same moment of the week"
        source = program.sources.get(display)
        path = (section, index, "weekly")
        problem = source.problem(path, message) if source else Problem(display, None, None, message)
        raise ConfigError([problem])
    return timedelta(minutes=length)


def _minute_of_week(day: int, clock: time) -> int:
    return day * 24 * 60 + clock.hour * 60 + clock.minute


def _ical(
    program: Program, window: Window, relative: str, zone: ZoneInfo, end: datetime
) -> Iterator[ActiveWindow]:
    """All-day and floating events are read in the window's zone; TZID and UTC ones as given."""
    for event in read_ical(program.root / relative, program.display(relative), until=end):
        event_start, event_end = event.placed_in(zone)
        source = f"{event.summary or '(no summary)'} ({relative})"
        yield ActiveWindow(window.name, "ical", event_start, event_end, source)


def _place(value: datetime, zone: ZoneInfo) -> datetime:
    """An aware UTC instant; naive values are wall-clock time in ``zone``."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)
