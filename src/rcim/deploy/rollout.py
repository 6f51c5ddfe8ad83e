"""Putting hosts back on an earlier release: switch, restart, verify; or stop when there is none.

Used by the automatic rollback of a failed deployment and by ``rcim rollback``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.deploy import hostops
from rcim.deploy.model import HostRelease

if TYPE_CHECKING:
    from rcim.deploy.model import Reporter, Target
    from rcim.deploy.targets import Environment


def roll_back_hosts(
    targets: tuple[Target, ...],
    releases: dict[str, str | None],
    versions: dict[str, str | None],
    environment: Environment,
    reporter: Reporter,
) -> dict[str, str]:
    """Switch each target to ``releases[name]`` (None: stop it, it had no release before);
    returns the hosts that could not be restored, with the reason."""
    for target in targets:
        reporter.host_phase(target.name, "rollback")
    back = tuple(t for t in targets if releases[t.name] is not None)
    empty = tuple(t for t in targets if releases[t.name] is None)
    problems = hostops.stop(empty) if empty else {}
    problems.update(_restore(back, releases, versions, environment))
    for target in targets:
        problem = problems.get(target.name)
        reporter.host_done(target.name, problem is None, problem or f"on {releases[target.name]}")
    return problems


def _restore(
    targets: tuple[Target, ...],
    releases: dict[str, str | None],
    versions: dict[str, str | None],
    environment: Environment,
) -> dict[str, str]:
    if not targets:
        return {}
    switches = tuple(_existing(t, str(releases[t.name])) for t in targets)
    problems = hostops.switch(switches, keep=None)
    ready = tuple(t for t in targets if t.name not in problems)
    service = environment.service
    problems.update(hostops.restart(ready, service.health.timeout_seconds))
    ready = tuple(t for t in ready if t.name not in problems)
    expected = {t.name: versions[t.name] or "" for t in ready}
    results = hostops.verify(ready, expected, service.health, service.checks)
    problems.update(hostops.failures(results))
    return problems


def _existing(target: Target, name: str) -> HostRelease:
    """A release already on the host: nothing to upload, only to switch to."""
    return HostRelease(target, name, "", None, False, "", "", "")
