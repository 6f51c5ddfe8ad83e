"""Downtime and availability from incidents that had service impact.

A service is down from an impacting incident's opening to its resolution (to the end of
the period while it is unresolved). Overlapping incidents of one service count once; the
downtime of different services adds up. Availability is the share of service-minutes in
the period without downtime, over every service in scope (services without incidents count
as fully available).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rcim.metrics.period import Period
    from rcim.metrics.records import Incident

Interval = tuple[float, float]


def downtime_minutes_by_service(incidents: Iterable[Incident], period: Period) -> dict[str, float]:
    """Minutes of downtime inside ``period`` for each service that had any."""
    spans: dict[str, list[Interval]] = defaultdict(list)
    for incident in incidents:
        if not incident.impact:
            continue
        span = _clipped(incident, period)
        if span is not None:
            spans[incident.service].append(span)
    return {service: _union_length(parts) / 60 for service, parts in spans.items()}


def availability(downtime_minutes: float, service_count: int, period: Period) -> float | None:
    """The fraction of service-minutes that were up; ``None`` when no service is in scope."""
    if service_count <= 0:
        return None
    total = period.minutes * service_count
    return max(0.0, 1 - downtime_minutes / total)


def _clipped(incident: Incident, period: Period) -> Interval | None:
    end = incident.resolved_at or period.end
    start = max(incident.opened_at, period.start)
    stop = min(end, period.end)
    if stop <= start:
        return None
    return (start.timestamp(), stop.timestamp())


def _union_length(intervals: list[Interval]) -> float:
    total = 0.0
    current_start, current_end = None, None
    for start, end in sorted(intervals):
        if current_end is None or start > current_end:
            if current_end is not None and current_start is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None and current_start is not None:
        total += current_end - current_start
    return total
