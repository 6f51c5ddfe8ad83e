"""The contract every gate rule satisfies, and the records rules read and return.

A rule is a pure function of a ``RuleContext``: the candidate release, the environment's
policy, the rule's own setting, and ``GateFacts`` (the evidence, gathered lazily by
``rcim.release.evidence`` from git, the store, the program and the calendar). Rules never
touch the store or git themselves, which keeps each of them small and testable with fakes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from rcim.changes.approvals import ApprovalTally
    from rcim.changes.model import ChangeRecord
    from rcim.changes.risk import RiskAssessment
    from rcim.changes.tracking import StoredChange
    from rcim.program.policy import ApprovalRequirement, EnvironmentPolicy, Policy, RuleSetting
    from rcim.program.types import Role
    from rcim.release.calendar import ActiveWindow, Conflict
    from rcim.release.linkage import CommitLink
    from rcim.release.stages import StageRecord

RuleStatus = Literal["pass", "fail", "warn", "error", "skip"]
BLOCKING: frozenset[str] = frozenset({"fail", "error"})


@dataclass(frozen=True)
class RuleResult:
    rule: str
    status: RuleStatus
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "status": self.status,
            "reason": self.reason,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Candidate:
    """What is asked: may ``commit`` of ``service`` go to ``env`` at instant ``at``?"""

    service: str
    env: str
    commit: str
    at: datetime
    change_id: str | None = None
    emergency: bool = False
    reason: str | None = None


@dataclass(frozen=True)
class ChangeView:
    """A change named by the release: its file (definition) and its store row (state)."""

    id: str
    record: ChangeRecord | None
    stored: StoredChange | None

    @property
    def type(self) -> str | None:
        return self.record.type if self.record else None


@dataclass(frozen=True)
class IncidentView:
    id: str
    priority: str
    title: str
    state: str


class GateFacts(Protocol):
    """The evidence a gate decision is made from."""

    def range_reason(self) -> str: ...

    def commit_links(self) -> Sequence[CommitLink]: ...

    def changes(self) -> Sequence[ChangeView]: ...

    def risk(self, change_id: str) -> RiskAssessment: ...

    def approval_tally(
        self, change_id: str, requirement: ApprovalRequirement, *, require_signatures: bool
    ) -> ApprovalTally: ...

    def stage(self, name: str) -> StageRecord | None: ...

    def stage_commits_elsewhere(self, name: str) -> Sequence[str]: ...

    def promoted(self, source_env: str) -> str | None: ...

    def active_freezes(self) -> Sequence[ActiveWindow]: ...

    def open_incidents(self, priorities: Sequence[str]) -> Sequence[IncidentView]: ...

    def conflicts(self, change_id: str) -> Sequence[Conflict]: ...

    def window(self, change_id: str) -> tuple[datetime, datetime] | None: ...


@dataclass(frozen=True)
class RuleContext:
    candidate: Candidate
    policy: Policy
    env: EnvironmentPolicy
    setting: RuleSetting
    facts: GateFacts

    def assessed_changes(self) -> list[ChangeView]:
        """Changes that need assessment and authorisation: normal and emergency ones."""
        return [c for c in self.facts.changes() if c.type in ("normal", "emergency")]

    def param_strings(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        """A list parameter; anything but a list of strings is a policy mistake (rule error)."""
        value = self.setting.params.get(name, default)
        if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
            raise TypeError(f"parameter {name} must be a list of strings, got {value!r}")
        return value


class Rule(Protocol):
    """One gate rule: ``rules/<name>.py`` defines it, ``rules/__init__.py`` registers it."""

    def __call__(self, ctx: RuleContext) -> RuleResult: ...


ECAB_ROLE: Role = "ecab"


def break_glass_problem(ctx: RuleContext) -> str | None:
    """Why a requested break-glass may not bypass freeze and approval counts, or ``None``.

    Break-glass is for emergency changes only, and needs at least one current ECAB approval.
    """
    from rcim.program.policy import ApprovalRequirement

    if not ctx.candidate.emergency:
        return "break-glass was not requested"
    changes = ctx.assessed_changes()
    if not changes:
        return "break-glass needs an emergency change; none is named"
    others = [c.id for c in changes if c.type != "emergency"]
    if others:
        return f"break-glass needs emergency changes only; {', '.join(others)} is not one"
    ecab = ApprovalRequirement(count=1, roles=(ECAB_ROLE,))
    for change in changes:
        tally = ctx.facts.approval_tally(
            change.id, ecab, require_signatures=ctx.env.require_signatures
        )
        if not tally.satisfied:
            return f"break-glass needs an ECAB approval of {change.id} at this commit"
    return None
