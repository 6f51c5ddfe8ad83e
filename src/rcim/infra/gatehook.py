"""The one place ``rcim infra up`` asks the release gate for permission (fail closed).

The gate records its decisions in the store's ``gate_decisions`` table. Platform changes are
gated as the pseudo-service ``platform``: ``up`` to an environment is allowed only when the
latest decision for (``platform``, env, commit) is ``allow``. No decision, or a later ``deny``,
refuses. When the release gate module exists, ``rcim gate check --service platform --env E``
writes the decision this hook reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import git
from sqlalchemy import select

from rcim.errors import CheckFailedError, InvalidInputError
from rcim.store.schema import GateDecisionRow

if TYPE_CHECKING:
    from pathlib import Path

    from rcim.store import Store

GATE_SERVICE = "platform"


def require_gate_allows(store: Store, env: str, commit: str) -> None:
    """Raise ``CheckFailedError`` unless the gate allows ``env`` for ``commit``."""
    with store.transaction() as session:
        decision = session.execute(
            select(GateDecisionRow.decision)
            .where(
                GateDecisionRow.service == GATE_SERVICE,
                GateDecisionRow.env == env,
                GateDecisionRow.commit_sha == commit,
            )
            .order_by(GateDecisionRow.decided_at.desc(), GateDecisionRow.id.desc())
            .limit(1)
        ).scalar_one_or_none()
    if decision != "allow":
        why = "the latest gate decision denies it" if decision else "no gate decision allows it"
        raise CheckFailedError(
            f"infra up refused for {env} at commit {commit[:12]}: {why}; run "
            f"'rcim gate check --service {GATE_SERVICE} --env {env} --commit {commit}' first"
        )


def head_commit(program_root: Path) -> str:
    """The commit the program repository is at (what ``up`` would provision)."""
    try:
        repo = git.Repo(program_root, search_parent_directories=True)
        return repo.head.commit.hexsha
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, ValueError):
        raise InvalidInputError(
            f"{program_root}: not a git repository with a commit; pass --commit SHA"
        ) from None
