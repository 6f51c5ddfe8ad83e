"""The contract every SLI kind satisfies; kinds are registered in ``rcim.monitoring.sli``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar

from rcim.program.service import WINDOW_PLACEHOLDER

if TYPE_CHECKING:
    from rcim.monitoring.promql import Series

SliT_contra = TypeVar("SliT_contra", contravariant=True)
Counts = Literal["errors", "good", "total"]


@dataclass(frozen=True)
class FeedCounter:
    """A counter a generated rule test feeds: which events it counts per step."""

    series: Series
    counts: Counts


class SliKind(Protocol[SliT_contra]):
    def error_ratio_query(self, sli: SliT_contra, window: str) -> str:
        """PromQL for the ratio of bad to all events over ``window`` (e.g. ``5m``)."""
        ...

    def feed_counters(self, sli: SliT_contra) -> tuple[FeedCounter, ...] | None:
        """Counters whose increments drive the SLI in a rule test; None if they are unknown."""
        ...

    def data_selectors(self, sli: SliT_contra) -> tuple[str, ...]:
        """Series that exist whenever the SLI has data, even at zero traffic.

        The absent-metrics alert fires when one of them is gone: the SLI is then blind, and
        its burn alerts can never fire.
        """
        ...


# Dividing by at least this many events per second turns 0/0 (no traffic) into a ratio of 0
# instead of NaN; any real traffic, even one event in three days (4e-6/s), is far above it.
ZERO_TRAFFIC_FLOOR = "1e-12"


def substitute_window(query: str, window: str) -> str:
    """Fill the ``{{window}}`` placeholder of an SLI query with a PromQL duration."""
    return query.replace(WINDOW_PLACEHOLDER, window)
