"""The documented line formats of history files (see docs/metrics.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from rcim.imports.lines import AwareDateTime, ChangeId, CommitSha
from rcim.program.types import Identifier

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"


class _Line(BaseModel):
    """Strict and closed like the program models: a misspelt field is an error, not ignored."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class DeploymentLine(_Line):
    """One deployment in ``rcim import deployments`` input."""

    id: str | None = Field(default=None, pattern=ID_PATTERN)
    service: Identifier
    env: Identifier
    version: str = Field(min_length=1, max_length=200)
    commit: CommitSha
    started_at: AwareDateTime
    finished_at: AwareDateTime
    result: Literal["succeeded", "failed", "rolled_back"]
    change: ChangeId | None = None
    strategy: str = Field(default="imported", min_length=1, max_length=32)
    hosts: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _finished_after_start(self) -> DeploymentLine:
        if self.finished_at < self.started_at:
            raise ValueError("finished_at is before started_at")
        return self


class IncidentLine(_Line):
    """One incident in ``rcim import incidents`` input."""

    id: str = Field(pattern=ID_PATTERN)
    service: Identifier
    priority: Literal["P1", "P2", "P3", "P4"]
    title: str = Field(default="", max_length=2000)
    opened_at: AwareDateTime
    acknowledged_at: AwareDateTime | None = None
    mitigated_at: AwareDateTime | None = None
    resolved_at: AwareDateTime | None = None
    impact: bool = False
    caused_by: str | None = Field(default=None, pattern=ID_PATTERN)

    @model_validator(mode="after")
    def _milestones_in_order(self) -> IncidentLine:
        for name in ("acknowledged_at", "mitigated_at", "resolved_at"):
            moment = getattr(self, name)
            if moment is not None and moment < self.opened_at:
                raise ValueError(f"{name} is before opened_at")
        return self
