"""Phase-level actions on a group of hosts: probe, upload, switch, restart, stop, verify.

Each returns the hosts that failed with the reason, so the engine decides what happens next.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from rcim.deploy import operations as ops
from rcim.deploy.pyinfra_run import UnreachableHostsError, read_facts, run_phase
from rcim.deploy.verify import verify_host
from rcim.errors import CheckFailedError

if TYPE_CHECKING:
    from pyinfra.api.host import Host
    from pyinfra.api.state import State

    from rcim.deploy.model import CheckResult, HostRelease, HostState, Target
    from rcim.program.service import HealthSpec, HostCheck

VERIFY_WORKERS = 8


def probe(targets: tuple[Target, ...]) -> dict[str, tuple[HostState, str | None]]:
    """Each host's state and running release; an unreachable host stops everything (exit 1)."""
    try:
        outputs = read_facts(targets, ops.probe_command)
    except UnreachableHostsError as error:
        raise CheckFailedError(f"cannot reach host(s), nothing was changed: {error}") from None
    states: dict[str, tuple[HostState, str | None]] = {}
    for target in targets:
        try:
            states[target.name] = ops.parse_probe(outputs.get(target.name, ""))
        except ValueError:
            raise CheckFailedError(
                f"{target.name}: cannot read the host's state under {target.root} "
                f"(is {target.python} installed?)"
            ) from None
    return states


def upload(releases: tuple[HostRelease, ...]) -> dict[str, str]:
    by_name = {release.target.name: release for release in releases}

    def add(state: State, host: Host, target: Target) -> None:
        ops.add_upload(state, host, by_name[target.name])

    return run_phase(_targets(releases), add)


def switch(releases: tuple[HostRelease, ...], keep: int | None) -> dict[str, str]:
    by_name = {release.target.name: release for release in releases}

    def add(state: State, host: Host, target: Target) -> None:
        ops.add_switch(state, host, by_name[target.name], keep)

    return run_phase(_targets(releases), add)


def restart(targets: tuple[Target, ...], timeout: float) -> dict[str, str]:
    def add(state: State, host: Host, target: Target) -> None:
        ops.add_restart(state, host, target, timeout)

    return run_phase(targets, add)


def stop(targets: tuple[Target, ...]) -> dict[str, str]:
    return run_phase(targets, ops.add_stop)


def halt(targets: tuple[Target, ...]) -> dict[str, str]:
    return run_phase(targets, ops.add_halt)


def verify(
    targets: tuple[Target, ...],
    versions: dict[str, str],
    health: HealthSpec,
    checks: tuple[HostCheck, ...],
) -> dict[str, tuple[CheckResult, ...]]:
    """Verification results by host, checked in parallel."""
    if not targets:
        return {}
    with ThreadPoolExecutor(max_workers=min(VERIFY_WORKERS, len(targets))) as pool:
        futures = {
            t.name: pool.submit(verify_host, t, versions[t.name], health, checks) for t in targets
        }
        return {name: future.result() for name, future in futures.items()}


def failures(results: dict[str, tuple[CheckResult, ...]]) -> dict[str, str]:
    """The hosts with a failed check, each with the failed checks' details."""
    failed: dict[str, str] = {}
    for host, checks in results.items():
        bad = [f"{check.check}: {check.detail}" for check in checks if not check.ok]
        if bad:
            failed[host] = "verify failed: " + "; ".join(bad)
    return failed


def _targets(releases: tuple[HostRelease, ...]) -> tuple[Target, ...]:
    return tuple(release.target for release in releases)
