"""Change impact from ``pulumi preview --json``: what a change would create, replace, delete.

Pulumi's preview digest has ``steps`` (each with an ``op`` and the resource ``urn``) and a
``changeSummary`` of counts per op. Replacing or deleting a resource is what hurts (downtime,
lost data), so those raise the change's infrastructure risk score.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rcim.errors import ConfigError, NotFoundError, Problem
from rcim.store.audit import append_audit
from rcim.store.schema import ChangeRecordRow

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from rcim.store import Store

KNOWN_OPS = frozenset(
    {
        "same", "create", "update", "delete", "replace", "create-replacement",
        "delete-replaced", "read", "read-replacement", "refresh", "discard",
        "discard-replaced", "remove-pending-replace", "import", "import-replacement",
    }
)  # fmt: skip
REPLACING_OPS = frozenset(
    {"replace", "create-replacement", "delete-replaced", "import-replacement", "read-replacement"}
)
DELETING_OPS = frozenset({"delete"})
STATEFUL_TYPE_WORDS = ("volume", "database", "bucket", "disk", "storage")
MAX_SCORE = 10.0
WEIGHTS = {"create": 0.2, "update": 0.5, "replace": 2.0, "delete": 3.0}
STATEFUL_EXTRA = 1.0
IMPACT_KEY = "infra_impact"


class PreviewStep(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    op: str
    urn: str = Field(min_length=1)


class PreviewDigest(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    steps: list[PreviewStep] = Field(default_factory=list)
    changeSummary: dict[str, int] | None = None  # Pulumi's own key, in camelCase


@dataclass(frozen=True)
class InfraImpact:
    """The counts per operation and the resources a change replaces or deletes."""

    counts: dict[str, int]
    replaced: tuple[str, ...]
    deleted: tuple[str, ...]
    source: str

    def count(self, op: str) -> int:
        return self.counts.get(op, 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "counts": dict(sorted(self.counts.items())),
            "replaced": list(self.replaced),
            "deleted": list(self.deleted),
            "risk_score": infra_risk_score(self),
            "source": self.source,
        }


def read_preview(path: Path) -> InfraImpact:
    """Parse a ``pulumi preview --json`` file; problems name ``file:line:col``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError([Problem(str(path), None, None, error.strerror or str(error))]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError([Problem(str(path), error.lineno, error.colno, error.msg)]) from None
    return impact_from(data, str(path))


def impact_from(data: Any, source: str) -> InfraImpact:  # noqa: ANN401 - decoded JSON
    try:
        digest = PreviewDigest.model_validate(data)
    except ValidationError as error:
        raise ConfigError([_shape_problem(source, error)]) from None
    unknown = [(i, s.op) for i, s in enumerate(digest.steps) if s.op not in KNOWN_OPS]
    if unknown:
        index, op = unknown[0]
        raise ConfigError([Problem(source, None, None, f"steps[{index}].op: unknown op '{op}'")])
    return InfraImpact(
        counts=digest.changeSummary if digest.changeSummary is not None else _counted(digest),
        replaced=_urns(digest, REPLACING_OPS),
        deleted=_urns(digest, DELETING_OPS),
        source=source,
    )


def infra_risk_score(impact: InfraImpact) -> float:
    """0-10: creates barely count, updates a little; replacements and deletions dominate,
    more so for resources that hold data (volumes, databases, buckets).

    score = 0.2·creates + 0.5·updates + 2·replaces + 3·deletes + 1 per stateful resource
    replaced or deleted, capped at 10. Replacements are counted from the steps when the
    summary has none (it counts them under ``replace``).
    """
    replaces = max(impact.count("replace"), len(impact.replaced))
    deletes = max(impact.count("delete"), len(impact.deleted))
    score = (
        WEIGHTS["create"] * impact.count("create")
        + WEIGHTS["update"] * impact.count("update")
        + WEIGHTS["replace"] * replaces
        + WEIGHTS["delete"] * deletes
        + STATEFUL_EXTRA * sum(1 for urn in (*impact.replaced, *impact.deleted) if _stateful(urn))
    )
    return round(min(MAX_SCORE, score), 2)


def record_impact(
    store: Store, change_id: str, impact: InfraImpact, *, actor: str, at: datetime
) -> dict[str, Any]:
    """Store the impact under ``data["infra_impact"]`` of the change record, with an audit
    entry, in one transaction; an unknown change stores nothing."""
    payload = impact.to_json()
    with store.transaction() as session:
        row = session.get(ChangeRecordRow, change_id)
        if row is None:
            raise NotFoundError(f"unknown change {change_id}")
        row.data = {**row.data, IMPACT_KEY: payload}
        row.updated_at = at
        append_audit(
            session, actor=actor, action="change.infra_impact", subject=change_id,
            payload=payload, at=at,
        )  # fmt: skip
    return payload


def _counted(digest: PreviewDigest) -> dict[str, int]:
    counts: dict[str, int] = {}
    for step in digest.steps:
        counts[step.op] = counts.get(step.op, 0) + 1
    return counts


def _urns(digest: PreviewDigest, ops: frozenset[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(step.urn for step in digest.steps if step.op in ops))


def _stateful(urn: str) -> bool:
    resource_type = urn.split("::")[-2] if urn.count("::") >= 2 else urn
    return any(word in resource_type.lower() for word in STATEFUL_TYPE_WORDS)


def _shape_problem(source: str, error: ValidationError) -> Problem:
    first = error.errors()[0]
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"]).lstrip(".")
    message = f"{path}: {first['msg']}" if path else first["msg"]
    return Problem(source, None, None, f"{message} (expected pulumi preview --json output)")
