"""Whom to call at each escalation level: the service's escalation path and the catalog's teams."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rcim.program.loader import Program
    from rcim.program.organization import Contact, Team
    from rcim.program.service import Service
    from rcim.program.types import Level


@dataclass(frozen=True)
class EscalationTarget:
    """One level of an escalation path, with everything an operator needs to call them."""

    level: Level
    team_id: str
    team_name: str
    after_minutes: int
    response_minutes: int
    contacts: tuple[str, ...]
    people: tuple[str, ...]

    def call_line(self) -> str:
        contacts = "; ".join(self.contacts) or "no contact methods in rcim.yaml"
        people = ", ".join(self.people) or "nobody listed"
        return (
            f"{self.level} {self.team_name} (responds within {self.response_minutes} min): "
            f"{contacts}; people: {people}"
        )


def escalation_path(program: Program, service: Service | None) -> tuple[EscalationTarget, ...]:
    """The service's escalation steps in order, or one team per level when there is none."""
    teams = {team.id: team for team in program.config.teams}
    if service is not None and service.escalation:
        return tuple(
            _target(program, teams[step.team], step.level, step.after_minutes)
            for step in service.escalation
            if step.team in teams
        )
    by_level = sorted(program.config.teams, key=lambda team: (team.level, team.id))
    first: dict[str, Team] = {}
    for team in by_level:
        first.setdefault(team.level, team)
    return tuple(_target(program, team, team.level, 0) for team in first.values())


def target_for(path: tuple[EscalationTarget, ...], level: Level) -> EscalationTarget | None:
    return next((target for target in path if target.level == level), None)


def contact_text(contact: Contact) -> str:
    """A contact method as an operator uses it; secret file paths are not shown."""
    if contact.kind == "email":
        return f"email {contact.to}"
    if contact.kind == "phone":
        return f"phone {contact.number}"
    if contact.kind == "slack":
        return f"Slack {contact.channel}"
    if contact.kind == "pagerduty":
        return "PagerDuty"
    return "webhook"


def _target(program: Program, team: Team, level: Level, after: int) -> EscalationTarget:
    people = tuple(p.name for p in program.config.people if team.id in p.teams)
    return EscalationTarget(
        level=level,
        team_id=team.id,
        team_name=team.name,
        after_minutes=after,
        response_minutes=team.response_minutes,
        contacts=tuple(contact_text(contact) for contact in team.contacts),
        people=people,
    )
