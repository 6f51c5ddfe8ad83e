"""Prometheus rules for one service: SLI recordings, error-budget bookkeeping and alerts.

Each SLO gets an error-ratio recording per burn-rate window (``slo:sli_error:ratio_rate<w>``,
labelled ``service`` and ``slo``) so the alerts stay readable and cheap; the alerts then compare
two windows against ``factor * budget`` as ``burnrate`` describes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rcim.monitoring.burnrate import (
    PERIODS,
    POLICIES,
    WINDOWS,
    BurnPolicy,
    error_budget,
    number,
    window_name,
)
from rcim.monitoring.naming import AlertSpec, alerts_for_service
from rcim.monitoring.sli import data_selectors, error_ratio_query

if TYPE_CHECKING:
    from rcim.program.organization import Organization
    from rcim.program.service import Service, Slo

Rule = dict[str, Any]

# How long a condition must hold before the alert fires, by alert kind.
HOLD = {
    "burn_fast": "2m",
    "burn_slow": "15m",
    "target_down": "5m",
    "metrics_absent": "10m",
    "deploy_failed": "",
    "backup_stale": "10m",
}
DEPLOY_FAILURES = "failed|rolled_back"
BACKUP_METRIC = "rcim_backup_last_success_timestamp_seconds"


def ratio_metric(window: str) -> str:
    return f"slo:sli_error:ratio_rate{window}"


def slo_selector(service: str, slo: str) -> str:
    return f'{{service="{service}",slo="{slo}"}}'


def service_rule_groups(service: Service, org: Organization) -> dict[str, Any]:
    """The whole rule file of ``service`` as data, ready to be written as YAML."""
    groups: list[dict[str, Any]] = []
    if service.slos:
        recordings = [rule for slo in service.slos for rule in _sli_recordings(service, slo)]
        budgets = [rule for slo in service.slos for rule in _budget_recordings(service, slo)]
        groups.append({"name": f"{service.name}-slo-sli-recordings", "rules": recordings})
        groups.append({"name": f"{service.name}-slo-error-budget", "rules": budgets})
    alerts = [alert_rule(spec, service, org) for spec in alerts_for_service(service)]
    groups.append({"name": f"{service.name}-alerts", "rules": alerts})
    return {"groups": groups}


def up_selector(service: str) -> str:
    return f'up{{job="{service}"}}'


def _sli_recordings(service: Service, slo: Slo) -> list[Rule]:
    labels = {"service": service.name, "slo": slo.name}
    return [
        {
            "record": ratio_metric(window_name(window)),
            "expr": _continuous(error_ratio_query(slo.sli, window_name(window)), service.name),
            "labels": labels,
        }
        for window in WINDOWS
    ]


def _continuous(query: str, service: str) -> str:
    """0 while the service is scraped but its SLI has no sample (no request since a restart).

    The SLI kinds already turn 0/0 into 0; this covers counters that do not exist yet, so the
    recordings (and the period average built on them) have no gaps at zero traffic.
    """
    inner = query.replace("\n", "\n  ")
    return f"(\n  {inner}\n)\nor on()\n(0 * max({up_selector(service)}))"


def _budget_recordings(service: Service, slo: Slo) -> list[Rule]:
    """The objective, the budget and what is left of it over the SLO period, for dashboards."""
    labels = {"service": service.name, "slo": slo.name}
    selector = slo_selector(service.name, slo.name)
    budget = number(error_budget(slo.objective))
    shortest = ratio_metric(window_name(WINDOWS[0]))
    period_ratio = ratio_metric(slo.period)
    return [
        {
            "record": "slo:objective:ratio",
            "expr": f"vector({number(slo.objective / 100)})",
            "labels": labels,
        },
        {"record": "slo:error_budget:ratio", "expr": f"vector({budget})", "labels": labels},
        {
            "record": period_ratio,
            "expr": f"avg_over_time({shortest}{selector}[{slo.period}])",
            "labels": labels,
        },
        {
            "record": "slo:error_budget_remaining:ratio",
            "expr": f"1 - ({period_ratio}{selector} / {budget})",
            "labels": labels,
        },
    ]


def alert_rule(spec: AlertSpec, service: Service, org: Organization) -> Rule:
    rule: Rule = {"alert": spec.name, "expr": alert_expression(spec, service)}
    if HOLD[spec.kind]:
        rule["for"] = HOLD[spec.kind]
    rule["labels"] = alert_labels(spec, service)
    rule["annotations"] = alert_annotations(spec, service, org)
    return rule


def alert_labels(spec: AlertSpec, service: Service) -> dict[str, str]:
    """Labels routing depends on: ``service`` and ``severity`` select the Alertmanager route."""
    labels = {"severity": spec.severity, "service": service.name}
    if spec.slo is not None:
        labels["slo"] = spec.slo
    labels["team"] = service.owner
    labels["tier"] = str(service.tier)
    return labels


def alert_annotations(spec: AlertSpec, service: Service, org: Organization) -> dict[str, str]:
    annotations = {
        "summary": spec.summary,
        "description": _description(spec, service),
        "runbook_url": org.runbook_url.replace("{kind}", "alerts").replace("{name}", spec.name),
    }
    if org.dashboard_url:
        annotations["dashboard_url"] = org.dashboard_url.replace("{service}", service.name)
    return annotations


def alert_expression(spec: AlertSpec, service: Service) -> str:
    if spec.kind in POLICIES:
        slo = _slo(service, spec.slo)
        return _burn_expression(service.name, slo, POLICIES[spec.kind])
    if spec.kind == "target_down":
        return f"{up_selector(service.name)} == 0"
    if spec.kind == "metrics_absent":
        clauses = "\n  or\n  ".join(f"absent({s})" for s in presence_selectors(service))
        # max() drops absent()'s labels: one alert per service, however many series are gone.
        return f"max(\n  {clauses}\n)"
    if spec.kind == "deploy_failed":
        selector = f'{{service="{service.name}",result=~"{DEPLOY_FAILURES}"}}'
        return f"sum by (service, env) (increase(rcim_deployments_total{selector}[1h])) > 0"
    metric = f'{BACKUP_METRIC}{{service="{service.name}"}}'
    rpo = _rpo_seconds(service)
    return f"time() - {metric} > {rpo}\nor\nabsent({metric})"


def presence_selectors(service: Service) -> tuple[str, ...]:
    """Series that must exist: the target's ``up`` and each SLI's total traffic."""
    selectors = [up_selector(service.name)]
    selectors.extend(s for slo in service.slos for s in data_selectors(slo.sli))
    return tuple(dict.fromkeys(selectors))


def _burn_expression(service: str, slo: Slo, policy: BurnPolicy) -> str:
    selector = slo_selector(service, slo.name)
    budget = number(error_budget(slo.objective))
    period = PERIODS[slo.period]
    clauses = []
    for pair in policy.pairs:
        threshold = f"({number(pair.factor(period))} * {budget})"
        long_ratio = f"{ratio_metric(window_name(pair.long))}{selector}"
        short_ratio = f"{ratio_metric(window_name(pair.short))}{selector}"
        clauses.append(f"(\n  {long_ratio} > {threshold}\n  and\n  {short_ratio} > {threshold}\n)")
    return "\nor\n".join(clauses)


def _description(spec: AlertSpec, service: Service) -> str:
    if spec.kind in POLICIES:
        return _burn_description(_slo(service, spec.slo), POLICIES[spec.kind])
    if spec.kind == "target_down":
        return f'Prometheus cannot scrape a target of job "{service.name}" for 5 minutes.'
    if spec.kind == "metrics_absent":
        series = ", ".join(presence_selectors(service))
        return (
            f"No sample for 10 minutes of at least one of: {series}. Until they are back, "
            f"the SLO alerts of {service.name} cannot fire."
        )
    if spec.kind == "deploy_failed":
        return (
            "rcim recorded a failed or rolled-back deployment; see rcim status and the audit log."
        )
    return f"No successful backup of {service.name} within {_rpo_seconds(service)} seconds."


def _burn_description(slo: Slo, policy: BurnPolicy) -> str:
    """Objective, period, windows and burn rates: what an on-call reader needs to judge it."""
    period = PERIODS[slo.period]
    windows = ", or ".join(
        f"burn rate {number(p.factor(period))} over both {window_name(p.long)} and "
        f"{window_name(p.short)}"
        for p in policy.pairs
    )
    what = slo.description.rstrip(".") or slo.name
    return (
        f"Objective {slo.objective:g}% over {slo.period} (error budget "
        f"{number(error_budget(slo.objective))}). The error ratio is above {windows} "
        f"(burn rate = error ratio / error budget). SLO: {what}."
    )


def _slo(service: Service, name: str | None) -> Slo:
    return next(slo for slo in service.slos if slo.name == name)


def _rpo_seconds(service: Service) -> int:
    assert service.continuity is not None
    assert service.continuity.rpo is not None
    return int(service.continuity.rpo.total_seconds())
