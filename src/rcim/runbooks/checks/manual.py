"""``manual``: the operator answers a yes/no question; yes means the check passed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.runbooks.checks.base import CheckContext, CheckResult

if TYPE_CHECKING:
    from rcim.program.service import ManualCheck


class ManualKind:
    def problems(self, check: ManualCheck) -> list[str]:
        return [] if check.question.strip() else ["question: the question is empty"]

    def describe(self, check: ManualCheck) -> str:
        return f"ask: {check.question} (yes = passed)"

    def run(self, check: ManualCheck, context: CheckContext) -> CheckResult:
        answer = context.ask(check.question)
        words = {"passed": "yes", "failed": "no", "skipped": "skipped"}
        detail = f"operator answered {words[answer.outcome]}"
        return CheckResult(answer.outcome, detail, answer.note)
