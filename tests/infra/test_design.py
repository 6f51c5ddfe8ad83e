"""The platform design computed from the catalog (pure, no Pulumi)."""

from __future__ import annotations

import pytest
from infra_support import EXAMPLE

from rcim.errors import InvalidInputError
from rcim.infra.design import design_platform
from rcim.infra.labels import REQUIRED_LABELS, sanitise_label
from rcim.infra.settings import ServiceSettings, StackSettings
from rcim.program.loader import load_program


@pytest.fixture(scope="module")
def program():
    return load_program(EXAMPLE)


def test_every_host_entry_becomes_one_server(program):
    design = design_platform(program, "production", StackSettings(), "CHG-1")
    by_service = {d.service: len(d.servers) for d in design.services}
    assert by_service == {
        "booking-web": 2,
        "records-archive": 1,
        "shipment-tracking": 3,
        "vpn-gateway": 2,
    }
    staging = design_platform(program, "staging", StackSettings(), None)
    assert {d.service for d in staging.services} == {
        "booking-web",
        "records-archive",
        "shipment-tracking",
    }


def test_tier1_in_production_is_spread_and_staging_is_not(program):
    production = design_platform(program, "production", StackSettings(), None)
    spread = {d.service for d in production.services if d.placement is not None}
    assert spread == {"shipment-tracking", "vpn-gateway"}
    staging = design_platform(program, "staging", StackSettings(), None)
    assert all(d.placement is None for d in staging.services)


def test_backups_follow_the_rpo_and_can_be_switched_off(program):
    design = design_platform(program, "production", StackSettings(), None)
    volumes = {v.name: v for d in design.services for v in d.volumes}
    assert "production-vpn-1-data" not in volumes  # the VPN gateway has no RPO, so no data
    assert volumes["production-prd-track-1-data"].labels["rpo"] == "15m"
    assert all(v.backups and v.labels["backup"] == "on" for v in volumes.values())
    off = StackSettings(services={"shipment-tracking": ServiceSettings(backups=False)})
    changed = design_platform(program, "production", off, None)
    track = next(d for d in changed.services if d.service == "shipment-tracking")
    assert {v.labels["backup"] for v in track.volumes} == {"off"}
    assert not any(s.backups for s in track.servers)


def test_monitoring_is_a_spread_pair_in_production_only(program):
    production = design_platform(program, "production", StackSettings(), None)
    assert [s.name for s in production.monitoring.servers] == [
        "production-monitoring-1",
        "production-monitoring-2",
    ]
    assert production.monitoring.placement is not None
    assert production.monitoring.servers[0].labels["tier"] == "1"
    staging = design_platform(program, "staging", StackSettings(), None)
    assert len(staging.monitoring.servers) == 1


def test_labels_are_complete_and_carry_the_sanitised_change(program):
    design = design_platform(program, "production", StackSettings(), "CHG-2026-0042 (Hotfix)")
    for server in design.servers():
        assert set(REQUIRED_LABELS) <= set(server.labels)
        assert server.labels["change"] == "chg-2026-0042-hotfix"
    unset = design_platform(program, "production", StackSettings(), None)
    assert {s.labels["change"] for s in unset.servers()} == {"none"}
    assert design.network.labels["service"] == "platform"


def test_private_addresses_are_unique_and_skip_the_gateway(program):
    design = design_platform(program, "production", StackSettings(), None)
    addresses = [s.private_ip for s in design.servers()]
    assert len(set(addresses)) == len(addresses)
    assert "10.20.1.1" not in addresses


def test_admin_ports_default_to_the_private_network(program):
    design = design_platform(program, "production", StackSettings(), None)
    ssh = next(r for r in design.firewall.rules if r.port == "22")
    assert ssh.sources == ("10.20.0.0/16",)


def test_unknown_environment_is_rejected(program):
    with pytest.raises(InvalidInputError, match="unknown environment 'prod'"):
        design_platform(program, "prod", StackSettings(), None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("CHG-2026-0042", "chg-2026-0042"), ("  ", "none"), ("a/b c", "a-b-c"), ("x" * 80, "x" * 63)],
)
def test_sanitise_label(raw, expected):
    assert sanitise_label(raw) == expected
