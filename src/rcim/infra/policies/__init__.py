"""Platform policies: plain Python checks, one module each, in one registry.

``evaluate_policies`` runs them over the resources of an offline plan; ``crossguard`` wraps the
same registry as a Pulumi CrossGuard policy pack for the real engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.infra.policies import (
    admin_ports,
    required_labels,
    server_types,
    tier1_redundancy,
    volume_backups,
)
from rcim.infra.policies.base import Enforcement, Policy, PolicyContext, Violation

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from rcim.infra.resources import Assessed

POLICIES: dict[str, Policy] = {
    policy.name: policy
    for policy in (
        required_labels.POLICY,
        tier1_redundancy.POLICY,
        volume_backups.POLICY,
        admin_ports.POLICY,
        server_types.POLICY,
    )
}

__all__ = ["POLICIES", "Enforcement", "Policy", "PolicyContext", "Violation", "evaluate_policies"]


def evaluate_policies(
    resources: Sequence[Assessed],
    context: PolicyContext,
    levels: Mapping[str, str] | None = None,
) -> tuple[Violation, ...]:
    """Every violation of every enabled policy, in registry order then resource order.

    ``levels`` overrides a policy's enforcement (``advisory``/``mandatory``) or switches it
    off (``disabled``); unknown names are rejected earlier, when the settings are read.
    """
    violations: list[Violation] = []
    for name, policy in POLICIES.items():
        level = (levels or {}).get(name, policy.level)
        if level == "disabled":
            continue
        enforcement: Enforcement = "mandatory" if level == "mandatory" else "advisory"
        violations.extend(
            Violation(f.resource, name, enforcement, f.message, f.fix)
            for f in policy.check(resources, context)
        )
    return tuple(violations)
