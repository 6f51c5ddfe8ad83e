"""Every policy both ways: a compliant set of resources and a violating one."""

from __future__ import annotations

import pytest

from rcim.infra.adapters import describe
from rcim.infra.hetzner import FIREWALL, SERVER, VOLUME, parse_port_range
from rcim.infra.policies import POLICIES, PolicyContext, evaluate_policies
from rcim.infra.resources import Assessed, PlannedResource

PROD = PolicyContext("production", True, ("cx32", "cx42"))
STAGING = PolicyContext("staging", False, ("cx22",))
LABELS = {
    "service": "api",
    "team": "ops",
    "environment": "production",
    "tier": "1",
    "change": "c-1",
}


def resource(type_token, name, inputs, rid=None):
    planned = PlannedResource(type_token, name, rid or name, True, inputs)
    return Assessed(planned, describe(type_token, inputs, custom=True))


def server(name, *, tier="1", service="api", server_type="cx32", backups=True, group=7.0):
    inputs = {
        "serverType": server_type,
        "backups": backups,
        "labels": {**LABELS, "tier": tier, "service": service},
    }
    if group is not None:
        inputs["placementGroupId"] = group
    return resource(SERVER, name, inputs, rid=f"id-{name}")


def volume(name, server_name, *, rpo="1h", backup="on"):
    labels = {**LABELS, "rpo": rpo, "backup": backup}
    return resource(VOLUME, name, {"serverId": f"id-{server_name}", "labels": labels})


def firewall(port, sources):
    rule = {"direction": "in", "protocol": "tcp", "port": port, "sourceIps": sources}
    return resource(FIREWALL, "fw", {"rules": [rule], "labels": LABELS})


def findings(policy, resources, context=PROD):
    return list(POLICIES[policy].check(resources, context))


def test_required_labels_both_ways():
    assert findings("required-labels", [server("a"), server("b")]) == []
    bare = resource(SERVER, "bare", {"serverType": "cx32", "labels": {"service": "api"}})
    (found,) = findings("required-labels", [bare])
    assert found.resource == f"{SERVER}::bare"
    assert "team, environment, tier, change" in found.message


def test_tier1_redundancy_both_ways():
    assert findings("tier1-redundancy", [server("a"), server("b")]) == []
    (found,) = findings("tier1-redundancy", [server("a"), server("w", tier="2", service="web")])
    assert "at least 2" in found.message
    assert "hosts.production" in found.fix
    unspread = findings("tier1-redundancy", [server("a"), server("b", group=None)])
    assert [f.resource for f in unspread] == [f"{SERVER}::b"]
    assert findings("tier1-redundancy", [server("a")], STAGING) == []


def test_volume_backups_both_ways():
    ok = [server("a"), volume("a-data", "a"), volume("x", "a", rpo="none", backup="off")]
    assert findings("volume-backups", ok) == []
    bad = [server("a", backups=False), volume("a-data", "a", backup="off")]
    messages = [f.message for f in findings("volume-backups", bad)]
    assert messages == [
        "service api has an RPO of 1h but this data volume has no backups",
        "holds a data volume of api (RPO 1h) but its backups are off",
    ]


@pytest.mark.parametrize("sources", [["0.0.0.0/0"], ["::/0"], ["10.0.0.0/8", "0.0.0.0/0"]])
def test_admin_ports_open_to_the_world_are_flagged(sources):
    (found,) = findings("admin-ports-closed", [firewall("22", sources)])
    assert "SSH port 22/tcp is open to the world" in found.message


def test_admin_ports_compliant_cases():
    assert findings("admin-ports-closed", [firewall("22", ["198.51.100.0/28"])]) == []
    assert findings("admin-ports-closed", [firewall("443", ["0.0.0.0/0"])]) == []
    assert findings("admin-ports-closed", [firewall("22", ["0.0.0.0/0"])], STAGING) == []
    wide = findings("admin-ports-closed", [firewall("1-65535", ["0.0.0.0/0"])])
    assert len(wide) == 12  # every admin port the range covers


def test_allowed_server_types_both_ways():
    assert findings("allowed-server-types", [server("a")]) == []
    (found,) = findings("allowed-server-types", [server("a", server_type="ccx63")])
    assert "ccx63 is not allowed in production (allowed: cx32, cx42)" in found.message


def test_levels_default_override_and_disable():
    bad = [server("a", server_type="ccx63"), server("b")]
    (violation,) = evaluate_policies(bad, PROD)
    assert (violation.policy, violation.level) == ("allowed-server-types", "advisory")
    (raised,) = evaluate_policies(bad, PROD, {"allowed-server-types": "mandatory"})
    assert raised.level == "mandatory"
    assert evaluate_policies(bad, PROD, {"allowed-server-types": "disabled"}) == ()


@pytest.mark.parametrize(
    ("port", "expected"),
    [("22", (22, 22)), ("80-443", (80, 443)), ("any", (1, 65535)), (None, None), ("x", (1, 65535))],
)
def test_parse_port_range(port, expected):
    assert parse_port_range(port) == expected
