"""Models of ``rcim.yaml``: the organization, its environments, teams and people."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from rcim.program.types import ClockTime, Frozen, Identifier, Level, Role, TimeZoneName

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class BusinessHours(Frozen):
    """When ticket-severity alerts may notify people; also used by runbooks."""

    days: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")
    start: ClockTime
    end: ClockTime


class Organization(Frozen):
    name: str
    timezone: TimeZoneName = "UTC"
    business_hours: BusinessHours | None = None
    runbook_url: str = Field(
        default="runbooks/{kind}/{name}.md",
        description="Pattern for links to runbooks; {kind} and {name} are filled in.",
    )
    dashboard_url: str | None = None


class Environment(Frozen):
    """An environment; the list order in rcim.yaml is the promotion order."""

    name: Identifier
    description: str = ""
    production: bool = False


class EmailContact(Frozen):
    kind: Literal["email"]
    to: str


class PhoneContact(Frozen):
    kind: Literal["phone"]
    number: str


class SlackContact(Frozen):
    kind: Literal["slack"]
    channel: str
    api_url_file: str


class WebhookContact(Frozen):
    kind: Literal["webhook"]
    url_file: str


class PagerDutyContact(Frozen):
    kind: Literal["pagerduty"]
    routing_key_file: str


Contact = Annotated[
    EmailContact | PhoneContact | SlackContact | WebhookContact | PagerDutyContact,
    Field(discriminator="kind"),
]


class Team(Frozen):
    id: Identifier
    name: str
    level: Level
    response_minutes: int = Field(default=30, ge=0)
    contacts: tuple[Contact, ...] = ()


class Person(Frozen):
    id: Identifier
    name: str
    email: str
    teams: tuple[Identifier, ...] = ()
    roles: tuple[Role, ...] = ()
    ssh_key: str | None = Field(
        default=None, description="Public key (OpenSSH format) that verifies signed approvals."
    )


class ProgramConfig(Frozen):
    """The whole of ``rcim.yaml``."""

    organization: Organization
    environments: tuple[Environment, ...] = Field(min_length=1)
    teams: tuple[Team, ...] = ()
    people: tuple[Person, ...] = ()
