"""Models of ``services/<name>.yaml``: one service of the catalog each."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from rcim.program.types import Duration, Frozen, Identifier, Level

WINDOW_PLACEHOLDER = "{{window}}"
Port = Annotated[int, Field(ge=1, le=65535)]


class LocalHost(Frozen):
    """A simulated host: a root directory under ``.rcim/hosts/<env>/<name>/`` and a port."""

    connector: Literal["local"]
    name: Identifier
    port: Port


class SshHost(Frozen):
    """A real host reached by pyinfra over SSH; the service runs as a systemd unit."""

    connector: Literal["ssh"]
    name: Identifier
    address: str
    port: Port
    ssh_user: str = "deploy"
    ssh_port: Port = 22
    ssh_key_file: str | None = None


Host = Annotated[LocalHost | SshHost, Field(discriminator="connector")]
ConfigValue = str | int | float | bool


class DeploySpec(Frozen):
    source: str = Field(description="Directory in the program repository holding the release.")
    command: str = Field(description="Start command; {port} and {config} are filled in.")
    config: dict[str, ConfigValue] = Field(default_factory=dict)
    strategy: Literal["rolling", "canary"] = "rolling"
    batch: int = Field(default=1, ge=1)
    keep_releases: int = Field(default=5, ge=2)


class HealthSpec(Frozen):
    path: str = "/healthz"
    version_path: str | None = "/version"
    timeout_seconds: float = Field(default=10.0, gt=0)


class ListeningCheck(Frozen):
    kind: Literal["listening"]
    address: str = Field(description="e.g. tcp://127.0.0.1:{port}")


class FileCheck(Frozen):
    kind: Literal["file"]
    path: str
    contains: str | None = None


class ProcessCheck(Frozen):
    kind: Literal["process"]
    command: str = Field(description="Pattern the process command line must match.")


HostCheck = Annotated[ListeningCheck | FileCheck | ProcessCheck, Field(discriminator="kind")]


class EventsSli(Frozen):
    kind: Literal["events"]
    error_query: str
    total_query: str

    @model_validator(mode="after")
    def _queries_are_usable(self) -> EventsSli:
        for name in ("error_query", "total_query"):
            if WINDOW_PLACEHOLDER not in getattr(self, name):
                raise ValueError(f"{name} must contain the {WINDOW_PLACEHOLDER} placeholder")
        if self.error_query.strip() == self.total_query.strip():
            raise ValueError("error_query and total_query are identical")
        return self


class LatencySli(Frozen):
    kind: Literal["latency"]
    metric: str = Field(description="Histogram name without the _bucket suffix.")
    threshold_seconds: float = Field(gt=0)
    selector: str = ""


class RawSli(Frozen):
    kind: Literal["raw"]
    error_ratio_query: str

    @field_validator("error_ratio_query")
    @classmethod
    def _has_window(cls, value: str) -> str:
        if WINDOW_PLACEHOLDER not in value:
            raise ValueError(f"error_ratio_query must contain the {WINDOW_PLACEHOLDER} placeholder")
        return value


Sli = Annotated[EventsSli | LatencySli | RawSli, Field(discriminator="kind")]


class Slo(Frozen):
    name: Identifier
    objective: float = Field(description="Target percentage of good events, e.g. 99.9.")
    period: Literal["28d", "30d"] = "30d"
    description: str = ""
    sli: Sli

    @field_validator("objective")
    @classmethod
    def _objective_is_a_percentage(cls, value: float) -> float:
        if not 0 < value < 100:
            raise ValueError(f"objective {value} must be a percentage strictly between 0 and 100")
        return value


class EscalationStep(Frozen):
    level: Level
    team: Identifier
    after_minutes: int = Field(default=0, ge=0)


class Continuity(Frozen):
    rto: Duration
    rpo: Duration | None = None
    backup: str = Field(default="", description="How data is backed up and restored.")


class CommandCheck(Frozen):
    kind: Literal["command"]
    run: str
    expect_exit: int = 0
    expect_output: str | None = None
    timeout_seconds: float = Field(default=30.0, gt=0)


class HttpCheck(Frozen):
    kind: Literal["http"]
    url: str
    expect_status: int = 200
    expect_body: str | None = None
    timeout_seconds: float = Field(default=10.0, gt=0)


class TcpCheck(Frozen):
    kind: Literal["tcp"]
    host: str
    port: Port
    timeout_seconds: float = Field(default=5.0, gt=0)


class TestinfraCheck(Frozen):
    kind: Literal["testinfra"]
    expression: str = Field(description="Python expression over `host`, e.g. host.service('x')")


class ManualCheck(Frozen):
    kind: Literal["manual"]
    question: str


StepCheck = Annotated[
    CommandCheck | HttpCheck | TcpCheck | TestinfraCheck | ManualCheck,
    Field(discriminator="kind"),
]


class DiagnosticStep(Frozen):
    title: str
    level: Level = "L1"
    instruction: str
    check: StepCheck | None = None
    on_failure: Literal["next", "escalate", "stop"] = "next"


class KnownError(Frozen):
    symptom: str
    cause: str
    fix: str


class RunbookKnowledge(Frozen):
    known_errors: tuple[KnownError, ...] = ()
    diagnostics: tuple[DiagnosticStep, ...] = ()


class Service(Frozen):
    """The whole of one ``services/<name>.yaml``."""

    name: Identifier
    description: str
    owner: Identifier
    tier: int = Field(ge=1, le=4)
    depends_on: tuple[Identifier, ...] = ()
    hosts: dict[str, tuple[Host, ...]] = Field(default_factory=dict)
    deploy: DeploySpec | None = None
    health: HealthSpec = HealthSpec()
    checks: tuple[HostCheck, ...] = ()
    slos: tuple[Slo, ...] = ()
    escalation: tuple[EscalationStep, ...] = ()
    continuity: Continuity | None = None
    runbook: RunbookKnowledge = RunbookKnowledge()
