"""The policy registry as a Pulumi CrossGuard policy pack, for use with the real engine.

A policy pack is a separate Pulumi project (``PulumiPolicy.yaml`` plus a ``__main__.py`` that
calls ``serve_policy_pack()``), run with ``pulumi preview --policy-pack DIR``. Each registry
policy becomes one stack policy that sees every resource of the stack (tier-1 redundancy needs
the whole stack, not one resource). The pack's config gives the environment::

    {"all": {"environment": "production", "production": true,
             "allowed_server_types": ["cx32", "cx42"]}}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    StackValidationPolicy,
)
from pulumi_policy import (
    Policy as CrossGuardPolicy,
)

from rcim.infra.adapters import describe
from rcim.infra.policies import POLICIES
from rcim.infra.policies.base import PolicyContext
from rcim.infra.resources import Assessed, PlannedResource

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from pulumi_policy import PolicyResource, ReportViolation, StackValidationArgs

    from rcim.infra.policies.base import Policy

PACK_NAME = "rcim-platform"
_LEVELS = {"advisory": EnforcementLevel.ADVISORY, "mandatory": EnforcementLevel.MANDATORY}
CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        "environment": {"type": "string"},
        "production": {"type": "boolean"},
        "allowed_server_types": {"type": "array", "items": {"type": "string"}},
    }
)


def crossguard_policies() -> list[StackValidationPolicy]:
    """One CrossGuard stack policy per registry policy, with the registry's default level."""
    return [
        StackValidationPolicy(
            name=policy.name,
            description=policy.description,
            validate=_validator(policy),
            enforcement_level=_LEVELS[policy.level],
            config_schema=CONFIG_SCHEMA,
        )
        for policy in POLICIES.values()
    ]


def serve_policy_pack() -> PolicyPack:
    """Start the pack for the Pulumi engine; returns only when the engine stops it."""
    policies: list[CrossGuardPolicy] = list(crossguard_policies())
    return PolicyPack(name=PACK_NAME, policies=policies)


def context_from_config(config: Mapping[str, Any]) -> PolicyContext:
    env = str(config.get("environment", "production"))
    return PolicyContext(
        env=env,
        production=bool(config.get("production", env == "production")),
        allowed_server_types=tuple(str(t) for t in config.get("allowed_server_types", ())),
    )


def assessed_from(resource: PolicyResource) -> Assessed:
    """A CrossGuard resource as rcim's record; its props are the engine's property map."""
    props = dict(resource.props)
    planned = PlannedResource(
        type=resource.resource_type,
        name=resource.name,
        id=str(props.get("id", resource.urn)),
        custom=not resource.resource_type.startswith("rcim:"),
        inputs=props,
    )
    return Assessed(planned, describe(planned.type, props, custom=planned.custom))


def _validator(policy: Policy) -> Callable[[StackValidationArgs, ReportViolation], None]:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        by_label: dict[str, str] = {}
        resources: list[Assessed] = []
        for resource in args.resources:
            item = assessed_from(resource)
            by_label[item.label] = resource.urn
            resources.append(item)
        for finding in policy.check(resources, context_from_config(args.get_config())):
            report_violation(
                f"{finding.message}; fix: {finding.fix}", by_label.get(finding.resource)
            )

    return validate
