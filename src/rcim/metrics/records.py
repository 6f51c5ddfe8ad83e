"""The immutable facts metrics are computed from: deployments and incidents as recorded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from datetime import datetime

DeploymentResult = Literal["running", "succeeded", "failed", "rolled_back"]
FAILED_RESULTS = frozenset({"failed", "rolled_back"})
FINISHED_RESULTS = frozenset({"succeeded", "failed", "rolled_back"})


@dataclass(frozen=True, slots=True)
class Deployment:
    """One deployment of a service version to an environment."""

    id: str
    service: str
    env: str
    version: str
    commit: str
    started_at: datetime
    finished_at: datetime | None
    result: str
    change_id: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.result == "succeeded" and self.finished_at is not None

    @property
    def finished(self) -> bool:
        return self.result in FINISHED_RESULTS and self.finished_at is not None


@dataclass(frozen=True, slots=True)
class Incident:
    """An incident; ``impact`` means users saw the service down or degraded."""

    id: str
    service: str
    priority: str
    opened_at: datetime
    resolved_at: datetime | None
    impact: bool
    caused_by_change: str | None = None
    caused_by_deployment: str | None = None


class LeadSample(NamedTuple):
    """How long one commit took from its author to a successful deployment.

    A ``NamedTuple`` because a history yields one per commit (hundreds of thousands).
    """

    commit: str
    deployment_id: str
    authored_at: datetime
    deployed_at: datetime
    hours: float
