"""Sections and steps that several kinds of runbook share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.program.service import HttpCheck, ManualCheck, TcpCheck
from rcim.runbooks.checks import describe_check
from rcim.runbooks.escalation import escalation_path
from rcim.runbooks.markdown import step_block, table
from rcim.runbooks.model import JumpTo, RunbookStep, next_level

if TYPE_CHECKING:
    from datetime import timedelta

    from rcim.program.loader import Program
    from rcim.program.service import Service
    from rcim.program.types import Level
    from rcim.runbooks.kb import KbArticle
    from rcim.runbooks.model import FailureAction

TIER_NAMES = {1: "critical", 2: "high", 3: "medium", 4: "low"}


def production_env(program: Program) -> str:
    """The environment incidents are about: the one marked production, else the last one."""
    production = [env.name for env in program.config.environments if env.production]
    return production[0] if production else program.environment_names[-1]


def rollback_command(program: Program, service: str) -> str:
    return f"rcim rollback --service {service} --env {production_env(program)}"


def human_duration(value: timedelta) -> str:
    """``2d 2h``, ``45m``: how long, rounded down to the minute, for people to read."""
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        f"{days}d" if days else "",
        f"{hours}h" if hours else "",
        f"{minutes}m" if minutes else "",
    ]
    return " ".join(part for part in parts if part) or "0m"


def manual(title: str, instruction: str, question: str, level: Level = "L1") -> RunbookStep:
    return RunbookStep(0, title, instruction, level, ManualCheck(kind="manual", question=question))


def host_health_steps(
    program: Program, service: Service, level: Level, on_failure: FailureAction
) -> list[RunbookStep]:
    """One health check per production host: HTTP for simulated hosts, TCP for SSH hosts."""
    steps = []
    for host in service.hosts.get(production_env(program), ()):
        if host.connector == "local":
            url = f"http://127.0.0.1:{host.port}{service.health.path}"
            check: HttpCheck | TcpCheck = HttpCheck(
                kind="http", url=url, timeout_seconds=service.health.timeout_seconds
            )
            instruction = f"Ask {host.name} whether it is healthy."
        else:
            check = TcpCheck(kind="tcp", host=host.address, port=host.port)
            instruction = f"Check that {host.name} accepts connections on port {host.port}."
        steps.append(RunbookStep(0, f"Check {host.name}", instruction, level, check, on_failure))
    return steps


def catalog_steps(service: Service) -> list[RunbookStep]:
    """The service's own diagnostic steps from ``services/<name>.yaml``."""
    return [
        RunbookStep(0, d.title, d.instruction, d.level, d.check, d.on_failure)
        for d in service.runbook.diagnostics
    ]


def numbered(steps: list[RunbookStep]) -> tuple[RunbookStep, ...]:
    """Steps numbered from 1 in order (jumps in generated runbooks are never used)."""
    return tuple(
        RunbookStep(i, s.title, s.instruction, s.level, s.check, s.on_failure)
        for i, s in enumerate(steps, start=1)
    )


def steps_markdown(steps: tuple[RunbookStep, ...]) -> str:
    return "\n".join(_step_markdown(step) for step in steps)


def _step_markdown(step: RunbookStep) -> str:
    parts = [
        f"### {step.number}. {step.title}\n",
        f"{step.instruction.strip()}\n",
        step_block(step),
    ]
    what = describe_check(step.check) if step.check is not None else "no check; do it and go on"
    parts.append(f"*{step.level}* · check: {what} · if it fails: {_failure_text(step)}\n")
    return "\n".join(parts)


def _failure_text(step: RunbookStep) -> str:
    action = step.on_failure
    if isinstance(action, JumpTo):
        return f"go to step {action.jump}"
    if action == "escalate":
        target = next_level(step.level)
        return f"escalate to {target}" if target else "escalate (no level above L3)"
    return {"next": "go on with the next step", "stop": "stop here"}[action]


def escalation_section(program: Program, service: Service | None) -> str:
    rows = [
        [
            target.level,
            target.team_name,
            "at once" if target.after_minutes == 0 else f"after {target.after_minutes} min",
            f"{target.response_minutes} min",
            "; ".join(target.contacts),
            ", ".join(target.people),
        ]
        for target in escalation_path(program, service)
    ]
    headers = ["level", "team", "engage", "responds within", "contacts", "people"]
    return "## Escalation\n\n" + table(headers, rows)


def known_errors_section(service: Service, articles: list[KbArticle]) -> str:
    lines = ["## Known errors\n"]
    for known in service.runbook.known_errors:
        lines.append(f"- **{known.symptom}** Cause: {known.cause} Fix: {known.fix}")
    for article in articles:
        lines.append(
            f"- **{article.symptom}** Cause: {article.cause} Fix: {article.fix} "
            f"(from {article.incident}: [{article.name}](../kb/{article.name}.md))"
        )
    if len(lines) == 1:
        lines.append("None recorded yet. Post-incident reviews add them (`rcim incident review`).")
    return "\n".join(lines) + "\n"


def dependants(program: Program, service: str) -> list[str]:
    return sorted(name for name, s in program.services.items() if service in s.depends_on)
