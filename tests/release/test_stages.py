"""Stage evidence in the store: status rules, latest-record look-ups, audit, refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select

from rcim.errors import InvalidInputError
from rcim.release.junit import JunitSummary, parse_junit
from rcim.release.stages import StageRecord, latest_stage, record_stage, stage_results_for
from rcim.store import iter_audit, open_store, verify_audit
from rcim.store.schema import StageResultRow

if TYPE_CHECKING:
    from collections.abc import Iterator

    from rcim.store import Store

DATA = Path(__file__).parent / "data" / "junit"
SHA = "3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345"
OTHER_SHA = "0123456789abcdef0123456789abcdef01234567"
T0 = datetime(2026, 12, 4, 9, tzinfo=UTC)
GREEN = JunitSummary(tests=10, failures=0, errors=0, skipped=2, duration_seconds=4.5, suites=2)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()


def record(store: Store, **overrides: object) -> StageRecord:
    arguments: dict[str, object] = {
        "name": "unit",
        "commit": SHA,
        "service": None,
        "summaries": [GREEN],
        "status": None,
        "source": "junit: reports/unit.xml",
        "at": T0,
    }
    arguments.update(overrides)
    with store.transaction() as session:
        return record_stage(session, **arguments)


def test_green_reports_pass_and_are_audited(store: Store) -> None:
    stored = record(store, actor="ci")
    assert (stored.status, stored.tests, stored.skipped, stored.duration_seconds) == (
        "passed",
        10,
        2,
        4.5,
    )
    with store.transaction() as session:
        (entry,) = list(iter_audit(session))
        assert verify_audit(session).ok
    assert (entry.action, entry.actor, entry.subject) == (
        "stage.recorded",
        "ci",
        f"stage:unit:{SHA}",
    )
    assert entry.payload["status"] == "passed"
    assert entry.payload["id"] == stored.id


@pytest.mark.parametrize(
    ("summaries", "reason"),
    [
        ([JunitSummary(0, 0, 0, 0, 0.1, 1)], "no tests executed (0 tests, 0 skipped)"),
        ([JunitSummary(3, 0, 0, 3, 0.1, 1)], "no tests executed (3 tests, 3 skipped)"),
        ([GREEN, JunitSummary(4, 1, 0, 0, 1.0, 1)], "14 tests, 1 failures, 0 errors, 2 skipped"),
        ([JunitSummary(4, 0, 1, 0, 1.0, 1)], "4 tests, 0 failures, 1 errors, 0 skipped"),
    ],
)
def test_runs_that_prove_nothing_or_fail_are_failed(
    store: Store, summaries: list[JunitSummary], reason: str
) -> None:
    stored = record(store, summaries=summaries)
    assert (stored.status, stored.reason) == ("failed", reason)


def test_parsed_reports_add_up(store: Store) -> None:
    reports = [parse_junit(p) for p in sorted((DATA / "surefire").glob("*.xml"))]
    stored = record(store, summaries=reports)
    assert (stored.tests, stored.failures, stored.status) == (7, 1, "failed")


def test_status_only_records(store: Store) -> None:
    stored = record(store, summaries=None, status="passed", source="manual sign-off")
    assert (stored.status, stored.tests, stored.source) == ("passed", 0, "status: manual sign-off")
    assert stored.reason == "status reported without test reports"


def test_latest_stage_prefers_the_newest_and_honours_services(store: Store) -> None:
    record(store, summaries=[GREEN], at=T0)
    record(
        store, summaries=None, status="failed", at=T0 + timedelta(hours=1), service="booking-web"
    )
    record(store, summaries=[GREEN], at=T0 + timedelta(hours=2), service="vpn-gateway")
    record(store, name="integration", summaries=[GREEN], at=T0 + timedelta(hours=3))
    with store.transaction() as session:
        web = latest_stage(session, name="unit", commit=SHA, service="booking-web")
        archive = latest_stage(session, name="unit", commit=SHA, service="records-archive")
        any_service = latest_stage(session, name="unit", commit=SHA, service=None)
        elsewhere = latest_stage(session, name="unit", commit=OTHER_SHA, service="booking-web")
        missing = latest_stage(session, name="acceptance", commit=SHA, service="booking-web")
    assert web is not None
    assert (web.status, web.service) == ("failed", "booking-web")
    assert archive is not None
    assert (archive.status, archive.service) == ("passed", None)
    assert any_service is not None
    assert any_service.service == "vpn-gateway"
    assert elsewhere is None
    assert missing is None


def test_same_instant_goes_to_the_record_stored_last(store: Store) -> None:
    record(store, summaries=None, status="failed")
    record(store, summaries=None, status="passed")
    with store.transaction() as session:
        latest = latest_stage(session, name="unit", commit=SHA, service="booking-web")
    assert latest is not None
    assert latest.status == "passed"


def test_stage_results_for_a_commit_oldest_first(store: Store) -> None:
    record(store, name="integration", at=T0 + timedelta(minutes=5))
    record(store, name="unit", at=T0)
    record(store, name="unit", commit=OTHER_SHA)
    with store.transaction() as session:
        results = stage_results_for(session, SHA)
    assert [r.name for r in results] == ["unit", "integration"]
    assert results[0].recorded_at == T0
    assert results[0].to_json()["recorded_at"] == "2026-12-04T09:00:00+00:00"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"commit": "3f2c9a1"}, "not a full 40-character SHA"),
        ({"commit": SHA.upper()}, "not a full 40-character SHA"),
        ({"name": "Unit Tests"}, "stage name 'Unit Tests' is not valid"),
        ({"status": "passed"}, "exactly one of"),
        ({"summaries": None}, "exactly one of"),
        ({"summaries": []}, "no JUnit reports given"),
        ({"summaries": None, "status": "green"}, "status 'green' is not one of"),
    ],
)
def test_bad_arguments_store_nothing(
    store: Store, overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        record(store, **overrides)
    with store.transaction() as session:
        assert session.execute(select(func.count()).select_from(StageResultRow)).scalar_one() == 0
        assert list(iter_audit(session)) == []
