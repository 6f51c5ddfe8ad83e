"""Latency SLIs: requests slower than a histogram bucket boundary are the bad events."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.monitoring.promql import Selector, Series, example_series, parse_matchers
from rcim.monitoring.sli.base import FeedCounter

if TYPE_CHECKING:
    from rcim.program.service import LatencySli


def bucket_label(threshold_seconds: float) -> str:
    """The ``le`` label value client libraries write for a bucket bound (0.3 -> "0.3")."""
    return repr(float(threshold_seconds))


class LatencyKind:
    def error_ratio_query(self, sli: LatencySli, window: str) -> str:
        selector = sli.selector.strip().strip(",")
        le = f'le="{bucket_label(sli.threshold_seconds)}"'
        bucket = (
            f"{sli.metric}_bucket{{{selector},{le}}}"
            if selector
            else f"{sli.metric}_bucket{{{le}}}"
        )
        count = f"{sli.metric}_count{{{selector}}}" if selector else f"{sli.metric}_count"
        return f"1 - (\n  sum(rate({bucket}[{window}]))\n  /\n  sum(rate({count}[{window}]))\n)"

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
