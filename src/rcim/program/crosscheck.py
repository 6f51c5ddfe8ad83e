"""Checks across program files: references resolve, names are unique, nothing is circular."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rcim.program.policy import missing_approval_levels

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from rcim.errors import Problem
    from rcim.program.loader import Program
    from rcim.program.organization import Team
    from rcim.program.service import Service
    from rcim.program.yamlsource import KeyPath

PROGRAM = "rcim.yaml"
POLICY = "release/policy.yaml"
CALENDAR = "release/calendar.yaml"


@dataclass
class _Report:
    program: Program
    problems: list[Problem] = field(default_factory=list)

    def add(self, relative: str, path: KeyPath, message: str, *, at_key: bool = False) -> None:
        display = self.program.display(relative)
        source = self.program.sources[display]
        self.problems.append(source.problem(path, message, at_key=at_key))

    def add_service(self, name: str, path: KeyPath, message: str) -> None:
        display = self.program.service_files[name]
        self.problems.append(self.program.sources[display].problem(path, message))


def cross_check(program: Program) -> list[Problem]:
    """Every problem that only shows when the files are read together."""
    report = _Report(program)
    for check in _CHECKS:
        check(report)
    return report.problems


def _unique(report: _Report, relative: str, section: str, ids: Iterable[str]) -> None:
    counts: Counter[str] = Counter()
    for index, ident in enumerate(ids):
        counts[ident] += 1
        if counts[ident] == 2:
            report.add(relative, (section, index), f"{section}[{index}]: duplicate id '{ident}'")


def _check_organization(report: _Report) -> None:
    config = report.program.config
    _unique(report, PROGRAM, "environments", (env.name for env in config.environments))
    _unique(report, PROGRAM, "teams", (team.id for team in config.teams))
    _unique(report, PROGRAM, "people", (person.id for person in config.people))
    teams = {team.id for team in config.teams}
    for index, person in enumerate(config.people):
        for position, team in enumerate(person.teams):
            if team not in teams:
                path = ("people", index, "teams", position)
                report.add(PROGRAM, path, f"people[{index}].teams: unknown team '{team}'")


def _check_service_references(report: _Report) -> None:
    program = report.program
    teams = {team.id: team for team in program.config.teams}
    environments = set(program.environment_names)
    for name, service in program.services.items():
        if service.owner not in teams:
            report.add_service(name, ("owner",), f"owner: unknown team '{service.owner}'")
        for dep_index, dependency in enumerate(service.depends_on):
            if dependency not in program.services:
                path = ("depends_on", dep_index)
                report.add_service(name, path, f"depends_on: unknown service '{dependency}'")
        for env in service.hosts:
            if env not in environments:
                report.add_service(name, ("hosts", env), f"hosts: unknown environment '{env}'")
        _check_escalation(report, name, service, teams)
        _check_unique_in_service(report, name, service)


def _check_escalation(report: _Report, name: str, service: Service, teams: dict[str, Team]) -> None:
    for index, step in enumerate(service.escalation):
        team = teams.get(step.team)
        path: KeyPath = ("escalation", index, "team")
        if team is None:
            report.add_service(name, path, f"escalation[{index}]: unknown team '{step.team}'")
        elif not team.contacts:
            message = f"escalation[{index}]: {step.level} team '{step.team}' has no contacts"
            report.add_service(name, path, message)


def _check_unique_in_service(report: _Report, name: str, service: Service) -> None:
    seen: set[str] = set()
    for index, slo in enumerate(service.slos):
        if slo.name in seen:
            report.add_service(name, ("slos", index, "name"), f"slos: duplicate SLO '{slo.name}'")
        seen.add(slo.name)
    for env, hosts in service.hosts.items():
        names: set[str] = set()
        for index, host in enumerate(hosts):
            if host.name in names:
                path = ("hosts", env, index, "name")
                report.add_service(name, path, f"hosts.{env}: duplicate host '{host.name}'")
            names.add(host.name)


def _check_local_ports(report: _Report) -> None:
    """Two local hosts on one machine cannot listen on the same port."""
    owners: dict[int, str] = {}
    for name, service in sorted(report.program.services.items()):
        for env, hosts in service.hosts.items():
            for index, host in enumerate(hosts):
                if host.connector != "local":
                    continue
                where = f"{name}/{env}/{host.name}"
                if host.port in owners:
                    taken = owners[host.port]
                    message = f"hosts.{env}[{index}].port: {host.port} already used by {taken}"
                    report.add_service(name, ("hosts", env, index, "port"), message)
                else:
                    owners[host.port] = where


def _check_dependency_cycles(report: _Report) -> None:
    services = report.program.services
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "active"
        for index, dep in enumerate(services[name].depends_on):
            if dep not in services:
                continue
            if state.get(dep) == "active":
                cycle = " -> ".join([*trail[trail.index(dep) :], name, dep])
                report.add_service(name, ("depends_on", index), f"depends_on: cycle {cycle}")
            elif dep not in state:
                visit(dep, [*trail, name])
        state[name] = "done"

    for name in sorted(services):
        if name not in state:
            visit(name, [])


def _check_policy(report: _Report) -> None:
    policy = report.program.policy
    if policy is None:
        return
    order = report.program.environment_names
    for env, env_policy in policy.environments.items():
        if env not in order:
            report.add(
                POLICY,
                ("environments", env),
                f"environments: unknown environment '{env}'",
                at_key=True,
            )
            continue
        source = env_policy.promotion_from
        if source is not None and (source not in order or order.index(source) >= order.index(env)):
            message = (
                f"environments.{env}.promotion_from: '{source}' is not an environment "
                f"before '{env}'"
            )
            report.add(POLICY, ("environments", env, "promotion_from"), message)
        for change_type, level in missing_approval_levels(env_policy):
            message = (
                f"environments.{env}.approvals: no rule for {change_type} changes at {level} risk"
            )
            report.add(POLICY, ("environments", env, "approvals"), message)
        _check_approvers_exist(report, env, env_policy.approvals)
    for env in order:
        if env not in policy.environments:
            report.add(
                POLICY, ("environments",), f"environments: no policy for environment '{env}'"
            )
    _check_standard_changes(report)


def _check_approvers_exist(report: _Report, env: str, approvals: object) -> None:
    assert isinstance(approvals, dict)
    people = report.program.config.people
    for change_type, levels in approvals.items():
        for level, requirement in levels.items():
            holders = [p for p in people if set(p.roles) & set(requirement.roles)]
            if len(holders) < requirement.count:
                roles = ", ".join(requirement.roles)
                path = ("environments", env, "approvals", change_type, level, "count")
                message = (
                    f"environments.{env}.approvals.{change_type}.{level}: needs "
                    f"{requirement.count} approvers holding {roles} but only {len(holders)} do"
                )
                report.add(POLICY, path, message)


def _check_standard_changes(report: _Report) -> None:
    policy = report.program.policy
    assert policy is not None
    _unique(report, POLICY, "standard_changes", (t.id for t in policy.standard_changes))
    for index, template in enumerate(policy.standard_changes):
        for position, service in enumerate(template.services):
            if service not in report.program.services:
                path = ("standard_changes", index, "services", position)
                report.add(POLICY, path, f"standard_changes[{index}]: unknown service '{service}'")


def _check_calendar(report: _Report) -> None:
    calendar = report.program.calendar
    if calendar is None:
        return
    environments = set(report.program.environment_names)
    for section, windows in (("freezes", calendar.freezes), ("maintenance", calendar.maintenance)):
        for index, window in enumerate(windows):
            path: KeyPath
            for position, env in enumerate(window.environments):
                if env not in environments:
                    path = (section, index, "environments", position)
                    report.add(CALENDAR, path, f"{section}[{index}]: unknown environment '{env}'")
            for position, service in enumerate(window.services):
                if service not in report.program.services:
                    path = (section, index, "services", position)
                    report.add(CALENDAR, path, f"{section}[{index}]: unknown service '{service}'")
            if window.ical and not (report.program.root / window.ical).is_file():
                path = (section, index, "ical")
                report.add(
                    CALENDAR, path, f"{section}[{index}].ical: file '{window.ical}' not found"
                )


_CHECKS: tuple[Callable[[_Report], None], ...] = (
    _check_organization,
    _check_service_references,
    _check_local_ports,
    _check_dependency_cycles,
    _check_policy,
    _check_calendar,
)
