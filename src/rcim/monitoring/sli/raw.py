"""Raw SLIs: the user writes the whole error-ratio query."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.monitoring.sli.base import FeedCounter, substitute_window

if TYPE_CHECKING:
    from rcim.program.service import RawSli


class RawKind:
    def error_ratio_query(self, sli: RawSli, window: str) -> str:
        return substitute_window(sli.error_ratio_query.strip(), window)

    def feed_counters(self, sli: RawSli) -> tuple[FeedCounter, ...] | None:
        """A free-form ratio names no counters rcim could feed; tests feed the ratio itself."""
        return None
