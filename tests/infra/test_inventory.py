"""The pyinfra inventory of ssh hosts, from stack outputs."""

from __future__ import annotations

import json

import pytest
from infra_support import EXAMPLE, check_golden

from rcim.errors import ConfigError, InvalidInputError
from rcim.infra.inventory import inventory_hosts, outputs_from, read_outputs_file, render_inventory
from rcim.program.loader import load_program

OUTPUTS = {
    "environment": "production",
    "hosts": {
        "vpn-1": {"service": "vpn-gateway", "connector": "ssh", "address": "203.0.113.10"},
        "vpn-2": {"service": "vpn-gateway", "connector": "ssh", "address": "203.0.113.11"},
        "prd-web-1": {"service": "booking-web", "connector": "local", "address": "203.0.113.12"},
    },
}


def test_inventory_golden_and_loadable(tmp_path):
    program = load_program(EXAMPLE)
    hosts = inventory_hosts(program, "production", outputs_from(OUTPUTS, "outputs"))
    assert [h.name for h in hosts] == ["vpn-1", "vpn-2"]  # local hosts are not pyinfra ssh hosts
    text = render_inventory("production", hosts)
    check_golden("inventory-production.py.txt", text)
    namespace: dict[str, object] = {}
    exec(compile(text, "inventory.py", "exec"), namespace)
    assert namespace["vpn_gateway"] == [
        (
            "vpn-1",
            {
                "ssh_hostname": "203.0.113.10",
                "ssh_user": "deploy",
                "ssh_port": 22,
                "rcim_service": "vpn-gateway",
                "rcim_env": "production",
                "rcim_port": 443,
            },
        ),
        (
            "vpn-2",
            {
                "ssh_hostname": "203.0.113.11",
                "ssh_user": "deploy",
                "ssh_port": 22,
                "rcim_service": "vpn-gateway",
                "rcim_env": "production",
                "rcim_port": 443,
            },
        ),
    ]


def test_missing_address_is_reported():
    program = load_program(EXAMPLE)
    partial = {"hosts": {"vpn-1": OUTPUTS["hosts"]["vpn-1"]}}
    with pytest.raises(InvalidInputError, match="no address for host vpn-2"):
        inventory_hosts(program, "production", outputs_from(partial, "o"))


def test_malformed_outputs_file_is_located(tmp_path):
    path = tmp_path / "outputs.json"
    path.write_text('{"hosts": {\n  "vpn-1": }\n}')
    with pytest.raises(ConfigError, match=r":2:12: "):
        read_outputs_file(path)
    path.write_text(json.dumps({"hosts": []}))
    with pytest.raises(ConfigError, match="hosts"):
        read_outputs_file(path)
