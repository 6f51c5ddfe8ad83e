"""promtool unit tests for one service's rules, generated next to the rules.

Burn-rate alerts are tested with the scenarios of ``scenarios``: when rcim knows the counters an
SLI reads (events and latency SLIs with plain selectors) it feeds those counters, so the test
covers the recording rules too; otherwise (raw SLIs) it feeds the recorded ratios. The other
alerts get a quiet case and a firing case each.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from rcim.monitoring.burnrate import POLICIES, WINDOWS, number, window_name
from rcim.monitoring.naming import AlertSpec, alerts_for_service
from rcim.monitoring.rules import BACKUP_METRIC, alert_annotations, alert_labels, ratio_metric
from rcim.monitoring.scenarios import (
    EVALUATION_MINUTES,
    Scenario,
    expect_firing,
    scenarios_for,
    window_ratio,
)
from rcim.monitoring.sli import FeedCounter, feed_counters
from rcim.program.types import format_duration

if TYPE_CHECKING:
    from rcim.program.organization import Organization
    from rcim.program.service import Service, Slo

EVENTS_PER_MINUTE = 100.0
ZERO_TRAFFIC_MINUTES = 24 * 60
MISSING_DATA_MINUTES = 15
TestGroup = dict[str, Any]


def service_rule_tests(
    service: Service, org: Organization, *, rule_file: str, env: str
) -> dict[str, Any]:
    """The promtool test file of ``service``; ``rule_file`` is relative to the test file."""
    alerts = alerts_for_service(service)
    groups: list[TestGroup] = []
    for slo in service.slos:
        slo_alerts = [a for a in alerts if a.slo == slo.name]
        groups.extend(
            _burn_group(service, org, slo, slo_alerts, s) for s in scenarios_for(slo.objective)
        )
    groups.append(_zero_traffic_group(service, org, alerts))
    groups.append(_missing_data_group(service, org, alerts))
    for spec in alerts:
        if spec.kind == "target_down":
            groups.append(_target_down_group(service, org, spec))
        elif spec.kind == "deploy_failed":
            groups.append(_deploy_failed_group(service, org, spec, env))
        elif spec.kind == "backup_stale":
            groups.append(_backup_stale_group(service, org, spec))
    return {
        "rule_files": [rule_file],
        "evaluation_interval": _minutes(EVALUATION_MINUTES),
        "tests": groups,
    }


def _burn_group(
    service: Service, org: Organization, slo: Slo, alerts: list[AlertSpec], scenario: Scenario
) -> TestGroup:
    counters = feed_counters(slo.sli)
    if counters is None:
        series = _ratio_series(service.name, slo.name, scenario)
    else:
        series = [_counter_series(counter, scenario) for counter in counters]
    eval_time = _minutes(scenario.minutes)
    tests = []
    for spec in alerts:
        policy = POLICIES[spec.kind]
        firing = expect_firing(policy, slo.objective, slo.period, scenario)
        expected = [_expected(spec, service, org)] if firing else []
        tests.append({"alertname": spec.name, "eval_time": eval_time, "exp_alerts": expected})
    return {
        "name": f"{slo.name}: {scenario.name}",
        "interval": "1m",
        "input_series": series,
        "alert_rule_test": tests,
    }


def _counter_series(counter: FeedCounter, scenario: Scenario) -> dict[str, str]:
    steps = []
    for minutes, ratio in scenario.segments:
        errors = EVENTS_PER_MINUTE * ratio
        per_minute = {"errors": errors, "good": EVENTS_PER_MINUTE - errors}
        steps.append((minutes, per_minute.get(counter.counts, EVENTS_PER_MINUTE)))
    return {"series": counter.series.text(), "values": counter_values(steps)}


def counter_values(steps: list[tuple[int, float]]) -> str:
    """promtool's expanding notation for a counter growing by ``increment`` for ``minutes``."""
    parts = []
    value = 0.0
    for index, (minutes, increment) in enumerate(steps):
        if index == 0:
            parts.append(f"0+{number(increment)}x{minutes}")
        else:
            start = value + increment
            parts.append(f"{number(start)}+{number(increment)}x{minutes - 1}")
        value += minutes * increment
    return " ".join(parts)


def _ratio_series(service: str, slo: str, scenario: Scenario) -> list[dict[str, str]]:
    series = []
    for window in WINDOWS:
        minutes = int(window / timedelta(minutes=1))
        values = [window_ratio(scenario, m, minutes) for m in range(scenario.minutes + 1)]
        name = f'{ratio_metric(window_name(window))}{{service="{service}",slo="{slo}"}}'
        series.append({"series": name, "values": compress(values)})
    return series


def compress(values: list[float]) -> str:
    """Runs of equal steps as ``a+bxn`` so that days of 1-minute samples stay short."""
    parts = []
    start = 0
    while start < len(values):
        step = values[start + 1] - values[start] if start + 1 < len(values) else 0.0
        end = start + 1
        while end < len(values) and abs(values[end] - values[end - 1] - step) < 1e-12:
            end += 1
        count = end - start - 1
        first = number(values[start])
        parts.append(f"{first}x{count}" if step == 0 else f"{first}+{number(step)}x{count}")
        start = end
    return " ".join(parts)


def _zero_traffic_group(service: Service, org: Organization, alerts: list[AlertSpec]) -> TestGroup:
    """A day without a single request: every series there, every counter flat, no alert.

    Error counters are left out (they often do not exist before the first error), so the
    test also proves that a missing error series reads as 0, not as no data.
    """
    minutes = ZERO_TRAFFIC_MINUTES
    series = {_text("up", _up_labels(service)): f"1x{minutes}"}
    for slo in service.slos:
        for counter in feed_counters(slo.sli) or ():
            if counter.counts != "errors":
                series[counter.series.text()] = f"0x{minutes}"
    if service.continuity is not None and service.continuity.rpo is not None:
        # A backup every minute: time() - timestamp stays 0.
        series[_text(BACKUP_METRIC, {"service": service.name})] = f"0+60x{minutes}"
    eval_time = _minutes(minutes)
    return {
        "name": "zero traffic: continuous recordings, no alert",
        "interval": "1m",
        "input_series": [{"series": name, "values": values} for name, values in series.items()],
        "alert_rule_test": [
            {"alertname": spec.name, "eval_time": eval_time, "exp_alerts": []} for spec in alerts
        ],
        "promql_expr_test": [
            test for slo in service.slos for test in _zero_ratio_tests(service, slo, eval_time)
        ],
    }


def _zero_ratio_tests(service: Service, slo: Slo, eval_time: str) -> list[dict[str, Any]]:
    """The shortest and longest window read 0 (not NaN, not empty); the budget is intact."""
    labels = {"service": service.name, "slo": slo.name}
    expected = [(ratio_metric(window_name(w)), 0) for w in (WINDOWS[0], WINDOWS[-1])]
    expected.append(("slo:error_budget_remaining:ratio", 1))
    return [
        {
            "expr": _text(metric, labels),
            "eval_time": eval_time,
            "exp_samples": [{"labels": _text(metric, labels), "value": value}],
        }
        for metric, value in expected
    ]


def _missing_data_group(service: Service, org: Organization, alerts: list[AlertSpec]) -> TestGroup:
    """No series at all: the absent alerts fire (metrics, and backups where an RPO is set)."""
    absent_kinds = ("metrics_absent", "backup_stale")
    early = [
        {"alertname": spec.name, "eval_time": "5m", "exp_alerts": []}
        for spec in alerts
        if spec.kind == "metrics_absent"
    ]
    late = [
        {
            "alertname": spec.name,
            "eval_time": _minutes(MISSING_DATA_MINUTES),
            "exp_alerts": [_expected(spec, service, org)] if spec.kind in absent_kinds else [],
        }
        for spec in alerts
    ]
    return {
        "name": "missing data: absent alerts fire, nothing else",
        "interval": "1m",
        "input_series": [],
        "alert_rule_test": early + late,
    }


def _target_down_group(service: Service, org: Organization, spec: AlertSpec) -> TestGroup:
    labels = _up_labels(service)
    return {
        "name": f"{spec.name}: scrape fails for 15 minutes",
        "interval": "1m",
        "input_series": [{"series": _text("up", labels), "values": "1x10 0x15"}],
        "alert_rule_test": [
            {"alertname": spec.name, "eval_time": "10m", "exp_alerts": []},
            {
                "alertname": spec.name,
                "eval_time": "25m",
                "exp_alerts": [_expected(spec, service, org, labels)],
            },
        ],
    }


def _deploy_failed_group(
    service: Service, org: Organization, spec: AlertSpec, env: str
) -> TestGroup:
    base = {"env": env, "service": service.name}
    failed = {**base, "result": "failed"}
    succeeded = {**base, "result": "succeeded"}
    return {
        "name": f"{spec.name}: one failed deployment",
        "interval": "1m",
        "input_series": [
            {"series": _text("rcim_deployments_total", failed), "values": "0x10 1x80"},
            {"series": _text("rcim_deployments_total", succeeded), "values": "0+1x90"},
        ],
        "alert_rule_test": [
            {"alertname": spec.name, "eval_time": "5m", "exp_alerts": []},
            {
                "alertname": spec.name,
                "eval_time": "20m",
                "exp_alerts": [_expected(spec, service, org, {"env": env})],
            },
            {"alertname": spec.name, "eval_time": "90m", "exp_alerts": []},
        ],
    }


def _backup_stale_group(service: Service, org: Organization, spec: AlertSpec) -> TestGroup:
    assert service.continuity is not None
    assert service.continuity.rpo is not None
    rpo = int(service.continuity.rpo / timedelta(minutes=1))
    labels = {"service": service.name}
    metric = BACKUP_METRIC
    return {
        "name": f"{spec.name}: last backup at the start, none since",
        "interval": "1m",
        "input_series": [{"series": _text(metric, labels), "values": f"0x{rpo + 30}"}],
        "alert_rule_test": [
            {"alertname": spec.name, "eval_time": _on_grid(rpo // 2), "exp_alerts": []},
            {
                "alertname": spec.name,
                "eval_time": _on_grid(rpo + 20 + EVALUATION_MINUTES - 1),
                "exp_alerts": [_expected(spec, service, org)],
            },
        ],
    }


def _expected(
    spec: AlertSpec, service: Service, org: Organization, extra: dict[str, str] | None = None
) -> dict[str, Any]:
    labels = {**(extra or {}), **alert_labels(spec, service)}
    return {"exp_labels": labels, "exp_annotations": alert_annotations(spec, service, org)}


def _up_labels(service: Service) -> dict[str, str]:
    return {"instance": _instance(service), "job": service.name}


def _instance(service: Service) -> str:
    for hosts in service.hosts.values():
        for host in hosts:
            return f"{host.name}:{host.port}"
    return f"{service.name}:9100"


def _text(metric: str, labels: dict[str, str]) -> str:
    inner = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    return f"{metric}{{{inner}}}"


def _on_grid(minutes: int) -> str:
    """The latest rule evaluation at or before ``minutes``."""
    return _minutes(minutes - minutes % EVALUATION_MINUTES)


def _minutes(minutes: int) -> str:
    return format_duration(timedelta(minutes=minutes))
