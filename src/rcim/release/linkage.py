"""Which commits a release brings, and which change record (or standard change) covers each.

The range runs from the commit last deployed successfully to the environment (else the
baseline: history from before rcim was adopted, the tag ``rcim-baseline`` unless the policy
names another ref) to the candidate, read in one bulk ``git log`` pass with paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from rcim.changes.paths import matches_any
from rcim.errors import NotFoundError
from rcim.gitscan import existing_commits, resolve_commit, scan_range
from rcim.store.schema import DeploymentRow

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

    from sqlalchemy.orm import Session

    from rcim.gitscan import Commit
    from rcim.program.policy import StandardChange

DEFAULT_BASELINE = "rcim-baseline"


@dataclass(frozen=True)
class CommitLink:
    """A commit and what covers it: change IDs it names, or a standard-change template."""

    commit: Commit
    change_ids: tuple[str, ...]
    standard: str | None

    @property
    def covered(self) -> bool:
        return bool(self.change_ids) or self.standard is not None


@dataclass(frozen=True)
class ReleaseRange:
    since: str | None
    since_reason: str
    commits: tuple[Commit, ...]


def last_deployed(session: Session, service: str, env: str) -> str | None:
    """The commit of the latest successful deployment of ``service`` to ``env``."""
    return session.scalars(
        select(DeploymentRow.commit_sha)
        .where(
            DeploymentRow.service == service,
            DeploymentRow.env == env,
            DeploymentRow.result == "succeeded",
        )
        .order_by(DeploymentRow.finished_at.desc(), DeploymentRow.started_at.desc())
        .limit(1)
    ).first()


def baseline_commit(repo: Path, ref: str | None) -> str | None:
    """The baseline commit; a named ref that does not resolve is an error, the default tag
    simply may not exist."""
    try:
        return resolve_commit(repo, ref or DEFAULT_BASELINE)
    except NotFoundError:
        if ref is None:
            return None
        raise


def release_range(
    repo: Path, candidate: str, *, deployed: str | None, baseline: str | None, trailer_key: str
) -> ReleaseRange:
    """The commits ``candidate`` brings over what the environment already runs."""
    since, reason = _range_start(repo, deployed, baseline)
    commits = scan_range(repo, since, candidate, with_paths=True, trailer_key=trailer_key)
    return ReleaseRange(since, reason, tuple(commits))


def link_commits(
    commits: Iterable[Commit], templates: Sequence[StandardChange], service: str | None
) -> list[CommitLink]:
    """Link every non-merge commit to its changes; merges carry no content of their own."""
    return [
        CommitLink(
            c, c.change_ids, None if c.change_ids else covering_template(c, templates, service)
        )
        for c in commits
        if not c.is_merge
    ]


def covering_template(
    commit: Commit, templates: Sequence[StandardChange], service: str | None
) -> str | None:
    """The first template whose path scope holds every path the commit touched."""
    paths = commit.paths
    if not paths:
        return None
    for template in templates:
        if service is not None and template.services and service not in template.services:
            continue
        if all(matches_any(path, template.paths) for path in paths):
            return template.id
    return None


def _range_start(repo: Path, deployed: str | None, baseline: str | None) -> tuple[str | None, str]:
    if deployed is not None and existing_commits(repo, [deployed]):
        return deployed, f"last successful deployment {deployed[:12]}"
    if baseline is not None:
        return baseline, f"baseline {baseline[:12]}"
    return None, "first deployment: the whole history"
