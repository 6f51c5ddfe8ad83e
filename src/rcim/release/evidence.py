"""The gate's evidence, gathered lazily from git, the store, the program and the calendar.

``StoreGateFacts`` implements ``GateFacts``: each question a rule asks is answered once and
cached, so a rule that does not run costs nothing, and a fact that cannot be gathered fails
only the rules that need it (they report ``error``; the gate fails closed).
"""

from __future__ import annotations

import subprocess
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from rcim.changes.approvals import approvals_of, duty_conflict, facts_for, tally
from rcim.changes.assessment import change_risk
from rcim.changes.people import person_by_id
from rcim.changes.records import change_path, read_change
from rcim.changes.signatures import ApprovalPayload, Verification, verify_signature
from rcim.changes.tracking import find_changes, list_changes
from rcim.gitscan import scan_range
from rcim.release.calendar import (
    ScheduledChange,
    active_freezes,
    conflicting_changes,
    service_dependencies,
)
from rcim.release.linkage import (
    baseline_commit,
    last_deployed,
    link_commits,
    release_range,
)
from rcim.release.rules.base import ChangeView, IncidentView
from rcim.release.stages import latest_stage
from rcim.store.schema import DeploymentRow, IncidentRow, StageResultRow

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime
    from pathlib import Path

    from sqlalchemy.orm import Session

    from rcim.changes.approvals import Approval, ApprovalTally
    from rcim.changes.model import ChangeRecord
    from rcim.changes.risk import RiskAssessment
    from rcim.program.loader import Program
    from rcim.program.policy import ApprovalRequirement, Policy
    from rcim.release.calendar import ActiveWindow, Conflict
    from rcim.release.linkage import CommitLink, ReleaseRange
    from rcim.release.rules.base import Candidate
    from rcim.release.stages import StageRecord

OPEN_CHANGE_STATES = ("authorize", "scheduled", "implement")
CLOSED_INCIDENT_STATES = ("resolved", "closed")


class StoreGateFacts:
    """Evidence for one candidate, read through one store session."""

    def __init__(
        self, program: Program, policy: Policy, session: Session, repo: Path, candidate: Candidate
    ) -> None:
        self._program = program
        self._policy = policy
        self._session = session
        self._repo = repo
        self._candidate = candidate
        self._risks: dict[str, RiskAssessment] = {}

    @cached_property
    def _range(self) -> ReleaseRange:
        candidate = self._candidate
        setting = self._policy.environments[candidate.env].rule("change_record")
        ref = setting.params.get("baseline")
        if ref is not None and not isinstance(ref, str):
            raise TypeError(f"parameter baseline must be a git ref, got {ref!r}")
        deployed = last_deployed(self._session, candidate.service, candidate.env)
        return release_range(
            self._repo,
            candidate.commit,
            deployed=deployed,
            baseline=baseline_commit(self._repo, ref),
            trailer_key=self._policy.trailer_key,
        )

    def range_reason(self) -> str:
        return self._range.since_reason

    @cached_property
    def _links(self) -> list[CommitLink]:
        templates = self._policy.standard_changes
        return link_commits(self._range.commits, templates, self._candidate.service)

    def commit_links(self) -> Sequence[CommitLink]:
        return self._links

    @cached_property
    def _changes(self) -> list[ChangeView]:
        named = [self._candidate.change_id] if self._candidate.change_id else []
        ids = list(dict.fromkeys([*named, *(i for link in self._links for i in link.change_ids)]))
        stored = find_changes(self._session, ids)
        return [ChangeView(i, self._record(i, stored.get(i)), stored.get(i)) for i in ids]

    def changes(self) -> Sequence[ChangeView]:
        return self._changes

    def _record(self, change_id: str, stored: Any) -> ChangeRecord | None:  # noqa: ANN401
        path = change_path(self._program.root, change_id)
        if path.is_file():
            return read_change(path)
        return stored.record if stored is not None else None

    def _view(self, change_id: str) -> ChangeView:
        for view in self._changes:
            if view.id == change_id:
                return view
        raise KeyError(change_id)

    def risk(self, change_id: str) -> RiskAssessment:
        if change_id not in self._risks:
            view = self._view(change_id)
            assert view.record is not None
            self._risks[change_id] = change_risk(
                self._program,
                self._session,
                self._repo,
                view.record,
                view.stored,
                commit=self._candidate.commit,
                at=self._candidate.at,
            )
        return self._risks[change_id]

    def approval_tally(
        self, change_id: str, requirement: ApprovalRequirement, *, require_signatures: bool
    ) -> ApprovalTally:
        view = self._view(change_id)
        author = view.record.author if view.record else ""
        emails = self._commit_emails(change_id)
        config = self._program.config
        facts = facts_for(
            approvals_of(self._session, change_id),
            staleness=lambda sha: self._staleness(change_id, sha),
            conflict=lambda person: duty_conflict(person_by_id(config, person), author, emails),
            verify=lambda approval: self._verify(approval) if require_signatures else None,
        )
        roles = {person.id: tuple(person.roles) for person in config.people}
        return tally(requirement, facts, roles, require_signatures=require_signatures)

    def _commit_emails(self, change_id: str) -> set[str]:
        return {link.commit.author_email for link in self._links if change_id in link.change_ids}

    def _staleness(self, change_id: str, approved: str) -> str | None:
        candidate = self._candidate.commit
        if approved == candidate:
            return None
        if not _is_ancestor(self._repo, approved, candidate):
            return f"approved commit {approved[:12]} is not part of {candidate[:12]}"
        newer = [
            c
            for c in scan_range(
                self._repo, approved, candidate, trailer_key=self._policy.trailer_key
            )
            if change_id in c.change_ids
        ]
        if newer:
            return f"stale: {len(newer)} commit(s) of {change_id} came after the approval"
        return None

    def _verify(self, approval: Approval) -> Verification:
        if approval.signature is None or approval.signed_payload is None:
            return Verification(False, "unsigned")
        expected = ApprovalPayload(
            approval.change_id, approval.commit, approval.decision, approval.person, approval.at
        ).text()
        if expected != approval.signed_payload:
            return Verification(False, "the signed text does not match the stored approval")
        key = person_by_id(self._program.config, approval.person).ssh_key
        if not key:
            return Verification(False, f"{approval.person} has no ssh_key in rcim.yaml")
        return verify_signature(approval.signed_payload, approval.signature, approval.person, key)

    def stage(self, name: str) -> StageRecord | None:
        candidate = self._candidate
        return latest_stage(
            self._session, name=name, commit=candidate.commit, service=candidate.service
        )

    def stage_commits_elsewhere(self, name: str) -> Sequence[str]:
        rows = self._session.scalars(
            select(StageResultRow.commit_sha)
            .where(StageResultRow.name == name, StageResultRow.commit_sha != self._candidate.commit)
            .order_by(StageResultRow.recorded_at.desc())
            .limit(10)
        )
        return list(dict.fromkeys(rows))[:3]

    def promoted(self, source_env: str) -> str | None:
        candidate = self._candidate
        return self._session.scalars(
            select(DeploymentRow.id).where(
                DeploymentRow.service == candidate.service,
                DeploymentRow.env == source_env,
                DeploymentRow.commit_sha == candidate.commit,
                DeploymentRow.result == "succeeded",
            )
        ).first()

    def active_freezes(self) -> Sequence[ActiveWindow]:
        candidate = self._candidate
        return active_freezes(
            self._program, env=candidate.env, service=candidate.service, at=candidate.at
        )

    def open_incidents(self, priorities: Sequence[str]) -> Sequence[IncidentView]:
        rows = self._session.scalars(
            select(IncidentRow)
            .where(
                IncidentRow.service == self._candidate.service,
                IncidentRow.priority.in_(list(priorities)),
                IncidentRow.resolved_at.is_(None),
                IncidentRow.state.not_in(CLOSED_INCIDENT_STATES),
            )
            .order_by(IncidentRow.opened_at)
        )
        return [IncidentView(r.id, r.priority, r.title, r.state) for r in rows]

    def conflicts(self, change_id: str) -> Sequence[Conflict]:
        mine = self._scheduled(change_id, self._view(change_id).record)
        if mine is None:
            return []
        others = [
            scheduled
            for stored in list_changes(self._session)
            if stored.id != change_id and stored.state in OPEN_CHANGE_STATES
            if (scheduled := self._scheduled(stored.id, stored.record)) is not None
        ]
        found = conflicting_changes([mine, *others], service_dependencies(self._program))
        return [c for c in found if change_id in (c.first, c.second)]

    def _scheduled(self, change_id: str, record: ChangeRecord | None) -> ScheduledChange | None:
        bounds = self._bounds(record)
        if record is None or bounds is None:
            return None
        return ScheduledChange(change_id, tuple(record.services), bounds[0], bounds[1])

    def window(self, change_id: str) -> tuple[datetime, datetime] | None:
        return self._bounds(self._view(change_id).record)

    def _bounds(self, record: ChangeRecord | None) -> tuple[datetime, datetime] | None:
        if record is None or record.window is None:
            return None
        return record.window.bounds(self._program.config.organization.timezone)


def _is_ancestor(repo: Path, ancestor: str, descendant: str) -> bool:
    proc = subprocess.run(
        ["git", "-C", str(repo), "merge-base", "--is-ancestor", ancestor, descendant],
        capture_output=True,
        check=False,
    )
    return proc.returncode == 0
