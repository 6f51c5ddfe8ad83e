"""``testinfra``: evaluate a testinfra expression over ``host`` on each of the service's hosts.

Each host is probed in its own Python process with a timeout, so a hung SSH connection cannot
hang the runbook; the expression passes on a host when it evaluates to a true value.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

from rcim.runbooks.checks.base import CheckContext, CheckResult, HostTarget, excerpt

if TYPE_CHECKING:
    from rcim.program.service import TestinfraCheck

PROBE_TIMEOUT_SECONDS = 60.0
# The expression comes from the program repository, which is trusted like a pyinfra deploy.
PROBE = """
import json, sys
import testinfra
host = testinfra.get_host(sys.argv[1])
try:
    value = eval(sys.argv[2], {"host": host})
    print(json.dumps({"ok": bool(value), "value": repr(value)[:300]}))
except Exception as error:
    print(json.dumps({"ok": False, "value": f"{type(error).__name__}: {error}"}))
"""


class TestinfraKind:
    def problems(self, check: TestinfraCheck) -> list[str]:
        try:
            compile(check.expression, "<testinfra check>", "eval")
        except SyntaxError as error:
            return [f"expression: not a Python expression: {error.msg}"]
        return []

    def describe(self, check: TestinfraCheck) -> str:
        return f"on every host of the service, testinfra: `{check.expression}` is true"

    def run(self, check: TestinfraCheck, context: CheckContext) -> CheckResult:
        if not context.hosts:
            return CheckResult("failed", "the service has no hosts to run testinfra against")
        lines = [_probe(host, check.expression) for host in context.hosts]
        failed = [line for ok, line in lines if not ok]
        output = excerpt("\n".join(line for _, line in lines))
        if failed:
            return CheckResult("failed", f"false on {len(failed)} of {len(lines)} hosts", output)
        return CheckResult("passed", f"true on all {len(lines)} hosts", output)


def _probe(host: HostTarget, expression: str) -> tuple[bool, str]:
    try:
        proc = subprocess.run(
            [sys.executable, "-c", PROBE, host.spec, expression],
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT_SECONDS,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return False, f"{host.name}: timed out after {PROBE_TIMEOUT_SECONDS:g}s"
    try:
        result = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return False, f"{host.name}: probe failed: {excerpt(proc.stderr)}"
    return bool(result["ok"]), f"{host.name}: {result['value']}"
