"""The one registry of runbook check kinds: ``kind`` -> implementation.

Adding a kind means adding its model to ``StepCheck`` in ``rcim.program.service``, a module
here that satisfies ``CheckKind``, and one entry in ``CHECK_KINDS``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rcim.runbooks.checks.base import (
    CheckContext,
    CheckKind,
    CheckResult,
    HostTarget,
    ManualAnswer,
    ManualOutcome,
    Status,
)
from rcim.runbooks.checks.command import CommandKind
from rcim.runbooks.checks.http import HttpKind
from rcim.runbooks.checks.manual import ManualKind
from rcim.runbooks.checks.tcp import TcpKind
from rcim.runbooks.checks.testinfra import TestinfraKind

if TYPE_CHECKING:
    from rcim.program.service import StepCheck

CHECK_KINDS: dict[str, CheckKind[Any]] = {
    "command": CommandKind(),
    "http": HttpKind(),
    "tcp": TcpKind(),
    "testinfra": TestinfraKind(),
    "manual": ManualKind(),
}


def kind_of(check: StepCheck) -> CheckKind[Any]:
    return CHECK_KINDS[check.kind]


def check_problems(check: StepCheck) -> list[str]:
    return kind_of(check).problems(check)


def describe_check(check: StepCheck) -> str:
    return kind_of(check).describe(check)


def run_check(check: StepCheck, context: CheckContext) -> CheckResult:
    return kind_of(check).run(check, context)


__all__ = [
    "CHECK_KINDS",
    "CheckContext",
    "CheckKind",
    "CheckResult",
    "HostTarget",
    "ManualAnswer",
    "ManualOutcome",
    "Status",
    "check_problems",
    "describe_check",
    "run_check",
]
