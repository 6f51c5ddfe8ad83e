"""A service's incident runbook: the seed's incident procedure (thesis 4.3.2) for one service.

The procedure is framed by the seed's first and last steps (gather information, isolate the
issue; follow up, document the solution). In between come the service's own diagnostics from
``services/<name>.yaml`` or, when it has none, generic checks of its hosts, dependencies, logs
and recent changes. A framing step is left out when the service's diagnostics already have a
step of the same title, which is how the VPN gateway gets exactly the seed's VPN procedure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.runbooks.markdown import front_matter
from rcim.runbooks.model import RunbookStep
from rcim.runbooks.sections import (
    TIER_NAMES,
    catalog_steps,
    escalation_section,
    host_health_steps,
    known_errors_section,
    manual,
    numbered,
    rollback_command,
    steps_markdown,
)

if TYPE_CHECKING:
    from rcim.program.loader import Program
    from rcim.program.service import Service
    from rcim.runbooks.kb import KbArticle


def incident_runbook(
    program: Program, service: Service, articles: list[KbArticle], source: str
) -> str:
    front = front_matter(
        {
            "id": f"incident/{service.name}",
            "kind": "incident",
            "title": f"Incident procedure: {service.name}",
            "service": service.name,
            "generated": True,
        }
    )
    steps = numbered(incident_steps(program, service))
    parts = [
        front,
        f"# Incident procedure: {service.name}\n",
        f"{service.description} Tier {service.tier} ({TIER_NAMES[service.tier]}), "
        f"owned by {service.owner}. Generated from {source}.\n",
        "Run it with `rcim runbook run incident/"
        f"{service.name} --incident INC`: every check runs and lands in the incident timeline. "
        "L1 starts; a failing step marked *escalate* hands over to the next level.\n",
        "## Procedure\n\n" + steps_markdown(steps),
        "## Mitigation\n\nRoll back the last release when it caused the incident:\n",
        f"```sh\n{rollback_command(program, service.name)}\n```\n",
        known_errors_section(service, articles),
        escalation_section(program, service),
        _after_section(service),
    ]
    return "\n".join(parts)


def incident_steps(program: Program, service: Service) -> list[RunbookStep]:
    middle = catalog_steps(service) or _generic_checks(program, service)
    titles = {step.title.casefold() for step in middle}
    first = [s for s in _opening(service) if s.title.casefold() not in titles]
    last = [s for s in _closing() if s.title.casefold() not in titles]
    return first + middle + last


def _opening(service: Service) -> list[RunbookStep]:
    return [
        manual(
            "Gather information",
            "Ask the reporter for the exact error message, the symptoms and when it started. "
            f"Check the monitoring for {service.name} and its hosts.",
            "Were the error message, symptoms and start time recorded in the incident?",
        ),
        manual(
            "Isolate the issue",
            "Find out whether only one user or device is affected, or many.",
            "Is it known which users and locations are affected?",
        ),
    ]


def _generic_checks(program: Program, service: Service) -> list[RunbookStep]:
    steps = host_health_steps(program, service, "L1", "escalate")
    if service.depends_on:
        needs = ", ".join(service.depends_on)
        steps.append(
            manual(
                "Check the services it depends on",
                f"It depends on {needs}: follow their incident runbooks if they are unhealthy.",
                f"Are {needs} healthy?",
            )
        )
    steps.append(
        manual(
            "Look for a recent change",
            f"Run `rcim status --service {service.name}`; "
            "if a release caused it, link its change with `rcim incident link-change`.",
            "Was there no release or change shortly before the incident?",
            "L2",
        )
    )
    steps.append(
        manual(
            "Review the logs",
            "Read the service and host logs around the start of the incident.",
            "Do the logs explain the failure?",
            "L2",
        )
    )
    return steps


def _closing() -> list[RunbookStep]:
    return [
        manual(
            "Follow up",
            "After the fix, confirm with the reporter that everything works again.",
            "Has the reporter confirmed the fix?",
        ),
        RunbookStep(
            0,
            "Document the solution",
            "Record what was done (`rcim incident note`), resolve the incident, and hold the "
            "post-incident review (`rcim incident review`) so the knowledge base learns it.",
        ),
    ]


def _after_section(service: Service) -> str:
    return (
        "## After the incident\n\n"
        "Resolve it with `rcim incident resolve INC`, then review it: "
        "`rcim incident review INC --why ... --factor ... --action ...` records the root cause "
        f"by five whys and writes a knowledge-base article that the next `rcim runbook "
        f"generate` lists under the known errors of {service.name}.\n"
    )
