"""The one source of "now" honours RCIM_NOW."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rcim import clock
from rcim.errors import InvalidInputError


def test_rcim_now_fixes_the_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RCIM_NOW", "2026-12-04T16:30:00+01:00")
    assert clock.now() == datetime(2026, 12, 4, 15, 30, tzinfo=UTC)


def test_naive_rcim_now_is_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RCIM_NOW", "2026-12-04T16:30:00")
    assert clock.now().utcoffset() == timedelta(0)


def test_invalid_rcim_now_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RCIM_NOW", "tomorrow")
    with pytest.raises(InvalidInputError, match="RCIM_NOW: 'tomorrow' is not an ISO 8601 time"):
        clock.now()


def test_without_rcim_now_the_clock_is_real(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RCIM_NOW", raising=False)
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)
