from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from rcim.monitoring.promql import Selector, example_series, parse_matchers, windowed_selectors
from rcim.monitoring.sli import (
    data_selectors,
    error_ratio_query,
    feed_counters,
    substitute_window,
)
from rcim.program.service import EventsSli, LatencySli, RawSli

ERRORS = 'sum(rate(http_requests_total{job="web",code=~"5.."}[{{window}}]))'
TOTAL = 'sum(rate(http_requests_total{job="web"}[{{window}}]))'


def test_windowed_selectors_read_metric_and_matchers() -> None:
    [selector] = windowed_selectors(ERRORS) or []
    assert selector.metric == "http_requests_total"
    assert [(m.label, m.op, m.value) for m in selector.matchers] == [
        ("job", "=", "web"),
        ("code", "=~", "5.."),
    ]
    assert windowed_selectors("sum(rate(up[{{window}}]))") == [Selector("up", ())]


def test_unreadable_matchers_are_reported_as_none() -> None:
    assert parse_matchers('job="a" garbage') is None
    assert windowed_selectors('rate(x{job=~"("}[{{window}}])') is None


def test_good_series_avoids_the_error_selector() -> None:
    [errors] = windowed_selectors(ERRORS) or []
    [total] = windowed_selectors(TOTAL) or []
    bad = example_series(errors)
    good = example_series(total, avoid=errors)
    assert bad is not None
    assert good is not None
    assert bad.text() == 'http_requests_total{code="500",job="web"}'
    assert total.accepts(good.metric, dict(good.labels))
    assert not errors.accepts(good.metric, dict(good.labels))


def test_events_counters_subset_and_separate_metrics() -> None:
    subset = feed_counters(EventsSli(kind="events", error_query=ERRORS, total_query=TOTAL))
    assert subset is not None
    assert [c.counts for c in subset] == ["errors", "good"]
    failures = 'sum(rate(fail_total{job="v"}[{{window}}]))'
    attempts = 'sum(rate(try_total{job="v"}[{{window}}]))'
    separate = feed_counters(EventsSli(kind="events", error_query=failures, total_query=attempts))
    assert separate is not None
    assert [(c.series.metric, c.counts) for c in separate] == [
        ("fail_total", "errors"),
        ("try_total", "total"),
    ]


def test_latency_and_raw_queries() -> None:
    latency = LatencySli(kind="latency", metric="h", threshold_seconds=0.3, selector='job="a"')
    query = error_ratio_query(latency, "1h")
    assert 'h_bucket{job="a",le="0.3"}[1h]' in query
    assert 'h_count{job="a"}[1h]' in query
    counters = feed_counters(latency)
    assert counters is not None
    assert [c.series.text() for c in counters] == ['h_count{job="a"}', 'h_bucket{job="a",le="0.3"}']
    raw = RawSli(kind="raw", error_ratio_query="x[{{window}}] / y[{{window}}]")
    # NaN (0/0 at zero traffic) fails ">= 0" and drops out instead of reaching the alerts.
    assert error_ratio_query(raw, "5m") == "(\n  x[5m] / y[5m]\n) >= 0"
    assert feed_counters(raw) is None
    assert data_selectors(raw) == ()
    assert data_selectors(latency) == ('h_count{job="a"}',)
    events = EventsSli(
        kind="events",
        error_query='sum(rate(m{code=~"5.."}[{{window}}]))',
        total_query='sum(rate(m{job="a"}[{{window}}])) + sum(rate(n[{{window}}]))',
    )
    assert data_selectors(events) == ('m{job="a"}', "n")
    assert substitute_window("a[{{window}}]", "3d") == "a[3d]"


label_values = st.from_regex(r"[a-z0-9]{1,6}", fullmatch=True)


@given(value=label_values, other=label_values)
def test_example_series_is_accepted_by_its_selector(value: str, other: str) -> None:
    text = f'job="{value}",code=~"{re.escape(other)}|5..",env!="{other}x"'
    matchers = parse_matchers(text)
    assert matchers is not None
    selector = Selector("m", matchers)
    series = example_series(selector)
    assert series is not None
    assert selector.accepts("m", dict(series.labels))
