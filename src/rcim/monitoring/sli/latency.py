"""Latency SLIs: requests slower than a histogram bucket boundary are the bad events."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.monitoring.promql import Selector, Series, example_series, parse_matchers
from rcim.monitoring.sli.base import ZERO_TRAFFIC_FLOOR, FeedCounter

if TYPE_CHECKING:
    from rcim.program.service import LatencySli


def bucket_label(threshold_seconds: float) -> str:
    """The ``le`` label value client libraries write for a bucket bound (0.3 -> "0.3")."""
    return repr(float(threshold_seconds))


def _count(sli: LatencySli) -> str:
    selector = sli.selector.strip().strip(",")
    return f"{sli.metric}_count{{{selector}}}" if selector else f"{sli.metric}_count"


class LatencyKind:
    def error_ratio_query(self, sli: LatencySli, window: str) -> str:
        """Slow requests (all minus those within the bucket) over all, 0 at zero traffic."""
        selector = sli.selector.strip().strip(",")
        le = f'le="{bucket_label(sli.threshold_seconds)}"'
        bucket = (
            f"{sli.metric}_bucket{{{selector},{le}}}"
            if selector
            else f"{sli.metric}_bucket{{{le}}}"
        )
        count = _count(sli)
        all_requests = f"sum(rate({count}[{window}]))"
        fast = f"sum(rate({bucket}[{window}]))"
        return (
            f"(\n  {all_requests}\n  -\n  {fast}\n)\n/\n"
            f"clamp_min(\n  {all_requests},\n  {ZERO_TRAFFIC_FLOOR}\n)"
        )

    def data_selectors(self, sli: LatencySli) -> tuple[str, ...]:
        return (_count(sli),)

    def feed_counters(self, sli: LatencySli) -> tuple[FeedCounter, ...] | None:
        matchers = parse_matchers(sli.selector.strip().strip(","))
        if matchers is None:
            return None
        count = example_series(Selector(f"{sli.metric}_count", matchers))
        if count is None:
            return None
        le = ("le", bucket_label(sli.threshold_seconds))
        bucket = Series(f"{sli.metric}_bucket", tuple(sorted((*count.labels, le))))
        return (FeedCounter(count, "total"), FeedCounter(bucket, "good"))
