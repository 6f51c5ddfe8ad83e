from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from rcim.monitoring.burnrate import FAST, PERIODS, SLOW, WINDOWS, error_budget, window_name
from rcim.monitoring.naming import alerts_for_service, camel
from rcim.program import load_program
from rcim.program.loader import Program  # noqa: TC001 - fixture annotation

EXAMPLE_PROGRAM = Path(__file__).resolve().parents[2] / "src" / "rcim" / "examples" / "abc"


@pytest.fixture(scope="module")
def abc() -> Program:
    return load_program(EXAMPLE_PROGRAM)


def test_camel_case_names() -> None:
    assert camel("shipment-tracking") == "ShipmentTracking"
    assert camel("a.b_c-d") == "ABCD"


def test_every_alert_of_a_tier_one_service(abc) -> None:
    alerts = alerts_for_service(abc.services["shipment-tracking"])
    assert [(a.name, a.severity, a.slo) for a in alerts] == [
        ("ShipmentTrackingAvailabilityErrorBudgetBurnFast", "page", "availability"),
        ("ShipmentTrackingAvailabilityErrorBudgetBurnSlow", "ticket", "availability"),
        ("ShipmentTrackingLatencyErrorBudgetBurnFast", "page", "latency"),
        ("ShipmentTrackingLatencyErrorBudgetBurnSlow", "ticket", "latency"),
        ("ShipmentTrackingTargetDown", "page", None),
        ("ShipmentTrackingMetricsAbsent", "ticket", None),
        ("ShipmentTrackingDeployFailed", "ticket", None),
        ("ShipmentTrackingBackupStale", "ticket", None),
    ]
    assert "15m" in alerts[-1].summary


def test_no_backup_alert_without_rpo_and_low_tiers_do_not_page(abc) -> None:
    vpn = {a.kind for a in alerts_for_service(abc.services["vpn-gateway"])}
    assert "backup_stale" not in vpn
    archive = alerts_for_service(abc.services["records-archive"])
    assert next(a for a in archive if a.kind == "target_down").severity == "ticket"


def test_every_service_has_an_absent_metrics_alert(abc) -> None:
    for service in abc.services.values():
        kinds = [a.kind for a in alerts_for_service(service)]
        assert kinds.count("metrics_absent") == 1, service.name


def test_alert_names_are_unique_across_the_program(abc) -> None:
    names = [a.name for s in abc.services.values() for a in alerts_for_service(s)]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("period", "expected"),
    [("30d", [14.4, 6.0, 3.0, 1.0]), ("28d", [13.44, 5.6, 2.8, 0.933333])],
)
def test_burn_factors_follow_the_budget_share(period: str, expected: list[float]) -> None:
    pairs = (*FAST.pairs, *SLOW.pairs)
    assert [p.factor(PERIODS[period]) for p in pairs] == expected


def test_windows_and_budgets() -> None:
    assert [window_name(w) for w in WINDOWS] == ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]
    assert error_budget(99.9) == 0.001
    assert error_budget(99.5) == 0.005
    assert window_name(timedelta(days=3)) == "3d"
