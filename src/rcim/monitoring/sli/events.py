"""Events SLIs: an error query and a total query, both ranged over ``{{window}}``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.monitoring.promql import example_series, windowed_selectors
from rcim.monitoring.sli.base import ZERO_TRAFFIC_FLOOR, FeedCounter, substitute_window

if TYPE_CHECKING:
    from rcim.program.service import EventsSli


# A window with no window placeholder left: the absent-metrics fallback for unparsed queries.
PRESENCE_WINDOW = "10m"


class EventsKind:
    def error_ratio_query(self, sli: EventsSli, window: str) -> str:
        """Errors over total that reads 0, not NaN or nothing, when no request failed or came.

        An error counter often has no series until the first error (``code=~"5.."``), so an
        empty error query counts as 0; a total of 0 is floored so that 0/0 is 0.
        """
        errors = substitute_window(sli.error_query.strip(), window)
        total = substitute_window(sli.total_query.strip(), window)
        return (
            f"(\n  ({errors})\n  or\n  vector(0)\n)\n/\n"
            f"clamp_min(\n  ({total}),\n  {ZERO_TRAFFIC_FLOOR}\n)"
        )

    def data_selectors(self, sli: EventsSli) -> tuple[str, ...]:
        """The total query's selectors; the whole query when rcim cannot read them."""
        selectors = windowed_selectors(sli.total_query)
        if selectors:
            return tuple(dict.fromkeys(selector.text() for selector in selectors))
        return (substitute_window(sli.total_query.strip(), PRESENCE_WINDOW),)

    def feed_counters(self, sli: EventsSli) -> tuple[FeedCounter, ...] | None:
        """One counter for each query when each reads exactly one simple selector.

        Errors are usually a subset of the total (same metric, extra matcher): then a bad
        series counts in both queries and a good one only in the total. Otherwise the two
        queries read separate counters (failures and attempts).
        """
        error_selectors = windowed_selectors(sli.error_query)
        total_selectors = windowed_selectors(sli.total_query)
        if not error_selectors or not total_selectors:
            return None
        if len(error_selectors) != 1 or len(total_selectors) != 1:
            return None
        error_selector, total_selector = error_selectors[0], total_selectors[0]
        bad = example_series(error_selector)
        if bad is None:
            return None
        if total_selector.accepts(bad.metric, dict(bad.labels)):
            good = example_series(total_selector, avoid=error_selector)
            if good is None:
                return None
            return (FeedCounter(bad, "errors"), FeedCounter(good, "good"))
        total = example_series(total_selector, avoid=error_selector)
        if total is None:
            return None
        return (FeedCounter(bad, "errors"), FeedCounter(total, "total"))
