"""Changes that clash: overlapping windows on one service, or on services that depend on
each other, directly or through others."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rcim.examples
from rcim.program import load_program
from rcim.release.calendar import (
    ScheduledChange,
    conflicting_changes,
    service_dependencies,
    windows_overlap,
)

T0 = datetime(2026, 12, 8, 9, tzinfo=UTC)
HOUR = timedelta(hours=1)
# ABC: booking-web -> shipment-tracking -> records-archive; vpn-gateway stands alone.
ABC_GRAPH = {
    "booking-web": {"shipment-tracking"},
    "shipment-tracking": {"records-archive"},
    "records-archive": set(),
    "vpn-gateway": set(),
}


def change(change_id: str, *services: str, start: int = 0, hours: int = 2) -> ScheduledChange:
    begin = T0 + start * HOUR
    return ScheduledChange(change_id, services, begin, begin + hours * HOUR)


def test_abc_dependency_graph() -> None:
    program = load_program(Path(rcim.examples.__file__).parent / "abc")
    assert service_dependencies(program) == ABC_GRAPH


def test_same_service_overlap_conflicts() -> None:
    (conflict,) = conflicting_changes(
        [change("CHG-1", "booking-web"), change("CHG-2", "booking-web", start=1)], ABC_GRAPH
    )
    assert (conflict.first, conflict.second, conflict.relation) == (
        "CHG-1",
        "CHG-2",
        "same-service",
    )
    assert (conflict.start, conflict.end) == (T0 + HOUR, T0 + 2 * HOUR)
    assert conflict.reason.startswith("CHG-1 and CHG-2 both change booking-web")
    assert conflict.to_json()["start"] == "2026-12-08T10:00:00+00:00"
    assert conflict.to_json()["reason"] == conflict.reason


@pytest.mark.parametrize("order", ["dependent first", "dependency first"])
def test_transitive_dependency_conflicts(order: str) -> None:
    web = change("CHG-WEB", "booking-web")
    archive = change("CHG-ARC", "records-archive", start=1)
    changes = [web, archive] if order == "dependent first" else [archive, web]
    (conflict,) = conflicting_changes(changes, ABC_GRAPH)
    assert conflict.relation == "dependency"
    assert {conflict.first_service, conflict.second_service} == {"booking-web", "records-archive"}
    assert "depend on each other" in conflict.reason


def test_windows_that_only_touch_do_not_conflict() -> None:
    changes = [change("CHG-1", "booking-web"), change("CHG-2", "booking-web", start=2)]
    assert conflicting_changes(changes, ABC_GRAPH) == []


def test_unrelated_services_do_not_conflict() -> None:
    changes = [change("CHG-1", "booking-web"), change("CHG-2", "vpn-gateway")]
    assert conflicting_changes(changes, ABC_GRAPH) == []


def test_multi_service_changes_and_pairs_in_input_order() -> None:
    changes = [
        change("CHG-1", "vpn-gateway", "records-archive"),
        change("CHG-2", "vpn-gateway", start=1),
        change("CHG-3", "shipment-tracking", start=1),
        change("CHG-4", "booking-web", start=5),
    ]
    found = [(c.first, c.second, c.relation) for c in conflicting_changes(changes, ABC_GRAPH)]
    assert found == [("CHG-1", "CHG-2", "same-service"), ("CHG-1", "CHG-3", "dependency")]


def test_cycles_and_unknown_services_terminate() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}}
    changes = [change("CHG-1", "c"), change("CHG-2", "b", start=1), change("CHG-3", "zzz")]
    assert [(c.first, c.second) for c in conflicting_changes(changes, graph)] == [
        ("CHG-1", "CHG-2")
    ]


def test_naive_windows_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ScheduledChange("CHG-1", ("a",), datetime(2026, 1, 1), datetime(2026, 1, 2))


offsets = st.integers(-1000, 1000)


@given(a=offsets, a_len=st.integers(0, 50), b=offsets, b_len=st.integers(0, 50))
def test_overlap_means_a_shared_minute(a: int, a_len: int, b: int, b_len: int) -> None:
    minutes_a = set(range(a, a + a_len))
    minutes_b = set(range(b, b + b_len))
    at = lambda m: T0 + timedelta(minutes=m)  # noqa: E731
    assert windows_overlap(at(a), at(a + a_len), at(b), at(b + b_len)) == bool(
        minutes_a & minutes_b
    )
