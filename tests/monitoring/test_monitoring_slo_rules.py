"""Burn factors follow the SRE Workbook formula; zero traffic and missing data are tested.

The factor of a window pair is the share of the period's budget it may consume times
period / long window (Workbook, "Alerting on SLOs", table 5-8): 2 % in 1h, 5 % in 6h, 10 % in
1d and 10 % in 3d. Expected values here are computed from that formula, not from rcim.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from rcim.monitoring import plan_monitoring
from rcim.program import load_program

# (budget share, long window in hours) of: page 1h/5m, page 6h/30m, ticket 1d/2h, ticket 3d/6h.
WORKBOOK_PAIRS = ((0.02, 1), (0.05, 6), (0.10, 24), (0.10, 72))
PERIOD_HOURS = {"30d": 30 * 24, "28d": 28 * 24}
THRESHOLD = re.compile(r"> \(([0-9.e-]+) \* ([0-9.e-]+)\)")
EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "rcim" / "examples" / "abc"

needs_promtool = pytest.mark.skipif(
    shutil.which("promtool") is None, reason="promtool not installed (apt-get install prometheus)"
)


def mutate_slo(program: Path, objective: float, period: str) -> None:
    """Give booking-web's availability SLO another objective and period, in its YAML file."""
    path = program / "services" / "booking-web.yaml"
    text = path.read_text(encoding="utf-8")
    assert "objective: 99.5\n    period: 30d" in text
    changed = text.replace(
        "objective: 99.5\n    period: 30d", f"objective: {objective}\n    period: {period}"
    )
    path.write_text(changed, encoding="utf-8")


def burn_alerts(program: Path) -> dict[str, dict[str, object]]:
    files = {f.path: f.text for f in plan_monitoring(load_program(program)).files}
    groups = yaml.safe_load(files["rules/booking-web.yml"])["groups"]
    rules = [rule for group in groups for rule in group["rules"] if "alert" in rule]
    return {rule["alert"]: rule for rule in rules if "ErrorBudgetBurn" in rule["alert"]}


@pytest.mark.parametrize(
    ("objective", "period", "factors"),
    [
        (99.5, "30d", [14.4, 14.4, 6.0, 6.0, 3.0, 3.0, 1.0, 1.0]),
        (99.9, "28d", [13.44, 13.44, 5.6, 5.6, 2.8, 2.8, 0.933333, 0.933333]),
        (99.0, "28d", [13.44, 13.44, 5.6, 5.6, 2.8, 2.8, 0.933333, 0.933333]),
        (99.95, "30d", [14.4, 14.4, 6.0, 6.0, 3.0, 3.0, 1.0, 1.0]),
    ],
)
def test_mutated_slo_gets_workbook_factors_and_thresholds(
    abc_program: Path, objective: float, period: str, factors: list[float]
) -> None:
    mutate_slo(abc_program, objective, period)
    alerts = burn_alerts(abc_program)
    fast = alerts["BookingWebAvailabilityErrorBudgetBurnFast"]
    slow = alerts["BookingWebAvailabilityErrorBudgetBurnSlow"]
    thresholds = [
        (float(f), float(b)) for rule in (fast, slow) for f, b in THRESHOLD.findall(rule["expr"])
    ]
    # Each pair compares a long and a short window against the same threshold.
    assert [f for f, _ in thresholds] == factors
    budget = round(1 - objective / 100, 12)
    assert {b for _, b in thresholds} == {budget}
    for (share, long_hours), (factor, _) in zip(WORKBOOK_PAIRS, thresholds[::2], strict=True):
        assert factor == pytest.approx(share * PERIOD_HOURS[period] / long_hours, abs=1e-6)
        # The budget share each pair consumes is recovered from the generated factor.
        assert factor * long_hours / PERIOD_HOURS[period] == pytest.approx(share, rel=1e-5)
    description = str(fast["annotations"])
    assert f"Objective {objective:g}% over {period}" in description
    assert f"burn rate {factors[0]:g} over both 1h and 5m" in description


def test_changing_the_period_changes_only_the_factors(abc_program: Path) -> None:
    before = burn_alerts(abc_program)["BookingWebAvailabilityErrorBudgetBurnSlow"]["expr"]
    mutate_slo(abc_program, 99.5, "28d")
    after = burn_alerts(abc_program)["BookingWebAvailabilityErrorBudgetBurnSlow"]["expr"]
    assert str(before).replace("(3 *", "(2.8 *").replace("(1 *", "(0.933333 *") == after


def promtool_groups(folder: Path, service: str, names: tuple[str, ...]) -> str:
    """Run only the named test groups of a service's generated test file through promtool."""
    tests = folder / "tests" / f"{service}.yml"
    data = yaml.safe_load(tests.read_text(encoding="utf-8"))
    data["tests"] = [group for group in data["tests"] if group["name"].startswith(names)]
    assert len(data["tests"]) == len(names)
    tests.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    proc = subprocess.run(
        ["promtool", "test", "rules", str(tests)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return "" if proc.returncode == 0 else proc.stdout + proc.stderr


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    target = tmp_path / "monitoring"
    shutil.copytree(EXAMPLE / "monitoring", target)
    return target


GROUPS = ("zero traffic", "missing data")


@needs_promtool
@pytest.mark.parametrize("service", ["vpn-gateway", "shipment-tracking", "records-archive"])
def test_zero_traffic_and_missing_data_groups_pass(generated: Path, service: str) -> None:
    assert promtool_groups(generated, service, GROUPS) == ""


@needs_promtool
@pytest.mark.parametrize(
    ("service", "old", "new", "expected"),
    [
        # Without the floor, 0/0 is NaN at zero traffic.
        ("vpn-gateway", "1e-12", "0", "NaN"),
        # A latency SLI computed as 1 - fast/all is NaN at zero traffic too.
        ("shipment-tracking", "1e-12", "0", "NaN"),
        # An absent alert that waits too long is not firing when the test expects it.
        ("vpn-gateway", "for: 10m", "for: 1h", "VpnGatewayMetricsAbsent"),
    ],
)
def test_broken_rules_fail_the_generated_groups(
    generated: Path, service: str, old: str, new: str, expected: str
) -> None:
    rules = generated / "rules" / f"{service}.yml"
    text = rules.read_text(encoding="utf-8")
    assert old in text
    rules.write_text(text.replace(old, new), encoding="utf-8")
    output = promtool_groups(generated, service, GROUPS)
    assert expected in output, output
