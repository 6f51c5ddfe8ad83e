"""Knowledge: runbooks generated from the catalog, linted, and executed step by step.

``plan_runbooks`` turns a program into Markdown files (nothing is written until
``write_runbooks``); ``lint_runbooks`` checks a runbook directory against the program;
``load_runbook`` reads one runbook for ``run_runbook``, which walks its steps and records each
one through a ``Journal`` (the incident timeline).
"""

from rcim.runbooks.answers import load_answers
from rcim.runbooks.checks import CHECK_KINDS, CheckResult, ManualAnswer
from rcim.runbooks.escalation import EscalationTarget, escalation_path
from rcim.runbooks.generate import (
    DEFAULT_DIR,
    FileChange,
    RunbookFile,
    compare_runbooks,
    plan_runbooks,
    write_runbooks,
)
from rcim.runbooks.kb import KbArticle, load_articles
from rcim.runbooks.lint import lint_runbooks
from rcim.runbooks.load import load_runbook, service_hosts
from rcim.runbooks.model import Runbook, RunbookStep
from rcim.runbooks.run import (
    Escalation,
    Journal,
    JournalEntry,
    Operator,
    Resumed,
    RunEvent,
    RunInterrupted,
    RunOutcome,
    RunSettings,
    StepDone,
    StepStarting,
    run_runbook,
)

__all__ = [
    "CHECK_KINDS",
    "DEFAULT_DIR",
    "CheckResult",
    "Escalation",
    "EscalationTarget",
    "FileChange",
    "Journal",
    "JournalEntry",
    "KbArticle",
    "ManualAnswer",
    "Operator",
    "Resumed",
    "RunEvent",
    "RunInterrupted",
    "RunOutcome",
    "RunSettings",
    "Runbook",
    "RunbookFile",
    "RunbookStep",
    "StepDone",
    "StepStarting",
    "compare_runbooks",
    "escalation_path",
    "lint_runbooks",
    "load_answers",
    "load_articles",
    "load_runbook",
    "plan_runbooks",
    "run_runbook",
    "service_hosts",
    "write_runbooks",
]
