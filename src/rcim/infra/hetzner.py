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
from rcim.infra.hcloud_facts import (
    FIREWALL,
    PACKAGE,
    SERVER,
    VOLUME,
    parse_port_range,
)

if TYPE_CHECKING:
    from rcim.infra.design import FirewallSpec, NetworkSpec, PlacementSpec, ServerSpec, VolumeSpec

__all__ = ["FIREWALL", "SERVER", "VOLUME", "HcloudAdapter", "parse_port_range"]


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
