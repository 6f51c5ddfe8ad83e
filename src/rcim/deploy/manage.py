"""``rcim rollback``, ``rcim verify`` and ``rcim status`` over the hosts of an environment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rcim.deploy import hostops
from rcim.deploy.lock import acquire_lock, read_lock, release_lock
from rcim.deploy.model import CheckResult, HostOutcome
from rcim.deploy.records import audit_event, last_deployment, mark_rolled_back, write_metrics_file
from rcim.deploy.rollout import roll_back_hosts
from rcim.deploy.targets import resolve_environment
from rcim.errors import CheckFailedError, NotFoundError

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from rcim.deploy.model import HostState, Reporter, Target
    from rcim.program.loader import Program
    from rcim.store import Store


@dataclass(frozen=True)
class RollbackReport:
    service: str
    env: str
    to_versions: dict[str, str]
    hosts: tuple[HostOutcome, ...]
    marked_deployment: str | None
    ok: bool


@dataclass(frozen=True)
class HostStatus:
    host: str
    release: str | None
    version: str | None
    running: bool
    detail: str = ""


@dataclass(frozen=True)
class EnvironmentStatus:
    service: str
    env: str
    hosts: tuple[HostStatus, ...]
    last_deployment: dict[str, str | None] | None
    lock_holder: str | None


def rollback(
    program: Program,
    service: str,
    env: str,
    to: str | None,
    *,
    store: Store,
    clock: Callable[[], datetime],
    reporter: Reporter,
    actor: str,
    wait_seconds: float = 0.0,
) -> RollbackReport:
    """Return every host to its previous release, or to release/version ``to``; verified."""
    environment = resolve_environment(program, service, env)
    lock = acquire_lock(store, service, env, actor=actor, clock=clock, wait_seconds=wait_seconds)
    try:
        states = hostops.probe(environment.targets)
        wanted = {t.name: _rollback_target(t, states[t.name][0], to) for t in environment.targets}
        moving = tuple(
            t for t in environment.targets if states[t.name][0].current != wanted[t.name]
        )
        versions = {t.name: states[t.name][0].version_of(wanted[t.name]) for t in moving}
        started = clock()
        problems = roll_back_hosts(moving, dict(wanted), versions, environment, reporter)
        finished = clock()
        outcomes = tuple(
            HostOutcome(
                t.name,
                "rollback_failed" if t.name in problems else "rolled_back",
                started,
                finished,
                problems.get(t.name, f"now on {wanted[t.name]}"),
                wanted[t.name],
            )
            for t in moving
        )
        from_versions = {states[t.name][0].current_version for t in moving} - {None}
        marked = _record_rollback(
            store, service, env, from_versions, wanted, problems, actor, clock
        )
        write_metrics_file(store, environment.program_root)
    finally:
        release_lock(store, lock)
    to_versions = {
        name: states[name][0].version_of(release) or release for name, release in wanted.items()
    }
    return RollbackReport(service, env, to_versions, outcomes, marked, not problems)


def _rollback_target(target: Target, state: HostState, to: str | None) -> str:
    names = [name for name, _ in state.releases]
    if to is None:
        previous = state.current_previous
        if previous is None or previous not in names:
            raise NotFoundError(
                f"{target.name}: no previous release to roll back to "
                f"(current: {state.current or 'none'}); name one with --to"
            )
        return previous
    for name, version in state.releases:
        if to in (name, version):
            return name
    available = ", ".join(f"{v} ({n})" for n, v in state.releases) or "none"
    raise NotFoundError(f"--to: release '{to}' is not on host {target.name} (has: {available})")


def _record_rollback(
    store: Store,
    service: str,
    env: str,
    from_versions: set[str | None],
    wanted: dict[str, str],
    problems: dict[str, str],
    actor: str,
    clock: Callable[[], datetime],
) -> str | None:
    now = clock()
    marked: str | None = None
    if not problems:
        with store.transaction() as session:
            for version in sorted(v for v in from_versions if v):
                marked = mark_rolled_back(session, service, env, version, actor=actor, at=now)
    audit_event(
        store,
        actor=actor,
        action="deploy.rollback",
        subject=f"{service}/{env}",
        payload={"to": wanted, "problems": problems, "marked_deployment": marked},
        at=now,
    )
    return marked


def verify_environment(program: Program, service: str, env: str) -> tuple[CheckResult, ...]:
    """Health, version and testinfra checks of the current release on every host."""
    environment = resolve_environment(program, service, env)
    states = hostops.probe(environment.targets)
    results: list[CheckResult] = []
    present = []
    for target in environment.targets:
        state = states[target.name][0]
        if state.current is None:
            results.append(CheckResult(target.name, "release", False, "no release deployed"))
        else:
            present.append(target)
    versions = {t.name: states[t.name][0].current_version or "" for t in present}
    checked = hostops.verify(
        tuple(present), versions, environment.service.health, environment.service.checks
    )
    for target in present:
        results.extend(checked[target.name])
    return tuple(results)


def environment_status(
    program: Program, service: str, env: str, *, store: Store
) -> EnvironmentStatus:
    """Version per host, the last deployment and the lock holder of one environment."""
    environment = resolve_environment(program, service, env)
    try:
        states = hostops.probe(environment.targets)
        hosts = tuple(_host_status(t.name, *states[t.name]) for t in environment.targets)
    except CheckFailedError as error:
        hosts = tuple(
            HostStatus(t.name, None, None, False, error.message) for t in environment.targets
        )
    with store.transaction() as session:
        row = last_deployment(session, service, env)
        lock = read_lock(session, service, env)
    last = None
    if row is not None:
        last = {
            "id": row.id,
            "version": row.version,
            "result": row.result,
            "finished_at": row.finished_at.isoformat() if row.finished_at else None,
        }
    return EnvironmentStatus(service, env, hosts, last, lock.describe() if lock else None)


def _host_status(name: str, state: HostState, running: str | None) -> HostStatus:
    return HostStatus(
        name, state.current, state.current_version, running == state.current and running is not None
    )


def deployable_pairs(program: Program, service: str | None) -> list[tuple[str, str]]:
    """(service, env) pairs ``rcim status`` reports: services with a deploy section and hosts."""
    if service is not None and service not in program.services:
        known = ", ".join(sorted(program.services))
        raise NotFoundError(f"--service: unknown service '{service}' (known: {known})")
    names = [service] if service else sorted(program.services)
    return [
        (name, env)
        for name in names
        if program.services[name].deploy is not None
        for env in program.environment_names
        if program.services[name].hosts.get(env)
    ]


def require_all_passed(results: tuple[CheckResult, ...]) -> None:
    failed = [r for r in results if not r.ok]
    if failed:
        raise CheckFailedError(f"{len(failed)} check(s) failed")


def halt_environment(program: Program, service: str, env: str) -> dict[str, str]:
    """Stop the service on every host of an environment, keeping each host's release.

    Returns the failures by host (empty when every host stopped).
    """
    return hostops.halt(resolve_environment(program, service, env).targets)
