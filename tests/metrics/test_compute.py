"""Each metric on hand-built histories with known answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rcim.errors import InvalidInputError
from rcim.metrics import History, Scope, compare, compute_metrics, seed_summary
from rcim.metrics.compare import format_relative
from rcim.metrics.leadtime import LeadTimes
from rcim.metrics.period import Period, parse_period, period_between
from rcim.metrics.records import Deployment, Incident, LeadSample
from rcim.metrics.stats import median, percentile, relative_change

UTC_ZONE = ZoneInfo("UTC")
PRAGUE = ZoneInfo("Europe/Prague")
START = datetime(2026, 1, 5, tzinfo=UTC)
PERIOD = Period(START, START + timedelta(days=28))
SCOPE = Scope("production", ("api", "web"))


def deploy(ident: str, day: float, result: str = "succeeded", **extra: object) -> Deployment:
    at = START + timedelta(days=day)
    fields: dict[str, object] = {"service": "web", "env": "production", "change_id": None}
    fields.update(extra)
    return Deployment(
        ident,
        str(fields["service"]),
        str(fields["env"]),
        "1.0",
        "a" * 40,
        at - timedelta(minutes=10),
        at,
        result,
        fields["change_id"],  # type: ignore[arg-type]
    )


def incident(ident: str, day: float, minutes: float | None, **extra: object) -> Incident:
    opened = START + timedelta(days=day)
    resolved = None if minutes is None else opened + timedelta(minutes=minutes)
    fields: dict[str, object] = {"service": "web", "priority": "P1", "impact": True}
    fields.update(extra)
    return Incident(
        ident,
        str(fields["service"]),
        str(fields["priority"]),
        opened,
        resolved,
        bool(fields["impact"]),
        fields.get("caused_by_change"),  # type: ignore[arg-type]
        fields.get("caused_by_deployment"),  # type: ignore[arg-type]
    )


def metrics(deployments=(), incidents=(), lead=None, scope=SCOPE, period=PERIOD):
    return compute_metrics(
        History(tuple(deployments), tuple(incidents), lead), scope, period, UTC_ZONE
    )


def test_empty_history_says_no_data_everywhere() -> None:
    result = metrics()
    assert result.frequency.deployments == 0
    assert result.frequency.per_day is None
    assert result.frequency.bucket is None
    assert result.lead_time.median_hours is None
    assert result.failure_rate.rate is None
    assert result.restore.median_hours is None
    assert result.availability.downtime_minutes == 0
    assert result.availability.availability == 1.0


def test_deployment_frequency_counts_successes_in_env_and_period() -> None:
    deployments = [
        deploy("d1", 1),
        deploy("d2", 2),
        deploy("d3", 3, "rolled_back"),
        deploy("d4", 4, env="staging"),
        deploy("d5", 30),  # after the period
        deploy("d6", 0),  # exactly at the start: inside
        deploy("d7", 5, "running"),
    ]
    result = metrics(deployments)
    assert result.frequency.deployments == 3
    assert result.frequency.per_day == pytest.approx(3 / 28)
    assert result.frequency.per_week == pytest.approx(0.75)


def test_service_scope() -> None:
    deployments = [deploy("d1", 1), deploy("d2", 2, service="api")]
    scoped = metrics(deployments, scope=Scope("production", ("api", "web"), "api"))
    assert scoped.frequency.deployments == 1
    assert scoped.availability.services == 1


def test_change_failure_rate_counts_rollbacks_failures_and_causes() -> None:
    deployments = [
        deploy("ok1", 1),
        deploy("ok2", 2, change_id="CHG-2026-0002"),
        deploy("ok3", 3),
        deploy("rb", 4, "rolled_back"),
        deploy("bad", 5, "failed"),
        deploy("ok4", 6),
        deploy("ok5", 7),
        deploy("ok6", 8),
    ]
    incidents = [
        incident("i1", 3.5, 30, caused_by_deployment="ok3"),
        incident("i2", 2.5, 30, caused_by_change="CHG-2026-0002"),
        # A change-caused incident on another service does not blame web's deployment twice.
        incident("i3", 9, 30, caused_by_change="CHG-2026-0002", service="api"),
    ]
    result = metrics(deployments, incidents)
    assert (result.failure_rate.failures, result.failure_rate.deployments) == (4, 8)
    assert result.failure_rate.rate == 0.5
    assert result.failure_rate.level == "low"


def test_change_cause_blames_the_last_deployment_before_the_incident() -> None:
    deployments = [
        deploy("first", 1, change_id="CHG-2026-0009"),
        deploy("second", 2, change_id="CHG-2026-0009"),
        deploy("later", 5, change_id="CHG-2026-0009"),
    ]
    result = metrics(deployments, [incident("i", 3, 10, caused_by_change="CHG-2026-0009")])
    assert result.failure_rate.failures == 1


def test_time_to_restore_uses_p1_p2_opened_in_period() -> None:
    incidents = [
        incident("a", 1, 30),
        incident("b", 2, 90, priority="P2"),
        incident("c", 3, 600, priority="P3"),
        incident("d", 4, None),  # unresolved
        incident("e", -1, 10),  # opened before the period
        incident("f", 5, 60, impact=False),
    ]
    result = metrics(incidents=incidents)
    assert result.restore.incidents == 3
    assert result.restore.unresolved == 1
    assert result.restore.median_hours == 1.0
    assert result.restore.level == "high"


def test_downtime_merges_overlaps_and_clips_to_period() -> None:
    incidents = [
        incident("a", 1, 60),
        incident("b", 1 + 30 / 1440, 60),  # overlaps a by 30 minutes on the same service
        incident("c", 1, 60, service="api"),  # other service: adds up
        incident("d", 2, 60, impact=False),
        incident("e", -1 / 24, 120),  # opened an hour before the period: 60 minutes inside
        incident("f", 27.99, None),  # unresolved: down to the end of the period
    ]
    result = metrics(incidents=incidents)
    open_minutes = 0.01 * 1440
    assert result.availability.downtime_minutes == pytest.approx(90 + 60 + 60 + open_minutes)
    total = 28 * 1440 * 2
    assert result.availability.availability == pytest.approx(1 - (210 + open_minutes) / total)
    assert result.availability.impacting_incidents == 5


def test_lead_time_median_and_p90_in_period() -> None:
    samples = tuple(
        LeadSample(f"{i:040d}", "d", START, START + timedelta(hours=h), h)
        for i, h in enumerate((1, 2, 3, 4, 100))
    )
    outside = LeadSample("f" * 40, "d", START - timedelta(days=9), START - timedelta(days=1), 192)
    result = metrics(lead=LeadTimes((*samples, outside), 3, ("e" * 40,)))
    assert result.lead_time.commits == 5
    assert result.lead_time.median_hours == 3
    assert result.lead_time.p90_hours == pytest.approx(4 + 0.6 * 96)
    assert result.lead_time.level == "elite"
    assert result.lead_time.unknown_commits == 1


def test_compare_in_the_seed_terms() -> None:
    before = metrics(
        [deploy(f"b{i}", i, "rolled_back" if i < 2 else "succeeded") for i in range(10)],
        [incident("i", 3, 100)],
    )
    after = metrics(
        [deploy(f"a{i}", i, "rolled_back" if i < 1 else "succeeded") for i in range(11)],
        [incident("j", 3, 30)],
    )
    comparison = compare(before, after)
    by_name = {c.metric: c for c in comparison.changes}
    assert by_name["downtime"].relative == pytest.approx(-0.7)
    assert by_name["release frequency"].relative == pytest.approx(0.25)
    assert by_name["change failure rate"].relative == pytest.approx((1 / 11 - 0.2) / 0.2)
    assert by_name["lead time (median)"].relative is None
    assert seed_summary(comparison) == (
        "downtime −70%, change failure rate −55%, release frequency +25%"
    )


def test_relative_change_never_divides_by_zero() -> None:
    assert relative_change(0, 5) is None
    assert relative_change(None, 5) is None
    assert format_relative(None) == "n/a"
    assert format_relative(0.0001) == "±0%"
    assert median([]) is None
    assert percentile([7], 0.9) == 7


def test_periods_in_the_organization_time_zone() -> None:
    period = parse_period("2026-03-01..2026-03-31", PRAGUE)
    assert period.start == datetime(2026, 2, 28, 23, 0, tzinfo=UTC)
    assert period.end == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)  # DST began on March 29
    assert period.label(PRAGUE) == "2026-03-01..2026-03-31"
    exact = parse_period("2026-03-01T06:00:00+00:00..2026-03-02T06:00:00Z", PRAGUE)
    assert exact.days == 1


def test_default_period_is_ninety_days_to_now() -> None:
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    period = period_between(None, None, now=now, tz=PRAGUE)
    assert (period.start, period.end) == (now - timedelta(days=90), now)


@pytest.mark.parametrize("text", ["2026-03-01", "2026-03-01..", "03/01/2026..2026-04-01"])
def test_bad_periods_are_invalid_input(text: str) -> None:
    with pytest.raises(InvalidInputError):
        parse_period(text, PRAGUE)


def test_period_end_must_follow_start() -> None:
    with pytest.raises(InvalidInputError, match="end must be after start"):
        parse_period("2026-03-02..2026-03-01", PRAGUE)
