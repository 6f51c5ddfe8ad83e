"""``tcp``: open a TCP connection; pass when the port accepts it in time."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

from rcim.runbooks.checks.base import CheckContext, CheckResult

if TYPE_CHECKING:
    from rcim.program.service import TcpCheck


class TcpKind:
    def problems(self, check: TcpCheck) -> list[str]:
        return [] if check.host.strip() else ["host: the host name is empty"]

    def describe(self, check: TcpCheck) -> str:
        return f"connect to {check.host}:{check.port} (TCP) within {check.timeout_seconds:g}s"

    def run(self, check: TcpCheck, context: CheckContext) -> CheckResult:
        target = f"{check.host}:{check.port}"
        try:
            with socket.create_connection((check.host, check.port), check.timeout_seconds):
                return CheckResult("passed", f"{target} accepts connections")
        except OSError as error:
            reason = error.strerror or str(error) or type(error).__name__
            return CheckResult("failed", f"{target} unreachable: {reason}")
