"""``rcim deploy``: gate, lock, plan, roll out in batches, verify, and undo on any failure.

Plan, then act: the release each host gets is computed from a probe of every host before
anything changes. Acting goes batch by batch (canary first when asked); within a batch every
phase runs on all of its hosts at once. The first failure stops the rollout, and every host
already changed is switched back to the release it ran before, restarted and verified.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rcim.deploy import failpoints, hostops
from rcim.deploy.artifact import (
    build_artifact,
    check_version,
    host_release,
    resolve_commit,
)
from rcim.deploy.gatehook import evaluate_deploy_gate
from rcim.deploy.lock import acquire_lock, release_lock
from rcim.deploy.model import DeploymentReport, HostOutcome, Reporter
from rcim.deploy.records import (
    audit_event,
    finish_deployment,
    new_deployment,
    write_metrics_file,
)
from rcim.deploy.rollout import roll_back_hosts
from rcim.deploy.strategy import plan_batches
from rcim.deploy.targets import resolve_environment
from rcim.errors import CheckFailedError

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from rcim.deploy.artifact import ConfigValue
    from rcim.deploy.model import (
        CheckResult,
        HostOutcomeKind,
        HostRelease,
        HostState,
        Phase,
        Result,
        Target,
    )
    from rcim.deploy.targets import Environment
    from rcim.program.loader import Program
    from rcim.store import Store


@dataclass(frozen=True)
class DeployRequest:
    """What the user asked for; ``None`` falls back to the service's ``deploy:`` settings."""

    service: str
    env: str
    version: str
    actor: str
    commit: str | None = None
    strategy: str | None = None
    batch: int | None = None
    overrides: dict[str, ConfigValue] = field(default_factory=dict)
    change_id: str | None = None
    skip_gate_reason: str | None = None
    wait_seconds: float = 0.0


class GateDeniedError(CheckFailedError):
    """The release gate did not allow this deployment (exit 1)."""


def deploy(
    request: DeployRequest,
    *,
    program: Program,
    store: Store,
    clock: Callable[[], datetime],
    reporter: Reporter,
) -> DeploymentReport:
    """Deploy ``request.version`` to every host of the environment, or roll back trying."""
    environment = resolve_environment(program, request.service, request.env)
    version = check_version(request.version)
    strategy = request.strategy or environment.spec.strategy
    batches = plan_batches(environment.targets, strategy, request.batch or environment.spec.batch)
    commit = resolve_commit(environment.program_root, request.commit)
    artifact = build_artifact(environment, version, commit, request.overrides)
    change_id = _pass_gate(request, program, store, commit, clock)
    lock = acquire_lock(
        store,
        request.service,
        request.env,
        actor=request.actor,
        clock=clock,
        wait_seconds=request.wait_seconds,
    )
    try:
        states = hostops.probe(environment.targets)
        releases = {
            t.name: host_release(artifact, t, request.env, states[t.name][0])
            for t in environment.targets
        }
        started = clock()
        deployment_id = new_deployment(
            store,
            service=request.service,
            env=request.env,
            version=version,
            commit=commit,
            change_id=change_id,
            strategy=strategy,
            started_at=started,
            actor=request.actor,
        )
        rollout = _Rollout(environment, version, releases, states, clock, reporter)
        reason = rollout.run(batches)
        report = rollout.report(deployment_id, commit, strategy, started, reason)
        finish_deployment(store, report, actor=request.actor)
        write_metrics_file(store, environment.program_root)
    finally:
        release_lock(store, lock)
    return report


def _pass_gate(
    request: DeployRequest,
    program: Program,
    store: Store,
    commit: str,
    clock: Callable[[], datetime],
) -> str | None:
    """Run the gate hook (or record its bypass); returns the change the gate approved."""
    now = clock()
    subject = f"{request.service}/{request.env}@{commit[:12]}"
    if request.skip_gate_reason is not None:
        audit_event(
            store,
            actor=request.actor,
            action="deploy.gate.skipped",
            subject=subject,
            payload={"version": request.version, "reason": request.skip_gate_reason},
            at=now,
        )
        return request.change_id
    verdict = evaluate_deploy_gate(
        program,
        request.service,
        request.env,
        commit,
        store=store,
        now=now,
        change_id=request.change_id,
        actor=request.actor,
    )
    if not verdict.allowed:
        audit_event(
            store,
            actor=request.actor,
            action="deploy.gate.denied",
            subject=subject,
            payload={"version": request.version, "reasons": list(verdict.reasons)},
            at=now,
        )
        raise GateDeniedError("deploy refused by the release gate: " + "; ".join(verdict.reasons))
    return request.change_id or verdict.change_id


@dataclass
class _Rollout:
    """The mutable bookkeeping of one rollout; everything it records ends up in the report."""

    environment: Environment
    version: str
    releases: dict[str, HostRelease]
    states: dict[str, tuple[HostState, str | None]]
    clock: Callable[[], datetime]
    reporter: Reporter
    outcomes: dict[str, HostOutcome] = field(default_factory=dict)
    checks: list[CheckResult] = field(default_factory=list)
    changed: list[Target] = field(default_factory=list)

    def run(self, batches: tuple[tuple[Target, ...], ...]) -> str:
        """Roll out batch by batch; returns the reason the rollout stopped ('' on success)."""
        for number, batch in enumerate(batches, start=1):
            failed = self._run_batch(number, batch)
            if failed:
                reason = "; ".join(f"{host}: {why}" for host, why in sorted(failed.items()))
                self._roll_back(reason)
                return reason
        return ""

    def _run_batch(self, number: int, batch: tuple[Target, ...]) -> dict[str, str]:
        started = self.clock()
        releases = tuple(self.releases[t.name] for t in batch)
        failed = self._phase(batch, "upload", lambda: hostops.upload(releases))
        failpoints.hit("after-upload", number)
        if failed:
            return self._fail(batch, failed, started)
        self.changed.extend(batch)
        keep = self.environment.spec.keep_releases
        failed = self._phase(batch, "switch", lambda: hostops.switch(releases, keep))
        failpoints.hit("after-switch", number)
        if not failed:
            failed = self._phase(batch, "restart", lambda: self._restart(batch))
            failpoints.hit("after-restart", number)
        if not failed:
            failed = self._phase(batch, "verify", lambda: self._verify(batch))
            failpoints.hit("after-verify", number)
        if failed:
            return self._fail(batch, failed, started)
        for target in batch:
            self._record(target, "succeeded", started, "deployed and verified")
            self.reporter.host_done(target.name, True, self.releases[target.name].name)
        return {}

    def _phase(
        self, batch: tuple[Target, ...], phase: Phase, action: Callable[[], dict[str, str]]
    ) -> dict[str, str]:
        for target in batch:
            self.reporter.host_phase(target.name, phase)
        return action()

    def _restart(self, batch: tuple[Target, ...]) -> dict[str, str]:
        """Restart hosts whose service does not already run the release being deployed."""
        stale = tuple(t for t in batch if self.states[t.name][1] != self.releases[t.name].name)
        return hostops.restart(stale, self.environment.service.health.timeout_seconds)

    def _verify(self, batch: tuple[Target, ...]) -> dict[str, str]:
        service = self.environment.service
        results = hostops.verify(
            batch, {t.name: self.version for t in batch}, service.health, service.checks
        )
        for checks in results.values():
            self.checks.extend(checks)
        return hostops.failures(results)

    def _fail(
        self, batch: tuple[Target, ...], failed: dict[str, str], started: datetime
    ) -> dict[str, str]:
        for target in batch:
            detail = failed.get(target.name, "stopped: another host of its batch failed")
            self._record(target, "failed", started, detail)
            self.reporter.host_done(target.name, False, detail)
        return failed

    def _roll_back(self, reason: str) -> None:
        """Return every changed host to the release it ran before this deployment."""
        if not self.changed:
            return
        previous = {t.name: self.releases[t.name].previous for t in self.changed}
        versions = {
            name: self.states[name][0].version_of(release) if release else None
            for name, release in previous.items()
        }
        started = self.clock()
        results = roll_back_hosts(
            tuple(self.changed), previous, versions, self.environment, self.reporter
        )
        for target in self.changed:
            problem = results.get(target.name)
            kind: HostOutcomeKind = "rollback_failed" if problem else "rolled_back"
            was = self.outcomes[target.name].detail
            detail = f"{was}; rollback failed: {problem}" if problem else f"{was}; rolled back"
            self._record(target, kind, started, detail, previous[target.name])

    def _record(
        self,
        target: Target,
        kind: HostOutcomeKind,
        started: datetime,
        detail: str,
        release: str | None = None,
    ) -> None:
        earlier = self.outcomes.get(target.name)
        begun = earlier.started_at if earlier else started
        name = (
            release
            if kind in ("rolled_back", "rollback_failed")
            else self.releases[target.name].name
        )
        self.outcomes[target.name] = HostOutcome(
            target.name, kind, begun, self.clock(), detail, name
        )

    def report(
        self, deployment_id: str, commit: str, strategy: str, started: datetime, reason: str
    ) -> DeploymentReport:
        now = self.clock()
        hosts = tuple(
            self.outcomes.get(t.name)
            or HostOutcome(t.name, "untouched", now, now, "not reached: the rollout stopped")
            for t in self.environment.targets
        )
        kinds = {outcome.outcome for outcome in hosts}
        result: Result
        if not reason:
            result = "succeeded"
        elif self.changed and "rollback_failed" not in kinds:
            result = "rolled_back"
        else:
            result = "failed"
        return DeploymentReport(
            deployment_id,
            self.environment.service.name,
            self.environment.env,
            self.version,
            commit,
            strategy,
            result,
            started,
            now,
            hosts,
            reason,
            tuple(self.checks),
        )
