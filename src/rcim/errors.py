"""The one exception hierarchy of rcim.

Every error carries the exit code the CLI turns it into and a message a user can act on.
Exit codes (documented in README.md, checked by tests/test_docs.py):

====  =========================================================================
0     success; the gate allowed the release
1     a check failed, a gate denied, a deploy failed and was rolled back
2     bad usage or invalid input (config, record, file), naming what and where
3     internal error (one line to the user, details under ``.rcim/logs/``)
4     a required external tool is missing (names it and how to install it)
====  =========================================================================
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID = 2
EXIT_INTERNAL = 3
EXIT_TOOL_MISSING = 4


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    file: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class RcimError(Exception):
    """Base of every error rcim raises on purpose."""

    exit_code = EXIT_INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def lines(self) -> list[str]:
        """The lines the CLI shows, one per problem."""
        return [self.message]


class InvalidInputError(RcimError):
    """Input given by the user is wrong: usage, config, a record, a file."""

    exit_code = EXIT_INVALID


class ConfigError(InvalidInputError):
    """One or more located problems in program files; all are reported together."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_problem_order)
        first = str(self.problems[0]) if self.problems else "invalid configuration"
        super().__init__(first)

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class NotFoundError(InvalidInputError):
    """An ID, name or file the user named does not exist."""


class TransitionError(InvalidInputError):
    """A state change that the lifecycle does not allow."""


class CheckFailedError(RcimError):
    """A check ran and failed (audit verification, a denied gate, ...)."""

    exit_code = EXIT_FAILED


class ToolMissingError(RcimError):
    """An external program rcim needs is not installed."""

    exit_code = EXIT_TOOL_MISSING

    def __init__(self, tool: str, install_hint: str) -> None:
        super().__init__(f"required tool '{tool}' is not on PATH; install it: {install_hint}")
        self.tool = tool
        self.install_hint = install_hint


class InternalError(RcimError):
    """Something rcim did not expect; details go to the log."""

    exit_code = EXIT_INTERNAL


def _problem_order(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.file, problem.line or 0, problem.column or 0, problem.message)
