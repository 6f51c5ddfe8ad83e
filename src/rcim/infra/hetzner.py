"""Hetzner Cloud through ``pulumi-hcloud``: the default adapter (EU data centres, small bill).

Hetzner Cloud has no backups of volumes, only daily backups of a server's own disk. A backed-up
data volume is therefore realised as: backups switched on for the server it is attached to,
and the labels ``backup=on`` and ``rpo=<target>`` on the volume, which a host-side backup job
(e.g. restic to a Storage Box) selects by. The backup policy checks those labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_hcloud as hcloud

from rcim.infra.adapter import Handle, ServerHandle, ServerLinks
from rcim.infra.resources import COMPONENT_FACTS, OTHER_FACTS, IngressRule, ResourceFacts

if TYPE_CHECKING:
    from rcim.infra.design import FirewallSpec, NetworkSpec, PlacementSpec, ServerSpec, VolumeSpec

PACKAGE = "hcloud"
NETWORK = "hcloud:index/network:Network"
SUBNET = "hcloud:index/networkSubnet:NetworkSubnet"
FIREWALL = "hcloud:index/firewall:Firewall"
PLACEMENT_GROUP = "hcloud:index/placementGroup:PlacementGroup"
SERVER = "hcloud:index/server:Server"
VOLUME = "hcloud:index/volume:Volume"
_MAX_PORT = 65535


def _as_int(value: Any) -> int:  # noqa: ANN401 - a provider ID of any shape
    return int(value)


class HcloudAdapter:
    """Creates the platform's building blocks as Hetzner Cloud resources."""

    package = PACKAGE

    def network(self, spec: NetworkSpec, opts: pulumi.ResourceOptions) -> Handle:
        network = hcloud.Network(
            spec.name, name=spec.name, ip_range=spec.ip_range, labels=spec.labels, opts=opts
        )
        network_id = network.id.apply(_as_int)
        subnet = hcloud.NetworkSubnet(
            f"{spec.name}-subnet",
            network_id=network_id,
            type="cloud",
            network_zone=spec.zone,
            ip_range=spec.subnet_range,
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(parent=network)),
        )
        return Handle(subnet, network_id)

    def firewall(self, spec: FirewallSpec, opts: pulumi.ResourceOptions) -> Handle:
        rules = [
            hcloud.FirewallRuleArgs(
                direction="in",
                protocol=rule.protocol,
                port=rule.port,
                source_ips=list(rule.sources),
                description=rule.description,
            )
            for rule in spec.rules
        ]
        firewall = hcloud.Firewall(
            spec.name, name=spec.name, rules=rules, labels=spec.labels, opts=opts
        )
        return Handle(firewall, firewall.id.apply(_as_int))

    def placement_group(self, spec: PlacementSpec, opts: pulumi.ResourceOptions) -> Handle:
        group = hcloud.PlacementGroup(
            spec.name, name=spec.name, type="spread", labels=spec.labels, opts=opts
        )
        return Handle(group, group.id.apply(_as_int))

    def server(
        self, spec: ServerSpec, links: ServerLinks, opts: pulumi.ResourceOptions
    ) -> ServerHandle:
        server = hcloud.Server(
            spec.name,
            name=spec.name,
            server_type=spec.server_type,
            image=spec.image,
            location=spec.location,
            backups=spec.backups,
            labels=spec.labels,
            firewall_ids=[links.firewall.id],
            networks=[hcloud.ServerNetworkArgs(network_id=links.network.id, ip=spec.private_ip)],
            placement_group_id=links.placement.id if links.placement else None,
            opts=pulumi.ResourceOptions.merge(
                opts, pulumi.ResourceOptions(depends_on=[links.network.resource])
            ),
        )
        return ServerHandle(server, server.id.apply(_as_int), server.ipv4_address)

    def volume(
        self, spec: VolumeSpec, server: ServerHandle, opts: pulumi.ResourceOptions
    ) -> Handle:
        volume = hcloud.Volume(
            spec.name,
            name=spec.name,
            size=spec.size_gb,
            server_id=server.id,
            automount=True,
            format="ext4",
            delete_protection=spec.backups,
            labels=spec.labels,
            opts=opts,
        )
        return Handle(volume, volume.id.apply(_as_int))


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
