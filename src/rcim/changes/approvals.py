"""Approvals: who may decide, separation of duties, staleness, and counting against policy.

An approval is bound to the commit it approved. The gate counts, per requirement of
``release/policy.yaml`` (environment × change type × risk level), the distinct people whose
latest decision is a current, conflict-free approval from a role that counts (and, where
the environment requires it, carries a signature that verifies). Any current rejection blocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from rcim.changes.lifecycle import DECIDABLE
from rcim.changes.tracking import get_change
from rcim.errors import InvalidInputError, TransitionError
from rcim.store import append_audit
from rcim.store.schema import ApprovalRow

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from datetime import datetime

    from sqlalchemy.orm import Session

    from rcim.changes.signatures import Verification
    from rcim.program.organization import Person
    from rcim.program.policy import ApprovalRequirement, Policy


@dataclass(frozen=True)
class Approval:
    """One stored decision."""

    change_id: str
    person: str
    decision: str
    commit: str
    comment: str | None
    signature: str | None
    signed_payload: str | None
    at: datetime


@dataclass(frozen=True)
class ApprovalFact:
    """A decision as the gate sees it: is it current, conflict-free, verifiably signed?"""

    person: str
    decision: str
    commit: str
    stale: str | None
    conflict: str | None
    signature: Verification | None


@dataclass(frozen=True)
class ApprovalTally:
    needed: int
    roles: tuple[str, ...]
    counted: tuple[str, ...]
    ignored: tuple[tuple[str, str], ...]
    rejected_by: tuple[str, ...]

    @property
    def satisfied(self) -> bool:
        return not self.rejected_by and len(self.counted) >= self.needed


def counting_roles(policy: Policy, change_type: str) -> frozenset[str]:
    """Every role that counts for ``change_type`` in some environment at some risk level."""
    roles: set[str] = set()
    for env in policy.environments.values():
        for requirement in env.approvals.get(change_type, {}).values():  # type: ignore[call-overload]
            roles.update(requirement.roles)
    return frozenset(roles)


def record_decision(
    session: Session,
    policy: Policy,
    approval: Approval,
    approver: Person,
    commit_author_emails: Iterable[str],
) -> Approval:
    """Store one decision after checking state, role and separation of duties; audited."""
    change = get_change(session, approval.change_id)
    if change.state not in DECIDABLE:
        allowed = ", ".join(sorted(DECIDABLE))
        raise TransitionError(
            f"{change.id} is in state '{change.state}'; decisions are taken in: {allowed}"
        )
    _check_role(policy, change.type, approver, change.id)
    problem = duty_conflict(approver, change.author, commit_author_emails)
    if problem is not None:
        raise InvalidInputError(f"{change.id}: {problem}")
    session.add(_row(approval))
    payload = {
        "commit": approval.commit,
        "comment": approval.comment,
        "signed": approval.signature is not None,
    }
    append_audit(
        session,
        actor=approver.id,
        action=f"change.{approval.decision}",
        subject=change.id,
        payload=payload,
        at=approval.at,
    )
    return approval


def duty_conflict(approver: Person, author: str, commit_author_emails: Iterable[str]) -> str | None:
    """Why ``approver`` may not decide on a change (separation of duties), or ``None``."""
    if approver.id == author:
        return f"{approver.id} authored the change and may not approve it"
    emails = {email.casefold() for email in commit_author_emails}
    if approver.email.casefold() in emails:
        return f"{approver.id} authored commits of the change and may not approve it"
    return None


def approvals_of(session: Session, change_id: str) -> list[Approval]:
    rows = session.scalars(
        select(ApprovalRow).where(ApprovalRow.change_id == change_id).order_by(ApprovalRow.id)
    )
    return [
        Approval(
            r.change_id,
            r.person,
            r.decision,
            r.commit_sha,
            r.comment,
            r.signature,
            r.signed_payload,
            r.at,
        )
        for r in rows
    ]


def latest_per_person(approvals: Iterable[Approval]) -> list[Approval]:
    """Each person's last decision: a later rejection withdraws an approval and vice versa."""
    latest: dict[str, Approval] = {}
    for approval in approvals:
        latest[approval.person] = approval
    return list(latest.values())


def tally(
    requirement: ApprovalRequirement,
    facts: Iterable[ApprovalFact],
    roles_of: Mapping[str, tuple[str, ...]],
    *,
    require_signatures: bool,
) -> ApprovalTally:
    """Count ``facts`` (one per person) against ``requirement``."""
    counted: list[str] = []
    ignored: list[tuple[str, str]] = []
    rejected: list[str] = []
    for fact in facts:
        why = _why_not_counted(fact, requirement, roles_of, require_signatures=require_signatures)
        if why is not None:
            ignored.append((fact.person, why))
        elif fact.decision == "reject":
            rejected.append(fact.person)
        else:
            counted.append(fact.person)
    return ApprovalTally(
        requirement.count, tuple(requirement.roles), tuple(counted), tuple(ignored), tuple(rejected)
    )


def facts_for(
    approvals: Iterable[Approval],
    *,
    staleness: Callable[[str], str | None],
    conflict: Callable[[str], str | None],
    verify: Callable[[Approval], Verification | None],
) -> list[ApprovalFact]:
    """Judge each person's latest decision with the gate's evidence."""
    return [
        ApprovalFact(
            a.person, a.decision, a.commit, staleness(a.commit), conflict(a.person), verify(a)
        )
        for a in latest_per_person(approvals)
    ]


def _why_not_counted(
    fact: ApprovalFact,
    requirement: ApprovalRequirement,
    roles_of: Mapping[str, tuple[str, ...]],
    *,
    require_signatures: bool,
) -> str | None:
    if fact.stale is not None:
        return fact.stale
    if fact.conflict is not None:
        return fact.conflict
    if fact.decision == "reject":
        return None
    if not set(roles_of.get(fact.person, ())) & set(requirement.roles):
        return f"holds none of the roles {', '.join(requirement.roles)}"
    if require_signatures and fact.signature is None:
        return "unsigned, and this environment requires signed approvals"
    if require_signatures and fact.signature is not None and not fact.signature.ok:
        return fact.signature.reason
    return None


def _check_role(policy: Policy, change_type: str, approver: Person, change_id: str) -> None:
    roles = counting_roles(policy, change_type)
    if not roles:
        raise InvalidInputError(
            f"{change_id}: {change_type} changes need no approval in any policy"
        )
    if not set(approver.roles) & roles:
        raise InvalidInputError(
            f"{approver.id} holds none of the roles that approve {change_type} changes "
            f"({', '.join(sorted(roles))})"
        )


def _row(approval: Approval) -> ApprovalRow:
    return ApprovalRow(
        change_id=approval.change_id,
        person=approval.person,
        decision=approval.decision,
        commit_sha=approval.commit,
        comment=approval.comment,
        signature=approval.signature,
        signed_payload=approval.signed_payload,
        at=approval.at,
    )
