"""Every alert rcim generates for a service, named in one place.

The rule generator, the Alertmanager routes, the generated rule tests and the runbook generator
all call ``alerts_for_service`` so that an alert cannot exist without a name, a severity and a
runbook link, and a runbook cannot be written for an alert that does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rcim.program.types import format_duration

if TYPE_CHECKING:
    from rcim.program.service import Service, Slo

Severity = Literal["page", "ticket"]
AlertKind = Literal[
    "burn_fast", "burn_slow", "target_down", "metrics_absent", "deploy_failed", "backup_stale"
]

# Tier 1 and 2 services are the ones whose outage stops customers or staff working (the
# service catalog's "critical" and "high"); an outage there wakes someone up.
PAGING_TIERS = frozenset({1, 2})


@dataclass(frozen=True)
class AlertSpec:
    """One alert rule: its name (also the runbook's file name), severity and meaning."""

    name: str
    kind: AlertKind
    severity: Severity
    service: str
    slo: str | None
    summary: str


def camel(identifier: str) -> str:
    """``shipment-tracking`` -> ``ShipmentTracking``: alert names are CamelCase by convention."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-._]+", identifier) if part)


def slo_alert_name(service: str, slo: str, kind: Literal["burn_fast", "burn_slow"]) -> str:
    speed = "Fast" if kind == "burn_fast" else "Slow"
    return f"{camel(service)}{camel(slo)}ErrorBudgetBurn{speed}"


def alerts_for_service(service: Service) -> list[AlertSpec]:
    """Every alert of ``service``, in the order the rule file lists them."""
    alerts: list[AlertSpec] = []
    for slo in service.slos:
        alerts.extend(_slo_alerts(service.name, slo))
    outage: Severity = "page" if service.tier in PAGING_TIERS else "ticket"
    prefix = camel(service.name)
    alerts.append(
        AlertSpec(
            f"{prefix}TargetDown",
            "target_down",
            outage,
            service.name,
            None,
            f"A {service.name} instance is not answering Prometheus scrapes.",
        )
    )
    # Missing series blind the burn alerts rather than stop the service: a ticket, not a page.
    alerts.append(
        AlertSpec(
            f"{prefix}MetricsAbsent",
            "metrics_absent",
            "ticket",
            service.name,
            None,
            f"Prometheus has no {service.name} series that its alerts depend on.",
        )
    )
    alerts.append(
        AlertSpec(
            f"{prefix}DeployFailed",
            "deploy_failed",
            "ticket",
            service.name,
            None,
            f"A {service.name} deployment failed or was rolled back in the last hour.",
        )
    )
    if service.continuity is not None and service.continuity.rpo is not None:
        rpo = format_duration(service.continuity.rpo)
        alerts.append(
            AlertSpec(
                f"{prefix}BackupStale",
                "backup_stale",
                "ticket",
                service.name,
                None,
                f"The last successful {service.name} backup is older than the RPO of {rpo}.",
            )
        )
    return alerts


def _slo_alerts(service: str, slo: Slo) -> list[AlertSpec]:
    target = f"{slo.objective:g}% {slo.name} SLO of {service}"
    return [
        AlertSpec(
            slo_alert_name(service, slo.name, "burn_fast"),
            "burn_fast",
            "page",
            service,
            slo.name,
            f"The error budget of the {target} is burning fast: at this rate it is gone "
            "within days.",
        ),
        AlertSpec(
            slo_alert_name(service, slo.name, "burn_slow"),
            "burn_slow",
            "ticket",
            service,
            slo.name,
            f"The error budget of the {target} is burning faster than it can last the "
            f"{slo.period} period.",
        ),
    ]
