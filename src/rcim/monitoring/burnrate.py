"""Multi-window, multi-burn-rate alerting (Google SRE Workbook, "Alerting on SLOs").

An alert fires when the error ratio over a long window *and* over a short window both exceed
``factor * error budget``. The long window makes the alert significant; the short one makes it
stop soon after the problem does. Factors are derived from how much of the period's budget a
window may consume, so 28-day SLOs get proportionally smaller factors than 30-day ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from rcim.program.types import format_duration

if TYPE_CHECKING:
    from rcim.monitoring.naming import Severity

PERIODS = {"28d": timedelta(days=28), "30d": timedelta(days=30)}


@dataclass(frozen=True)
class WindowPair:
    """Fire when both windows burn faster than ``budget_share`` of the budget per long window."""

    long: timedelta
    short: timedelta
    budget_share: float

    def factor(self, period: timedelta) -> float:
        """The burn rate at which ``budget_share`` of the period's budget goes in ``long``."""
        return round(self.budget_share * (period / self.long), 6)


@dataclass(frozen=True)
class BurnPolicy:
    severity: Severity
    pairs: tuple[WindowPair, ...]
    hold: timedelta


FAST = BurnPolicy(
    "page",
    (
        WindowPair(timedelta(hours=1), timedelta(minutes=5), 0.02),
        WindowPair(timedelta(hours=6), timedelta(minutes=30), 0.05),
    ),
    timedelta(minutes=2),
)
SLOW = BurnPolicy(
    "ticket",
    (
        WindowPair(timedelta(days=1), timedelta(hours=2), 0.10),
        WindowPair(timedelta(days=3), timedelta(hours=6), 0.10),
    ),
    timedelta(minutes=15),
)
POLICIES = {"burn_fast": FAST, "burn_slow": SLOW}

# Every window a recording rule must exist for, shortest first.
WINDOWS: tuple[timedelta, ...] = tuple(
    sorted({w for policy in (FAST, SLOW) for pair in policy.pairs for w in (pair.long, pair.short)})
)


def window_name(window: timedelta) -> str:
    """``timedelta(hours=1)`` -> ``1h``, the spelling PromQL and recording rule names use."""
    return format_duration(window)


def error_budget(objective: float) -> float:
    """The allowed error ratio of an objective in percent (99.9 -> 0.001), without float noise."""
    return round(1 - objective / 100, 12)


def number(value: float) -> str:
    """A float as PromQL and YAML should show it: ``0.001``, ``14.4``, ``1``."""
    return f"{value:.12g}"
