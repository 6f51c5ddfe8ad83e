"""Frozen records of deployment management: targets, releases, plans and outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from datetime import datetime

Connector = Literal["local", "ssh"]
ProcessManager = Literal["pidfile", "systemd"]
Phase = Literal["probe", "upload", "switch", "restart", "verify", "rollback", "stop"]
HostOutcomeKind = Literal["succeeded", "failed", "rolled_back", "rollback_failed", "untouched"]
Result = Literal["running", "succeeded", "failed", "rolled_back"]


@dataclass(frozen=True)
class SshAccess:
    """How pyinfra and testinfra reach an SSH host."""

    address: str
    user: str
    port: int
    key_file: str | None
    known_hosts_file: str


@dataclass(frozen=True)
class Target:
    """One host of one environment, as rcim deploys to it."""

    name: str
    connector: Connector
    port: int
    root: str
    address: str
    python: str
    process_manager: ProcessManager
    unit: str
    ssh: SshAccess | None = None


@dataclass(frozen=True)
class HostState:
    """What a probe found on a host: the release ``current`` points at, and the others."""

    current: str | None
    current_version: str | None
    current_previous: str | None
    releases: tuple[tuple[str, str], ...] = ()  # (release name, version), newest first
    current_digest: str | None = None

    def version_of(self, release: str) -> str | None:
        return dict(self.releases).get(release)


@dataclass(frozen=True)
class Artifact:
    """The release built once per deployment: code from git, plus what makes it unique."""

    service: str
    version: str
    commit: str
    tarball: str
    tree: str
    config: dict[str, str | int | float | bool]
    command: str

    @property
    def short_sha(self) -> str:
        return self.commit[:7]

    @property
    def base_name(self) -> str:
        return f"{self.version}-{self.short_sha}"


@dataclass(frozen=True)
class HostRelease:
    """What one host receives: the release directory name and its rendered files."""

    target: Target
    name: str
    digest: str
    previous: str | None
    install: bool
    config_json: str
    release_json: str
    tarball: str


@dataclass(frozen=True)
class HostOutcome:
    host: str
    outcome: HostOutcomeKind
    started_at: datetime
    finished_at: datetime
    detail: str
    release: str | None = None


@dataclass(frozen=True)
class CheckResult:
    """One verification check on one host."""

    host: str
    check: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class DeploymentReport:
    """What a deployment (or rollback) did, for the CLI to show and the store to keep."""

    deployment_id: str
    service: str
    env: str
    version: str
    commit: str
    strategy: str
    result: Result
    started_at: datetime
    finished_at: datetime
    hosts: tuple[HostOutcome, ...]
    reason: str = ""
    checks: tuple[CheckResult, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.result == "succeeded"


class Reporter(Protocol):
    """Receives progress as a deployment runs (the CLI draws a Rich progress per host)."""

    def host_phase(self, host: str, phase: Phase) -> None: ...

    def host_done(self, host: str, ok: bool, detail: str) -> None: ...


class SilentReporter:
    """A reporter that shows nothing (library use, benchmarks)."""

    def host_phase(self, host: str, phase: Phase) -> None:
        return None

    def host_done(self, host: str, ok: bool, detail: str) -> None:
        return None
