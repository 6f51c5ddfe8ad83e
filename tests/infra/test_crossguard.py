"""The registry wrapped as CrossGuard stack policies (construction and validation)."""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    StackValidationArgs,
    StackValidationPolicy,
)

from rcim.infra.hetzner import SERVER
from rcim.infra.policies import POLICIES
from rcim.infra.policies.crossguard import crossguard_policies

LABELS = {"service": "api", "team": "ops", "environment": "production", "tier": "1", "change": "c"}


def _resource(name, props):
    opts = PolicyResourceOptions(
        protect=False,
        ignore_changes=[],
        delete_before_replace=None,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=[],
    )
    urn = f"urn:pulumi:production::abc::{SERVER}::{name}"
    return PolicyResource(SERVER, props, urn, name, opts, None, None, [], {})


def test_one_stack_policy_per_registry_policy():
    policies = crossguard_policies()
    assert [p.name for p in policies] == list(POLICIES)
    assert all(isinstance(p, StackValidationPolicy) for p in policies)
    levels = {p.name: p.enforcement_level for p in policies}
    assert levels["volume-backups"] is EnforcementLevel.MANDATORY
    assert levels["allowed-server-types"] is EnforcementLevel.ADVISORY


def test_stack_policy_reports_a_violation_with_the_resource_urn():
    tier1 = next(p for p in crossguard_policies() if p.name == "tier1-redundancy")
    lonely = _resource("api-1", {"serverType": "cx32", "labels": LABELS, "placementGroupId": 1})
    args = StackValidationArgs([lonely], config={"environment": "production"})
    reported = []
    tier1.validate(args, lambda message, urn=None: reported.append((message, urn)))
    assert len(reported) == 1
    assert "at least 2 are needed" in reported[0][0]
    assert reported[0][1] == lonely.urn


def test_stack_policy_is_quiet_for_a_compliant_stack():
    tier1 = next(p for p in crossguard_policies() if p.name == "tier1-redundancy")
    servers = [
        _resource(f"api-{n}", {"serverType": "cx32", "labels": LABELS, "placementGroupId": 1})
        for n in (1, 2)
    ]
    reported = []
    tier1.validate(StackValidationArgs(servers, config={}), lambda m, urn=None: reported.append(m))
    assert reported == []
