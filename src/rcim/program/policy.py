"""Models of ``release/policy.yaml``: how releases are gated, per environment."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from rcim.program.types import RISK_LEVELS, ChangeType, Frozen, Identifier, RiskLevel, Role

RuleName = Literal[
    "change_record",
    "approvals",
    "test_stages",
    "promotion",
    "freeze",
    "change_window",
    "incidents",
    "conflicts",
    "risk",
    "backout_plan",
]
RULE_NAMES: tuple[RuleName, ...] = (
    "change_record",
    "approvals",
    "test_stages",
    "promotion",
    "freeze",
    "change_window",
    "incidents",
    "conflicts",
    "risk",
    "backout_plan",
)
RiskCriterion = Literal[
    "blast_radius",
    "change_size",
    "sensitive_paths",
    "test_evidence",
    "failure_rate",
    "backout",
    "timing",
    "infra_impact",
]
RuleParam = str | int | float | bool | tuple[str, ...]


class ApprovalRequirement(Frozen):
    """``count`` distinct people, each holding at least one of ``roles``."""

    count: int = Field(ge=0)
    roles: tuple[Role, ...] = ()

    @model_validator(mode="after")
    def _roles_when_needed(self) -> ApprovalRequirement:
        if self.count > 0 and not self.roles:
            raise ValueError("roles must name who may approve when count is above 0")
        return self


class RuleSetting(Frozen):
    enabled: bool = True
    params: dict[str, RuleParam] = Field(default_factory=dict)


class EnvironmentPolicy(Frozen):
    required_stages: tuple[Identifier, ...] = ()
    promotion_from: Identifier | None = None
    max_risk: RiskLevel = "high"
    require_signatures: bool = False
    approvals: dict[ChangeType, dict[RiskLevel, ApprovalRequirement]] = Field(default_factory=dict)
    rules: dict[RuleName, RuleSetting] = Field(default_factory=dict)

    def rule(self, name: RuleName) -> RuleSetting:
        """A rule's setting; rules not listed are on with default parameters."""
        return self.rules.get(name, RuleSetting())


class RiskLevels(Frozen):
    """Lower bounds of each level on the 0-10 score (low starts at 0)."""

    medium: float = Field(ge=0, le=10)
    high: float = Field(ge=0, le=10)

    @model_validator(mode="after")
    def _ordered(self) -> RiskLevels:
        if self.medium >= self.high:
            raise ValueError("the medium threshold must be below the high threshold")
        return self

    def level_of(self, score: float) -> RiskLevel:
        if score >= self.high:
            return "high"
        return "medium" if score >= self.medium else "low"


class RiskModel(Frozen):
    weights: dict[RiskCriterion, float] = Field(min_length=1)
    levels: RiskLevels
    sensitive_paths: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _weights_positive(self) -> RiskModel:
        if any(weight < 0 for weight in self.weights.values()):
            raise ValueError("risk weights must not be negative")
        if sum(self.weights.values()) <= 0:
            raise ValueError("risk weights must not all be zero")
        return self


class StandardChange(Frozen):
    """A pre-approved change template: commits touching only these paths are covered."""

    id: Identifier
    title: str
    paths: tuple[str, ...] = Field(min_length=1)
    services: tuple[Identifier, ...] = ()


class Policy(Frozen):
    """The whole of ``release/policy.yaml``."""

    trailer_key: str = "Change"
    risk: RiskModel
    environments: dict[Identifier, EnvironmentPolicy]
    standard_changes: tuple[StandardChange, ...] = ()


def missing_approval_levels(policy: EnvironmentPolicy) -> list[tuple[ChangeType, RiskLevel]]:
    """Normal and emergency changes need an approval rule for every risk level (fail closed)."""
    missing: list[tuple[ChangeType, RiskLevel]] = []
    for change_type in ("normal", "emergency"):
        levels = policy.approvals.get(change_type)
        if levels is None:
            missing.append((change_type, "low"))
            continue
        missing.extend((change_type, level) for level in RISK_LEVELS if level not in levels)
    return missing
