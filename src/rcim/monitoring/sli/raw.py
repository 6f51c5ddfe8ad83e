"""Raw SLIs: the user writes the whole error-ratio query."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.monitoring.sli.base import FeedCounter, substitute_window

if TYPE_CHECKING:
    from rcim.program.service import RawSli


class RawKind:
    def error_ratio_query(self, sli: RawSli, window: str) -> str:
        """The user's ratio without NaN: 0/0 at zero traffic fails the comparison and drops.

        rules.py then fills the gap with 0 while the service's target is up.
        """
        query = substitute_window(sli.error_ratio_query.strip(), window)
        return f"(\n  {query}\n) >= 0"

    def feed_counters(self, sli: RawSli) -> tuple[FeedCounter, ...] | None:
        """A free-form ratio names no counters rcim could feed; tests feed the ratio itself."""
        return None

    def data_selectors(self, sli: RawSli) -> tuple[str, ...]:
        """Unknown: a raw ratio may read its error series first; ``up`` stands in for it."""
        return ()
