"""Freeze windows through the gate: one-off, weekly across a DST change, iCal; allowed just
outside each."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from release.conftest import gate, reasons, statuses

if TYPE_CHECKING:
    from release.conftest import Program

pytestmark = pytest.mark.slow

# (instant, frozen?, a window name expected when frozen)
EDGES = [
    # Weekend freeze, Friday 16:00 Prague, the weekend summer time ends (CEST, +02:00).
    ("2026-10-23T13:59:59Z", False, None),
    ("2026-10-23T14:00:00Z", True, "Weekend freeze"),
    # ... until Monday 08:00 Prague, by then on winter time (CET, +01:00).
    ("2026-10-26T06:59:59Z", True, "Weekend freeze"),
    ("2026-10-26T07:00:00Z", False, None),
    # One-off year-end peak season, on a Wednesday.
    ("2026-12-23T10:00:00+01:00", True, "Year-end peak season"),
    ("2027-01-04T07:59:59+01:00", True, "Year-end peak season"),
    ("2027-01-04T08:00:00+01:00", False, None),
    # Labour Day from the iCal file of Czech public holidays (an all-day event).
    ("2026-04-30T23:59:59+02:00", False, None),
    ("2026-05-01T12:00:00+02:00", True, "Labour Day"),
]


def test_freezes_deny_inside_and_allow_just_outside(released: tuple[Program, str, str]) -> None:
    program, _, _ = released
    for at, frozen, name in EDGES:
        result, decision = gate(program, "production", at=at)
        if frozen:
            assert decision["decision"] == "deny", at
            assert statuses(decision)["freeze"] == "fail", at
            assert name is not None
            assert name in reasons(decision)["freeze"], (at, reasons(decision)["freeze"])
        else:
            assert result.code == 0, (at, reasons(decision))
            assert statuses(decision)["freeze"] == "pass", at


def test_staging_is_not_frozen_on_weekends(released: tuple[Program, str, str]) -> None:
    program, _, _ = released
    _, decision = gate(program, "staging", at="2026-10-24T12:00:00Z")
    assert statuses(decision)["freeze"] == "pass"
