"""The example's Pulumi program run offline under Pulumi's mock runtime, per environment."""

from __future__ import annotations

import json
from collections import Counter

from infra_support import check_golden

from rcim.infra.labels import REQUIRED_LABELS
from rcim.infra.report import plan_as_json, plan_as_markdown, plan_as_text


def _of_kind(plan, kind):
    return [item for item in plan.resources if item.facts.kind == kind]


def test_production_resources_counts(example_plans):
    plan = example_plans["production"]
    kinds = Counter(item.facts.kind for item in plan.resources)
    # 8 catalog hosts + 2 monitoring hosts; volumes for the 6 hosts of services with an RPO
    assert kinds["server"] == 10
    assert kinds["volume"] == 6
    assert kinds["placement_group"] == 3
    assert kinds["network"] == 1
    assert kinds["firewall"] == 1
    assert kinds["subnet"] == 1
    assert plan.passed
    assert plan.violations == ()


def test_staging_resources_counts(example_plans):
    plan = example_plans["staging"]
    kinds = Counter(item.facts.kind for item in plan.resources)
    assert kinds["server"] == 5  # 4 catalog hosts (no VPN in staging) + 1 monitoring host
    assert kinds["volume"] == 4
    assert kinds["placement_group"] == 0
    assert plan.passed


def test_every_labelled_resource_has_the_standard_labels(example_plans):
    for plan in example_plans.values():
        labelled = [item for item in plan.resources if item.facts.labelled]
        assert labelled
        for item in labelled:
            assert set(REQUIRED_LABELS) <= set(item.facts.labels), item.label
            assert item.facts.labels["change"] == "chg-2026-0042"
            assert item.facts.labels["environment"] == plan.env


def test_tier1_production_servers_share_a_spread_group(example_plans):
    plan = example_plans["production"]
    groups = {item.resource.id: item.resource.name for item in _of_kind(plan, "placement_group")}
    for item in _of_kind(plan, "server"):
        group = groups.get(item.facts.placement_group or "")
        if item.facts.labels["tier"] == "1":
            assert group == f"production-{item.facts.labels['service']}-spread", item.label
        else:
            assert group is None, item.label


def test_data_volumes_are_backed_up_and_attached(example_plans):
    plan = example_plans["production"]
    servers = {item.resource.id: item for item in _of_kind(plan, "server")}
    for volume in _of_kind(plan, "volume"):
        assert volume.facts.backups, volume.label
        assert servers[volume.facts.attached_to].facts.backups


def test_outputs_give_every_host_an_address(example_plans):
    hosts = example_plans["production"].outputs["hosts"]
    assert hosts["vpn-1"]["connector"] == "ssh"
    assert hosts["vpn-1"]["address"].startswith("203.0.113.")
    assert hosts["prd-track-1"]["private_address"].startswith("10.30.1.")
    assert len(hosts) == 10


def test_production_plan_golden_text(example_plans):
    check_golden("plan-production.txt", plan_as_text(example_plans["production"]))


def test_production_plan_golden_markdown(example_plans):
    check_golden("plan-production.md", plan_as_markdown(example_plans["production"]))


def test_staging_plan_golden_json(example_plans):
    text = json.dumps(plan_as_json(example_plans["staging"]), indent=2, sort_keys=True) + "\n"
    check_golden("plan-staging.json", text)
