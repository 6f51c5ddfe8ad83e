"""The release runbook: the release process phase by phase, with roles, RACI, the approval
rules of the policy and the freeze calendar (thesis 4.4: a structured release process with
roles and responsibilities, stakeholders and a schedule for each phase)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from rcim.runbooks.markdown import front_matter, table
from rcim.runbooks.model import RunbookStep
from rcim.runbooks.sections import manual, numbered, steps_markdown

if TYPE_CHECKING:
    from rcim.program.calendar import Window
    from rcim.program.loader import Program
    from rcim.program.policy import EnvironmentPolicy

ROLES = (
    "release-manager",
    "change-manager",
    "cab",
    "ecab",
    "developer",
    "service-owner",
    "on-call",
    "incident-manager",
)
# Who is Responsible, Accountable, Consulted, Informed in each phase; deploy and verify rows
# apply to every environment.
RACI: dict[str, dict[str, str]] = {
    "plan": {"developer": "R", "release-manager": "A", "change-manager": "C", "service-owner": "C"},
    "build": {"developer": "R", "release-manager": "A"},
    "test": {"developer": "R", "release-manager": "A", "service-owner": "C"},
    "approve": {"cab": "R", "change-manager": "A", "ecab": "R (emergency)", "developer": "I"},
    "deploy": {"developer": "R", "release-manager": "A", "on-call": "I", "service-owner": "I"},
    "verify": {"developer": "R", "release-manager": "A", "on-call": "C", "service-owner": "I"},
    "review": {
        "release-manager": "R",
        "change-manager": "A",
        "cab": "C",
        "incident-manager": "C",
        "service-owner": "I",
    },
}


def release_runbook(program: Program) -> str:
    front = front_matter(
        {
            "id": "release/release",
            "kind": "release",
            "title": f"Release process of {program.config.organization.name}",
            "generated": True,
        }
    )
    phases = _phases(program)
    parts = [
        front,
        f"# Release process of {program.config.organization.name}\n",
        "Every release walks these phases in order; `rcim gate check` enforces the rules at "
        "each deployment. A step that fails stops the release until it is fixed.\n",
        "## Phases\n\n" + steps_markdown(numbered([step for _, step in phases])),
        _roles(program),
        _raci([key for key, _ in phases]),
        _approvals(program),
        _calendar(program),
    ]
    return "\n".join(parts)


def _phases(program: Program) -> list[tuple[str, RunbookStep]]:
    phases = [
        (
            "plan",
            manual(
                "Plan",
                "Write the change record: `rcim change new --service S --type normal --title T`, "
                "with implementation, backout and test plans and a window outside freezes.",
                "Does a change record cover every commit of the release?",
            ),
        ),
        (
            "build",
            manual(
                "Build",
                "CI builds the release from the commit named in the change record.",
                "Did the build succeed for that exact commit?",
            ),
        ),
        (
            "test",
            manual(
                "Test",
                "Record every required stage: `rcim stage record NAME --commit SHA --junit FILE`.",
                "Are all required test stages recorded as passed?",
            ),
        ),
        (
            "approve",
            manual(
                "Approve",
                "Submit the change (`rcim change submit ID`); approvers sign off with "
                "`rcim change approve ID --as PERSON` (rules below).",
                "Does the change have every approval its type and risk need?",
            ),
        ),
    ]
    for env in program.environment_names:
        phases.append(
            (
                "deploy",
                manual(
                    f"Deploy to {env}",
                    f"`rcim gate check --service S --env {env}` must allow, then "
                    f"`rcim deploy --service S --env {env} --version V`.",
                    f"Did the gate allow and the deployment to {env} succeed?",
                ),
            )
        )
        phases.append(
            (
                "verify",
                manual(
                    f"Verify {env}",
                    f"`rcim verify --service S --env {env}`; if it fails, "
                    f"`rcim rollback --service S --env {env}`.",
                    f"Is the service healthy in {env} on the new version?",
                ),
            )
        )
    phases.append(
        (
            "review",
            RunbookStep(
                0,
                "Review",
                "Close the change (`rcim change complete ID`, `rcim change close ID`) and look "
                "at the effect on the measures: `rcim metrics --compare`.",
            ),
        )
    )
    return [(key, _stopping(step)) for key, step in phases]


def _stopping(step: RunbookStep) -> RunbookStep:
    on_failure = "stop" if step.check is not None else step.on_failure
    return replace(step, on_failure=on_failure)


def _roles(program: Program) -> str:
    rows = []
    for role in ROLES:
        people = [p.name for p in program.config.people if role in p.roles]
        rows.append([role, ", ".join(people) or "nobody yet"])
    return "## Roles\n\n" + table(["role", "people"], rows)


def _raci(keys: list[str]) -> str:
    seen = list(dict.fromkeys(keys))
    rows = [[key, *(RACI[key].get(role, "") for role in ROLES)] for key in seen]
    legend = "R responsible, A accountable, C consulted, I informed.\n"
    return "## RACI\n\n" + legend + "\n" + table(["phase", *ROLES], rows)


def _approvals(program: Program) -> str:
    if program.policy is None:
        return "## Approvals\n\nNo release/policy.yaml: nothing is gated.\n"
    parts = ["## Approvals and evidence\n"]
    for env, policy in program.policy.environments.items():
        parts.append(f"### {env}\n")
        parts.append(_env_policy(policy))
    return "\n".join(parts)


def _env_policy(policy: EnvironmentPolicy) -> str:
    stages = ", ".join(policy.required_stages) or "none"
    lines = [f"Required test stages: {stages}."]
    if policy.promotion_from:
        lines.append(f"Only releases that reached {policy.promotion_from} first.")
    rows = [
        [change_type, level, f"{req.count} of {', '.join(req.roles) or '-'}"]
        for change_type, levels in policy.approvals.items()
        for level, req in levels.items()
    ]
    return " ".join(lines) + "\n\n" + table(["change type", "risk", "approvals"], rows)


def _calendar(program: Program) -> str:
    calendar = program.calendar
    if calendar is None:
        return "## Freeze calendar\n\nNo release/calendar.yaml: no freezes.\n"
    headers = ["window", "when", "time zone", "environments", "services"]
    freezes = [_window_row(w, calendar.timezone) for w in calendar.freezes]
    maintenance = [_window_row(w, calendar.timezone) for w in calendar.maintenance]
    return (
        "## Freeze calendar\n\nNo deployment to the listed environments during a freeze "
        "(emergency changes excepted, with ECAB approval).\n\n"
        + table(headers, freezes)
        + "\n### Maintenance windows\n\n"
        + table(headers, maintenance)
    )


def _window_row(window: Window, default_zone: str | None) -> list[str]:
    if window.weekly is not None:
        when = f"every week {window.weekly.start} to {window.weekly.end}"
    elif window.ical is not None:
        when = f"the events of {window.ical}"
    else:
        assert window.start is not None
        assert window.end is not None
        when = f"{window.start.isoformat()} to {window.end.isoformat()}"
    zone = window.timezone or default_zone or "UTC"
    envs = ", ".join(window.environments) or "all"
    return [window.name, when, zone, envs, ", ".join(window.services) or "all"]
