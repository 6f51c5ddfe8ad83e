"""``command``: run a shell command; pass on the expected exit code and output pattern."""

from __future__ import annotations

import re
import subprocess
from typing import TYPE_CHECKING

from rcim.runbooks.checks.base import CheckContext, CheckResult, excerpt, pattern_problems

if TYPE_CHECKING:
    from rcim.program.service import CommandCheck

SHELL = "/bin/sh"


class CommandKind:
    def problems(self, check: CommandCheck) -> list[str]:
        found = [] if check.run.strip() else ["run: the command is empty"]
        return found + pattern_problems("expect_output", check.expect_output)

    def describe(self, check: CommandCheck) -> str:
        wanted = f"exit {check.expect_exit}"
        if check.expect_output is not None:
            wanted += f" and output matching /{check.expect_output}/"
        return f"run `{check.run}`, expect {wanted}"

    def run(self, check: CommandCheck, context: CheckContext) -> CheckResult:
        try:
            proc = subprocess.run(
                [SHELL, "-c", check.run],
                capture_output=True,
                text=True,
                timeout=check.timeout_seconds,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            return CheckResult("failed", f"timed out after {check.timeout_seconds:g}s")
        output = proc.stdout + proc.stderr
        return _judge(check, proc.returncode, output)


def _judge(check: CommandCheck, code: int, output: str) -> CheckResult:
    if code != check.expect_exit:
        detail = f"exit status {code}, expected {check.expect_exit}"
        return CheckResult("failed", detail, excerpt(output), code)
    if check.expect_output is not None and not re.search(check.expect_output, output, re.M):
        detail = f"output does not match /{check.expect_output}/"
        return CheckResult("failed", detail, excerpt(output), code)
    return CheckResult("passed", f"exit status {code}", excerpt(output), code)
