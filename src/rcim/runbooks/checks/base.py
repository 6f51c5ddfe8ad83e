"""The contract every check kind satisfies, and the records a check run produces.

A check kind knows three things about its model (one of the ``StepCheck`` models of the
catalog): what is wrong with it beyond its schema (``problems``), how to say in one line what
it does (``describe``), and how to run it (``run``). The registry in ``checks/__init__.py`` is
the one place that maps a ``kind`` to its implementation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel

if TYPE_CHECKING:
    from collections.abc import Callable

Status = Literal["passed", "failed", "skipped"]
ManualOutcome = Literal["passed", "failed", "skipped"]
EXCERPT_CHARS = 600

CheckT = TypeVar("CheckT", bound=BaseModel, contravariant=True)


@dataclass(frozen=True)
class ManualAnswer:
    """What the operator reported for a manual check: yes = passed, no = failed."""

    outcome: ManualOutcome
    note: str = ""


@dataclass(frozen=True)
class HostTarget:
    """A host a testinfra expression runs against, as a testinfra connection spec."""

    name: str
    spec: str


@dataclass(frozen=True)
class CheckContext:
    """What a check may use while running: the service's hosts and the operator."""

    hosts: tuple[HostTarget, ...]
    ask: Callable[[str], ManualAnswer]


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check: ``detail`` says why in one line, ``output`` is an excerpt."""

    status: Status
    detail: str
    output: str = ""
    exit_status: int | None = None


class CheckKind(Protocol, Generic[CheckT]):
    """One kind of executable check (``command``, ``http``, ``tcp``, ``testinfra``, ``manual``)."""

    def problems(self, check: CheckT) -> list[str]:
        """What is malformed in ``check`` beyond what its schema already refuses."""
        ...

    def describe(self, check: CheckT) -> str:
        """One line saying what the check does, for runbooks and the terminal."""
        ...

    def run(self, check: CheckT, context: CheckContext) -> CheckResult:
        """Run the check once, bounded in time."""
        ...


def excerpt(text: str) -> str:
    """The end of an output (where errors usually are), bounded for the timeline."""
    text = text.strip()
    return text if len(text) <= EXCERPT_CHARS else "…" + text[-EXCERPT_CHARS:]


def pattern_problems(name: str, pattern: str | None) -> list[str]:
    """A regular expression that does not compile is a malformed check."""
    if pattern is None:
        return []
    try:
        re.compile(pattern)
    except re.error as error:
        return [f"{name}: invalid regular expression '{pattern}': {error}"]
    return []
