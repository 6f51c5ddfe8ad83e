"""The runbook of one alert: meaning (with burn-rate arithmetic), impact, diagnosis,
mitigation and escalation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.monitoring.burnrate import PERIODS, POLICIES, error_budget, window_name
from rcim.runbooks.markdown import front_matter, table
from rcim.runbooks.sections import (
    TIER_NAMES,
    catalog_steps,
    dependants,
    escalation_section,
    host_health_steps,
    human_duration,
    known_errors_section,
    manual,
    numbered,
    rollback_command,
    steps_markdown,
)

if TYPE_CHECKING:
    from rcim.monitoring.naming import AlertSpec
    from rcim.program.loader import Program
    from rcim.program.service import Service, Slo
    from rcim.runbooks.kb import KbArticle
    from rcim.runbooks.model import FailureAction, RunbookStep

OTHER_MEANINGS = {
    "target_down": "Prometheus cannot scrape at least one instance: the process is down, hung, "
    "or unreachable from monitoring.",
    "metrics_absent": "Prometheus receives none of the series the service's SLO alerts are "
    "computed from, so those alerts cannot fire: the service or its exporter is down, or a "
    "release renamed its metrics.",
    "deploy_failed": "A deployment of the service failed verification or was rolled back; "
    "the service may run a mix of versions.",
    "backup_stale": "The newest successful backup is older than the recovery point objective: "
    "a disaster now would lose more data than the business accepted.",
}


def alert_runbook(
    program: Program, service: Service, alert: AlertSpec, articles: list[KbArticle], source: str
) -> str:
    front = front_matter(
        {
            "id": f"alerts/{alert.name}",
            "kind": "alerts",
            "title": alert.name,
            "service": service.name,
            "alert": alert.name,
            "generated": True,
        }
    )
    parts = [
        front,
        f"# {alert.name}\n",
        f"{alert.summary}\n",
        table(
            ["severity", "service", "owner", "tier", "source"],
            [[alert.severity, service.name, service.owner, str(service.tier), source]],
        ),
        _meaning(service, alert),
        _impact(program, service, alert),
        "## Diagnosis\n\n" + steps_markdown(numbered(_diagnosis(program, service, alert))),
        _mitigation(program, service, articles),
        known_errors_section(service, articles),
        escalation_section(program, service),
    ]
    return "\n".join(parts)


def _meaning(service: Service, alert: AlertSpec) -> str:
    slo = next((s for s in service.slos if s.name == alert.slo), None)
    if slo is None or alert.kind not in POLICIES:
        text = OTHER_MEANINGS.get(alert.kind, alert.summary)
        return f"## Meaning\n\n{text}\n"
    return "## Meaning\n\n" + _burn_meaning(slo, alert)


def _burn_meaning(slo: Slo, alert: AlertSpec) -> str:
    period = PERIODS[slo.period]
    budget = error_budget(slo.objective)
    allowed = human_duration(period * budget)
    lines = [
        f"The SLO **{slo.name}** ({slo.description or 'no description'}) promises "
        f"{slo.objective:g}% good events over a rolling {slo.period} window, so the error "
        f"budget is {budget * 100:g}% of events (the same as {allowed} of full outage per "
        f"{slo.period}). This alert fires when both windows of a pair burn the budget at least "
        "this fast:\n",
    ]
    rows = [
        [
            f"{window_name(pair.long)} and {window_name(pair.short)}",
            f"{pair.factor(period):g}x",
            f"{pair.budget_share * 100:g}% in {window_name(pair.long)}",
            human_duration(period / pair.factor(period)),
        ]
        for pair in POLICIES[alert.kind].pairs
    ]
    headers = ["windows", "burn rate", "budget consumed", "budget exhausted in"]
    lines.append(table(headers, rows))
    return "\n".join(lines)


def _impact(program: Program, service: Service, alert: AlertSpec) -> str:
    users = dependants(program, service.name)
    needed_by = ", ".join(users) if users else "no other service in the catalog"
    reach = "pages on-call at any hour" if alert.severity == "page" else "opens a ticket"
    return (
        f"## Impact\n\n{service.description} Tier {service.tier} "
        f"({TIER_NAMES[service.tier]}); needed by {needed_by}. This alert {reach}.\n"
    )


def _diagnosis(program: Program, service: Service, alert: AlertSpec) -> list[RunbookStep]:
    on_failure: FailureAction = "escalate" if alert.severity == "page" else "next"
    steps = host_health_steps(program, service, "L1", on_failure)
    steps.extend(_kind_steps(service, alert))
    steps.extend(catalog_steps(service))
    steps.append(
        manual(
            "Confirm recovery",
            "After mitigation, watch the alert for 15 minutes and check the SLO dashboard.",
            "Has the alert resolved and stayed resolved?",
        )
    )
    return steps


def _kind_steps(service: Service, alert: AlertSpec) -> list[RunbookStep]:
    if alert.kind == "deploy_failed":
        return [
            manual(
                "Read the failed deployment",
                f"Run `rcim status --service {service.name}` and read which hosts failed.",
                "Are all hosts back on one version?",
            )
        ]
    if alert.kind == "backup_stale":
        backup = service.continuity.backup if service.continuity else ""
        return [
            manual(
                "Check the backup job",
                f"How backups work: {backup or 'not described in the catalog'}",
                "Did a backup succeed since the alert fired?",
                "L2",
            )
        ]
    return [
        manual(
            "Look for a recent release",
            f"Run `rcim status --service {service.name}`: did a deployment "
            "start shortly before the alert?",
            "Was there no deployment shortly before the alert?",
        )
    ]


def _mitigation(program: Program, service: Service, articles: list[KbArticle]) -> str:
    lines = [
        "## Mitigation\n",
        "If a release went out shortly before the alert, roll it back:\n",
        f"```sh\n{rollback_command(program, service.name)}\n```\n",
        "If a known error matches (below), apply its fix. Record what you did:",
        '`rcim incident mitigate INC --note "..."`.',
    ]
    if articles:
        lines.append(f"Lessons from {len(articles)} past incidents are linked below.")
    return "\n".join(lines) + "\n"
