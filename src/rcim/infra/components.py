"""The platform as Pulumi components: one per environment, one per service inside it.

The components realise a ``PlatformDesign`` through a ``CloudAdapter``; they make no decision
of their own (those live in ``design``) and name no cloud (those live in the adapters).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pulumi

from rcim.infra.adapter import ServerLinks

if TYPE_CHECKING:
    from rcim.infra.adapter import CloudAdapter, Handle, ServerHandle
    from rcim.infra.design import PlatformDesign, ServerSpec, ServiceDesign

ENVIRONMENT_TYPE = "rcim:platform:Environment"
SERVICE_TYPE = "rcim:platform:Service"


class ServicePlatform(pulumi.ComponentResource):
    """One service's hosts in one environment: servers, their data volumes and placement."""

    def __init__(
        self,
        name: str,
        design: ServiceDesign,
        network: Handle,
        firewall: Handle,
        adapter: CloudAdapter,
        opts: pulumi.ResourceOptions,
    ) -> None:
        super().__init__(SERVICE_TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        placement = adapter.placement_group(design.placement, child) if design.placement else None
        links = ServerLinks(network, firewall, placement)
        self.servers: dict[str, ServerHandle] = {
            spec.name: adapter.server(spec, links, child) for spec in design.servers
        }
        for volume in design.volumes:
            adapter.volume(volume, self.servers[volume.server], child)
        self.register_outputs({"servers": sorted(self.servers)})


class EnvironmentPlatform(pulumi.ComponentResource):
    """An environment's platform: private network, firewall, monitoring host, services."""

    def __init__(
        self,
        design: PlatformDesign,
        adapter: CloudAdapter,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(ENVIRONMENT_TYPE, design.env, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        network = adapter.network(design.network, child)
        firewall = adapter.firewall(design.firewall, child)
        servers: dict[str, ServerHandle] = {}
        for service in (*design.services, design.monitoring):
            name = f"{design.env}-{service.service}"
            component = ServicePlatform(name, service, network, firewall, adapter, child)
            servers.update(component.servers)
        self.hosts = {spec.host: host_output(spec, servers[spec.name]) for spec in design.servers()}
        self.register_outputs({"hosts": self.hosts})


def host_output(spec: ServerSpec, server: ServerHandle) -> dict[str, Any]:
    """One entry of the ``hosts`` stack output, read by ``rcim infra inventory``."""
    return {
        "service": spec.service,
        "connector": spec.connector,
        "server": spec.name,
        "address": server.public_address,
        "private_address": spec.private_ip,
        "port": spec.port,
    }
