"""SLI kinds, one module each, registered in one dict keyed by the ``kind`` in services/*.yaml."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rcim.monitoring.sli.base import FeedCounter, SliKind, substitute_window
from rcim.monitoring.sli.events import EventsKind
from rcim.monitoring.sli.latency import LatencyKind
from rcim.monitoring.sli.raw import RawKind

if TYPE_CHECKING:
    from rcim.program.service import Sli

SLI_KINDS: dict[str, SliKind[Any]] = {
    "events": EventsKind(),
    "latency": LatencyKind(),
    "raw": RawKind(),
}


def error_ratio_query(sli: Sli, window: str) -> str:
    return SLI_KINDS[sli.kind].error_ratio_query(sli, window)


def data_selectors(sli: Sli) -> tuple[str, ...]:
    return SLI_KINDS[sli.kind].data_selectors(sli)


def feed_counters(sli: Sli) -> tuple[FeedCounter, ...] | None:
    return SLI_KINDS[sli.kind].feed_counters(sli)


__all__ = [
    "SLI_KINDS",
    "FeedCounter",
    "SliKind",
    "data_selectors",
    "error_ratio_query",
    "feed_counters",
    "substitute_window",
]
