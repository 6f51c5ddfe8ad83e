"""Alertmanager configuration from owners, escalation and business hours, plus routes tests.

Routing: every service has a route matching ``service``. Pages go to each escalation level in
turn; a level reached after N minutes gets ``group_wait: Nm``, so it is notified only if the
alert is still firing then (Alertmanager drops a first notification whose alerts all
resolved). Tickets go to the owner team, muted outside business hours. Contacts that
Alertmanager 0.25 cannot send to without an inline secret are left out and reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rcim.program.loader import Program
    from rcim.program.organization import BusinessHours, Contact, Organization, Team
    from rcim.program.service import Service

BUSINESS_HOURS = "business-hours"
DAY_NAMES = {
    "mon": "monday",
    "tue": "tuesday",
    "wed": "wednesday",
    "thu": "thursday",
    "fri": "friday",
    "sat": "saturday",
    "sun": "sunday",
}
DAY_ORDER = tuple(DAY_NAMES)
# Email needs a relay; a local MTA on the Alertmanager host is the default rcim assumes.
SMTP_SMARTHOST = "localhost:25"


@dataclass(frozen=True)
class RouteTest:
    """An ``amtool config routes test``: these labels must reach exactly these receivers."""

    name: str
    labels: tuple[tuple[str, str], ...]
    receivers: tuple[str, ...]


@dataclass(frozen=True)
class AlertmanagerPlan:
    config: dict[str, Any]
    route_tests: tuple[RouteTest, ...]
    notes: tuple[str, ...]


def receiver_name(team: str) -> str:
    return f"team-{team}"


def alertmanager_plan(program: Program) -> AlertmanagerPlan:
    org = program.config.organization
    teams = program.config.teams
    notes: list[str] = []
    receivers = [_receiver(team, notes) for team in teams]
    services = [program.services[name] for name in sorted(program.services)]
    default = default_receiver(teams)
    config: dict[str, Any] = {}
    smtp = _smtp_global(teams)
    if smtp:
        config["global"] = smtp
    config["route"] = {
        "receiver": default,
        "group_by": ["alertname", "service", "slo"],
        "group_wait": "30s",
        "group_interval": "5m",
        "repeat_interval": "4h",
        "routes": [_service_route(service, org) for service in services],
    }
    config["inhibit_rules"] = [_page_inhibits_ticket()]
    config["receivers"] = receivers
    if org.business_hours is not None:
        config["time_intervals"] = [_business_hours(org.business_hours, org.timezone)]
    tests = [test for service in services for test in _route_tests(service)]
    unrouted = RouteTest("an alert of no known service", (("alertname", "Watchdog"),), (default,))
    return AlertmanagerPlan(config, (*tests, unrouted), tuple(notes))


def default_receiver(teams: tuple[Team, ...]) -> str:
    """Alerts no service claims go to the first L1 team: the service desk triages unknowns."""
    first_line = [team for team in teams if team.level == "L1"]
    chosen = first_line[0] if first_line else teams[0] if teams else None
    return receiver_name(chosen.id) if chosen else "nobody"


def page_receivers(service: Service) -> tuple[str, ...]:
    if not service.escalation:
        return (receiver_name(service.owner),)
    return tuple(receiver_name(step.team) for step in service.escalation)


def _service_route(service: Service, org: Organization) -> dict[str, Any]:
    routes = _page_routes(service)
    ticket: dict[str, Any] = {
        "receiver": receiver_name(service.owner),
        "matchers": ['severity="ticket"'],
    }
    if org.business_hours is not None:
        ticket["active_time_intervals"] = [BUSINESS_HOURS]
    routes.append(ticket)
    return {
        "receiver": receiver_name(service.owner),
        "matchers": [f'service="{service.name}"'],
        "routes": routes,
    }


def _page_routes(service: Service) -> list[dict[str, Any]]:
    steps = service.escalation or ()
    if not steps:
        return [{"receiver": receiver_name(service.owner), "matchers": ['severity="page"']}]
    routes = []
    for index, step in enumerate(steps):
        route: dict[str, Any] = {
            "receiver": receiver_name(step.team),
            "matchers": ['severity="page"'],
        }
        if step.after_minutes:
            route["group_wait"] = f"{step.after_minutes}m"
        if index < len(steps) - 1:
            route["continue"] = True
        routes.append(route)
    return routes


def _route_tests(service: Service) -> list[RouteTest]:
    base = (("service", service.name),)
    return [
        RouteTest(
            f"{service.name}: pages escalate through every level",
            (*base, ("severity", "page")),
            page_receivers(service),
        ),
        RouteTest(
            f"{service.name}: tickets go to the owner team",
            (*base, ("severity", "ticket")),
            (receiver_name(service.owner),),
        ),
    ]


def _receiver(team: Team, notes: list[str]) -> dict[str, Any]:
    receiver: dict[str, Any] = {"name": receiver_name(team.id)}
    for contact in team.contacts:
        section, entry = _contact_config(contact)
        if section is None:
            notes.append(f"team {team.id}: {entry['skipped']}")
            continue
        receiver.setdefault(section, []).append(entry)
    return receiver


def _contact_config(contact: Contact) -> tuple[str | None, dict[str, Any]]:
    """The receiver section and entry of one contact, or (None, reason) when not routable."""
    if contact.kind == "email":
        return "email_configs", {"to": contact.to, "send_resolved": True}
    if contact.kind == "slack":
        entry = {"api_url_file": contact.api_url_file, "channel": contact.channel}
        return "slack_configs", {**entry, "send_resolved": True}
    if contact.kind == "pagerduty":
        return "pagerduty_configs", {"routing_key_file": contact.routing_key_file}
    if contact.kind == "webhook":
        reason = (
            f"webhook contact ({contact.url_file}) skipped: Alertmanager 0.25 has no "
            "webhook url_file and rcim does not inline secret URLs (url_file needs 0.26+)"
        )
        return None, {"skipped": reason}
    return None, {"skipped": f"phone contact {contact.number} skipped: phones are not routable"}


def _smtp_global(teams: tuple[Team, ...]) -> dict[str, Any]:
    """Email needs a sender; it is taken from the first team address's domain."""
    addresses = [c.to for t in teams for c in t.contacts if c.kind == "email"]
    if not addresses:
        return {}
    domain = addresses[0].rpartition("@")[2] or "localhost"
    return {
        "smtp_smarthost": SMTP_SMARTHOST,
        "smtp_from": f"alertmanager@{domain}",
        "smtp_require_tls": False,
    }


def _page_inhibits_ticket() -> dict[str, Any]:
    """A paging burn alert makes the ticket for the same SLO noise."""
    return {
        "source_matchers": ['severity="page"', 'slo=~".+"'],
        "target_matchers": ['severity="ticket"', 'slo=~".+"'],
        "equal": ["service", "slo"],
    }


def _business_hours(hours: BusinessHours, timezone: str) -> dict[str, Any]:
    return {
        "name": BUSINESS_HOURS,
        "time_intervals": [
            {
                "weekdays": _weekday_ranges(hours.days),
                "times": [
                    {
                        "start_time": hours.start.strftime("%H:%M"),
                        "end_time": hours.end.strftime("%H:%M"),
                    }
                ],
                "location": timezone,
            }
        ],
    }


def _weekday_ranges(days: tuple[str, ...]) -> list[str]:
    """``mon..fri`` -> ``["monday:friday"]``; gaps start a new range."""
    indexes = sorted({DAY_ORDER.index(day) for day in days})
    ranges: list[list[int]] = []
    for index in indexes:
        if ranges and ranges[-1][-1] == index - 1:
            ranges[-1].append(index)
        else:
            ranges.append([index])
    return [_day_range(r[0], r[-1]) for r in ranges]


def _day_range(first: int, last: int) -> str:
    start, end = DAY_NAMES[DAY_ORDER[first]], DAY_NAMES[DAY_ORDER[last]]
    return start if first == last else f"{start}:{end}"
