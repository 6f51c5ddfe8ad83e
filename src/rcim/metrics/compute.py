"""Computing the metrics of one scope (service or all, one environment) over one period.

A pure function of recorded facts: deployments, incidents and lead-time samples go in,
a ``Metrics`` record comes out. Nothing here reads the store, git or the clock.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rcim.metrics import dora
from rcim.metrics.availability import availability, downtime_minutes_by_service
from rcim.metrics.model import (
    Availability,
    ChangeFailureRate,
    DeploymentFrequency,
    LeadTime,
    Metrics,
    TimeToRestore,
)
from rcim.metrics.stats import median, percentile, ratio

if TYPE_CHECKING:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from rcim.metrics.leadtime import LeadTimes
    from rcim.metrics.period import Period
    from rcim.metrics.records import Deployment, Incident

DEFAULT_RESTORE_PRIORITIES = ("P1", "P2")


@dataclass(frozen=True)
class Scope:
    """What is measured: one service or all of ``services``, in one environment."""

    env: str
    services: tuple[str, ...]
    service: str | None = None
    restore_priorities: tuple[str, ...] = DEFAULT_RESTORE_PRIORITIES

    def covers(self, service: str) -> bool:
        return service == self.service if self.service else True

    @property
    def service_count(self) -> int:
        return 1 if self.service else len(self.services)


@dataclass(frozen=True)
class History:
    """Every recorded fact the metrics of any period are computed from."""

    deployments: tuple[Deployment, ...]
    incidents: tuple[Incident, ...]
    lead_times: LeadTimes | None


def compute_metrics(history: History, scope: Scope, period: Period, tz: ZoneInfo) -> Metrics:
    deployments = [
        d
        for d in history.deployments
        if d.env == scope.env
        and scope.covers(d.service)
        and d.finished
        and period.contains(d.finished_at)
    ]
    incidents = [i for i in history.incidents if scope.covers(i.service)]
    return Metrics(
        period=period,
        period_label=period.label(tz),
        service=scope.service,
        env=scope.env,
        frequency=deployment_frequency(deployments, period, tz),
        lead_time=lead_time(history.lead_times, period),
        failure_rate=change_failure_rate(deployments, incidents),
        restore=time_to_restore(incidents, period, scope.restore_priorities),
        availability=service_availability(incidents, period, scope.service_count),
    )


def deployment_frequency(
    deployments: list[Deployment], period: Period, tz: ZoneInfo
) -> DeploymentFrequency:
    times = [d.finished_at for d in deployments if d.succeeded and d.finished_at is not None]
    if not times:
        return DeploymentFrequency(0, None, None, None, None)
    bucket = dora.frequency_bucket(times, period, tz)
    per_day = len(times) / period.days
    level = dora.frequency_level(bucket)
    return DeploymentFrequency(len(times), per_day, per_day * 7, bucket, level)


def lead_time(lead_times: LeadTimes | None, period: Period) -> LeadTime:
    if lead_times is None:
        return LeadTime(0, None, None, None, 0)
    hours = [s.hours for s in lead_times.samples if period.contains(s.deployed_at)]
    middle = median(hours)
    return LeadTime(
        len(hours),
        middle,
        percentile(hours, 0.9),
        dora.lead_time_level(middle),
        len(lead_times.unknown_commits),
    )


def change_failure_rate(
    deployments: list[Deployment], incidents: list[Incident]
) -> ChangeFailureRate:
    """Deployments that failed, were rolled back, or caused an incident, over all finished
    deployments of the period."""
    caused = causing_deployments(deployments, incidents)
    failures = sum(1 for d in deployments if d.result != "succeeded" or d.id in caused)
    rate = ratio(failures, len(deployments))
    return ChangeFailureRate(len(deployments), failures, rate, dora.failure_rate_level(rate))


def causing_deployments(deployments: list[Deployment], incidents: list[Incident]) -> set[str]:
    """IDs of deployments named as an incident's cause, directly or through their change:
    an incident caused by a change blames that change's last deployment of the incident's
    service that finished before the incident opened."""
    caused = {i.caused_by_deployment for i in incidents if i.caused_by_deployment}
    by_change: dict[tuple[str, str], list[Deployment]] = defaultdict(list)
    for deployment in deployments:
        if deployment.change_id:
            by_change[(deployment.change_id, deployment.service)].append(deployment)
    for incident in incidents:
        if incident.caused_by_change:
            candidates = by_change.get((incident.caused_by_change, incident.service), [])
            blamed = _last_before(candidates, incident.opened_at)
            if blamed is not None:
                caused.add(blamed.id)
    return caused


def time_to_restore(
    incidents: list[Incident], period: Period, priorities: tuple[str, ...]
) -> TimeToRestore:
    """Median hours from opening to resolution of incidents opened in the period."""
    chosen = [i for i in incidents if i.priority in priorities and period.contains(i.opened_at)]
    hours = [
        (i.resolved_at - i.opened_at).total_seconds() / 3600
        for i in chosen
        if i.resolved_at is not None
    ]
    middle = median(hours)
    unresolved = len(chosen) - len(hours)
    return TimeToRestore(priorities, len(hours), unresolved, middle, dora.restore_level(middle))


def service_availability(
    incidents: list[Incident], period: Period, service_count: int
) -> Availability:
    by_service = downtime_minutes_by_service(incidents, period)
    downtime = sum(by_service.values())
    impacting = sum(1 for i in incidents if i.impact and _overlaps(i, period))
    services = max(service_count, len(by_service))
    return Availability(impacting, services, downtime, availability(downtime, services, period))


def _overlaps(incident: Incident, period: Period) -> bool:
    end = incident.resolved_at or period.end
    return incident.opened_at < period.end and end > period.start


def _last_before(deployments: list[Deployment], moment: datetime) -> Deployment | None:
    finished = [d for d in deployments if d.finished_at is not None and d.finished_at <= moment]
    return max(finished, key=lambda d: (d.finished_at, d.id), default=None)
