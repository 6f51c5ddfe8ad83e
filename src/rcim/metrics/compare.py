"""Before/after comparison of two periods, in the terms the seed reports its results:
downtime -x %, failure rate -y %, release frequency +z %."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.metrics.model import Change, Comparison
from rcim.metrics.stats import relative_change

if TYPE_CHECKING:
    from collections.abc import Callable

    from rcim.metrics.model import Metrics

# (name, unit, how to read it from Metrics, which direction is an improvement)
COMPARED: tuple[tuple[str, str, Callable[[Metrics], float | None], str], ...] = (
    ("downtime", "minutes", lambda m: m.availability.downtime_minutes, "lower"),
    ("availability", "percent", lambda m: _percent(m.availability.availability), "higher"),
    ("change failure rate", "percent", lambda m: _percent(m.failure_rate.rate), "lower"),
    ("release frequency", "per week", lambda m: m.frequency.per_week, "higher"),
    ("lead time (median)", "hours", lambda m: m.lead_time.median_hours, "lower"),
    ("time to restore (median)", "hours", lambda m: m.restore.median_hours, "lower"),
)
SEED_TERMS = ("downtime", "change failure rate", "release frequency")


def compare(before: Metrics, after: Metrics) -> Comparison:
    changes = tuple(
        Change(
            name,
            unit,
            read(before),
            read(after),
            relative_change(read(before), read(after)),
            better,
        )
        for name, unit, read, better in COMPARED
    )
    return Comparison(before, after, changes)


def seed_summary(comparison: Comparison) -> str:
    """One line such as ``downtime -70%, change failure rate -50%, release frequency +25%``."""
    parts = []
    for change in comparison.changes:
        if change.metric in SEED_TERMS:
            parts.append(f"{change.metric} {format_relative(change.relative)}")
    return ", ".join(parts)


def format_relative(relative: float | None) -> str:
    if relative is None:
        return "n/a"
    percent = round(relative * 100)
    if percent == 0:
        return "±0%"
    return f"{'+' if percent > 0 else '−'}{abs(percent)}%"


def _percent(fraction: float | None) -> float | None:
    return None if fraction is None else fraction * 100
