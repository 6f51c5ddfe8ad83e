"""A service's disaster-recovery runbook: restore within the RTO, lose at most the RPO."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.program.service import CommandCheck
from rcim.program.types import format_duration
from rcim.runbooks.markdown import front_matter, table
from rcim.runbooks.model import RunbookStep
from rcim.runbooks.sections import (
    escalation_section,
    host_health_steps,
    manual,
    numbered,
    production_env,
    steps_markdown,
)

if TYPE_CHECKING:
    from rcim.program.loader import Program
    from rcim.program.service import Service


def dr_runbook(program: Program, service: Service, source: str) -> str:
    front = front_matter(
        {
            "id": f"dr/{service.name}",
            "kind": "dr",
            "title": f"Disaster recovery: {service.name}",
            "service": service.name,
            "generated": True,
        }
    )
    parts = [
        front,
        f"# Disaster recovery: {service.name}\n",
        f"{service.description} Generated from {source}.\n",
        _targets(service),
        "## Restore and verify\n\n" + steps_markdown(numbered(dr_steps(program, service))),
        escalation_section(program, service),
    ]
    return "\n".join(parts)


def dr_steps(program: Program, service: Service) -> list[RunbookStep]:
    env = production_env(program)
    name = service.name
    steps = [
        manual(
            "Declare the disaster",
            "Open a P1 incident so the timeline records the recovery: "
            f'`rcim incident open --service {name} --impact high --urgency high --title "..."`.',
            "Is a P1 incident open for the outage?",
        ),
        manual(
            "Hand over to L2",
            "Call the L2 team (see Escalation below); they run the restore.",
            "Has the L2 team taken over?",
            "L2",
        ),
    ]
    if service.depends_on:
        needs = ", ".join(service.depends_on)
        steps.append(
            manual(
                "Restore dependencies first",
                f"{name} needs {needs}; follow their DR runbooks first "
                + ", ".join(f"([dr/{d}](../dr/{d}.md))" for d in service.depends_on),
                f"Are {needs} restored and healthy?",
                "L2",
            )
        )
    steps.extend(
        [
            manual(
                "Rebuild the platform",
                f"Recreate the hosts with `rcim infra up --env {env}` (preview first).",
                "Are the hosts provisioned again?",
                "L2",
            ),
            manual(
                "Restore the data",
                _backup_text(service),
                "Was the data restored from a backup within the RPO?",
                "L2",
            ),
            manual(
                "Redeploy the last good release",
                f"Find it with `rcim status --service {name}` and deploy it: "
                f"`rcim deploy --service {name} --env {env} --version VERSION`.",
                "Is the last good release deployed on every host?",
                "L2",
            ),
        ]
    )
    steps.extend(host_health_steps(program, service, "L2", "escalate"))
    verify = CommandCheck(kind="command", run=f"rcim verify --service {name} --env {env}")
    steps.append(
        RunbookStep(0, "Verify the service", "Run rcim's deployment verification.", "L2", verify)
    )
    steps.append(
        manual(
            "Compare with the RTO",
            "Note the time of recovery in the incident (`rcim incident mitigate`).",
            "Was the service restored within its RTO?",
        )
    )
    return steps


def _targets(service: Service) -> str:
    continuity = service.continuity
    if continuity is None:
        return "## Targets\n\nNo continuity targets in the catalog; agree them with the owner.\n"
    rpo = format_duration(continuity.rpo) if continuity.rpo is not None else "not set"
    rows = [[format_duration(continuity.rto), rpo, continuity.backup or "not described"]]
    return "## Targets\n\n" + table(["RTO", "RPO", "backup"], rows)


def _backup_text(service: Service) -> str:
    continuity = service.continuity
    if continuity is None or not continuity.backup:
        return "Restore from the latest backup (the catalog does not describe backups)."
    return f"Restore from backup. {continuity.backup}"
