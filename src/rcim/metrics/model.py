"""What a metrics run reports: one frozen record per metric, ``None`` meaning "no data"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rcim.metrics.dora import Bucket, Level
    from rcim.metrics.period import Period


@dataclass(frozen=True)
class DeploymentFrequency:
    """Successful deployments; ``None`` rates when the period has no deployment at all,
    because rcim cannot tell "did not deploy" from "did not record"."""

    deployments: int
    per_day: float | None
    per_week: float | None
    bucket: Bucket | None
    level: Level | None


@dataclass(frozen=True)
class LeadTime:
    commits: int
    median_hours: float | None
    p90_hours: float | None
    level: Level | None
    unknown_commits: int


@dataclass(frozen=True)
class ChangeFailureRate:
    deployments: int
    failures: int
    rate: float | None
    level: Level | None


@dataclass(frozen=True)
class TimeToRestore:
    priorities: tuple[str, ...]
    incidents: int
    unresolved: int
    median_hours: float | None
    level: Level | None


@dataclass(frozen=True)
class Availability:
    impacting_incidents: int
    services: int
    downtime_minutes: float
    availability: float | None


@dataclass(frozen=True)
class Metrics:
    period: Period
    period_label: str
    service: str | None
    env: str
    frequency: DeploymentFrequency
    lead_time: LeadTime
    failure_rate: ChangeFailureRate
    restore: TimeToRestore
    availability: Availability


@dataclass(frozen=True)
class Change:
    """One metric in two periods; ``relative`` is (after - before) / before."""

    metric: str
    unit: str
    before: float | None
    after: float | None
    relative: float | None
    better_when: str


@dataclass(frozen=True)
class Comparison:
    before: Metrics
    after: Metrics
    changes: tuple[Change, ...]
