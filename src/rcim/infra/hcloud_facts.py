"""What ``hcloud`` resources are, read from their inputs: no Pulumi needed.

Planning and policies only read facts, so they import this module and never load the
provider SDK; ``rcim.infra.hetzner`` creates the resources and imports Pulumi.
"""

from __future__ import annotations

from typing import Any

from rcim.infra.resources import COMPONENT_FACTS, OTHER_FACTS, IngressRule, ResourceFacts

PACKAGE = "hcloud"
NETWORK = "hcloud:index/network:Network"
SUBNET = "hcloud:index/networkSubnet:NetworkSubnet"
FIREWALL = "hcloud:index/firewall:Firewall"
PLACEMENT_GROUP = "hcloud:index/placementGroup:PlacementGroup"
SERVER = "hcloud:index/server:Server"
VOLUME = "hcloud:index/volume:Volume"
_MAX_PORT = 65535


class HcloudDescriber:
    """Reads ``hcloud`` inputs (as the engine sees them, camelCase) as neutral facts."""

    package = PACKAGE

    def describe(self, type_token: str, inputs: dict[str, Any]) -> ResourceFacts:
        labels = _labels(inputs)
        if type_token == NETWORK:
            return ResourceFacts(kind="network", labels=labels)
        if type_token == PLACEMENT_GROUP:
            return ResourceFacts(kind="placement_group", labels=labels)
        if type_token == SUBNET:
            return ResourceFacts(kind="subnet", labels=None)
        if type_token == FIREWALL:
            return ResourceFacts(kind="firewall", labels=labels, ingress=_ingress(inputs))
        if type_token == SERVER:
            return ResourceFacts(
                kind="server",
                labels=labels,
                server_type=_text(inputs.get("serverType")),
                backups=bool(inputs.get("backups", False)),
                placement_group=_ref(inputs.get("placementGroupId")),
            )
        if type_token == VOLUME:
            return ResourceFacts(
                kind="volume",
                labels=labels,
                backups=labels.get("backup") == "on",
                attached_to=_ref(inputs.get("serverId")),
            )
        return COMPONENT_FACTS if not type_token.startswith(f"{PACKAGE}:") else OTHER_FACTS

    def simulated_state(
        self, type_token: str, name: str, inputs: dict[str, Any], serial: int
    ) -> dict[str, Any]:
        """Inputs plus what Hetzner would assign, from documentation address ranges."""
        state = dict(inputs)
        if type_token == SERVER:
            state["ipv4Address"] = f"203.0.113.{serial % 254 + 1}"
            state["ipv6Address"] = f"2001:db8::{serial:x}"
            state["status"] = "running"
        if type_token == VOLUME:
            state["linuxDevice"] = f"/dev/disk/by-id/scsi-0HC_Volume_{serial}"
        return state


def _labels(inputs: dict[str, Any]) -> dict[str, str]:
    raw = inputs.get("labels") or {}
    return {str(key): str(value) for key, value in raw.items()} if isinstance(raw, dict) else {}


def _text(value: Any) -> str | None:  # noqa: ANN401 - an engine value
    return None if value is None else str(value)


def _ref(value: Any) -> str | None:  # noqa: ANN401 - IDs arrive as numbers or strings
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _ingress(inputs: dict[str, Any]) -> tuple[IngressRule, ...]:
    rules = inputs.get("rules") or []
    return tuple(
        IngressRule(
            protocol=str(rule.get("protocol", "")),
            ports=parse_port_range(rule.get("port")),
            sources=tuple(str(s) for s in rule.get("sourceIps") or ()),
        )
        for rule in rules
        if isinstance(rule, dict) and rule.get("direction") == "in"
    )


def parse_port_range(port: Any) -> tuple[int, int] | None:  # noqa: ANN401 - engine value
    """``"22"`` -> (22, 22); ``"80-443"`` -> (80, 443); ``"any"`` -> every port; None -> none."""
    if port is None:
        return None
    text = str(port).strip().lower()
    if text == "any":
        return (1, _MAX_PORT)
    low, _, high = text.partition("-")
    try:
        return (int(low), int(high or low))
    except ValueError:
        return (1, _MAX_PORT)  # unreadable ranges are treated as open, so policies fail closed
