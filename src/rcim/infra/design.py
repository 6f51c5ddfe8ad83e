"""What an environment's platform should contain, computed from the catalog (pure).

Rules, in one place so that the components only have to realise them:

- every host entry of a service in an environment becomes one server there, whatever its
  connector: ``local`` hosts are the embedded stand-in for the same fleet, so they count
  towards the fleet size that is provisioned;
- a service with a continuity RPO holds data: each of its servers gets a data volume, and
  backups are on (unless the stack settings switch them off, which the backup policy flags);
- tier-1 services in a production environment spread their servers over a placement group;
- monitoring hosts run Prometheus and Alertmanager: one per environment, labelled with the
  lowest tier of the environment's services because it must be as available as the most
  critical of them; so where that is tier 1 in production, two (an HA pair, spread apart);
- SSH and admin ports are reachable from ``admin_cidrs`` only (default: the private network);
  a service's own ports from the private network, or from the world when it is ``public``.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rcim.errors import InvalidInputError
from rcim.infra.labels import sanitise_label, standard_labels
from rcim.infra.settings import require_environment
from rcim.program.types import format_duration

if TYPE_CHECKING:
    from collections.abc import Iterator

    from rcim.infra.settings import ServiceSettings, StackSettings
    from rcim.program.loader import Program
    from rcim.program.organization import ProgramConfig
    from rcim.program.service import Service

WORLD = ("0.0.0.0/0", "::/0")
SSH_PORT = 22
PROMETHEUS_PORT = 9090
ALERTMANAGER_PORT = 9093
NODE_EXPORTER_PORT = 9100
PLATFORM_SERVICE = "platform"
MONITORING_SERVICE = "monitoring"
_FIRST_HOST_OFFSET = 2  # .1 is the subnet's gateway in Hetzner Cloud networks


@dataclass(frozen=True)
class FirewallRule:
    protocol: Literal["tcp", "udp", "icmp"]
    port: str | None
    sources: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class NetworkSpec:
    name: str
    ip_range: str
    subnet_range: str
    zone: str
    labels: dict[str, str]


@dataclass(frozen=True)
class FirewallSpec:
    name: str
    rules: tuple[FirewallRule, ...]
    labels: dict[str, str]


@dataclass(frozen=True)
class PlacementSpec:
    name: str
    labels: dict[str, str]


@dataclass(frozen=True)
class ServerSpec:
    name: str
    host: str
    service: str
    connector: str
    port: int | None
    server_type: str
    image: str
    location: str
    private_ip: str
    backups: bool
    labels: dict[str, str]


@dataclass(frozen=True)
class VolumeSpec:
    name: str
    server: str
    size_gb: int
    backups: bool
    labels: dict[str, str]


@dataclass(frozen=True)
class ServiceDesign:
    service: str
    placement: PlacementSpec | None
    servers: tuple[ServerSpec, ...]
    volumes: tuple[VolumeSpec, ...]


@dataclass(frozen=True)
class PlatformDesign:
    env: str
    production: bool
    network: NetworkSpec
    firewall: FirewallSpec
    monitoring: ServiceDesign
    services: tuple[ServiceDesign, ...]

    def servers(self) -> tuple[ServerSpec, ...]:
        return tuple(s for d in (*self.services, self.monitoring) for s in d.servers)


@dataclass(frozen=True)
class _Context:
    env: str
    production: bool
    settings: StackSettings
    change: str | None
    addresses: Iterator[str]


def design_platform(
    program: Program, env: str, settings: StackSettings, change: str | None
) -> PlatformDesign:
    """The platform of ``env``: network, firewall, monitoring host and each service's hosts."""
    environment = require_environment(program, env)
    services = [
        s for s in sorted(program.services.values(), key=lambda s: s.name) if s.hosts.get(env)
    ]
    context = _Context(env, environment.production, settings, change, _addresses(settings))
    owner = settings.monitoring_owner or _platform_team(program.config)
    top_tier = min((s.tier for s in services), default=1)
    env_labels = _labels(context, PLATFORM_SERVICE, owner, top_tier)
    designs = tuple(_service_design(context, service) for service in services)
    return PlatformDesign(
        env=env,
        production=environment.production,
        network=NetworkSpec(
            f"{env}-network",
            settings.network_range,
            settings.subnet_range,
            settings.network_zone,
            env_labels,
        ),
        firewall=FirewallSpec(
            f"{env}-firewall", _firewall_rules(settings, services, env), env_labels
        ),
        monitoring=_monitoring(context, owner, top_tier),
        services=designs,
    )


def _service_design(context: _Context, service: Service) -> ServiceDesign:
    overrides = context.settings.services.get(service.name)
    team = service.owner
    placement = None
    if context.production and service.tier == 1:
        labels = _labels(context, service.name, team, service.tier)
        placement = PlacementSpec(f"{context.env}-{service.name}-spread", labels)
    servers = tuple(
        _server(context, service, host.name, host.connector, host.port, overrides)
        for host in service.hosts[context.env]
    )
    volumes = tuple(
        _volume(context, service, server, overrides)
        for server in servers
        if _has_data(service, overrides)
    )
    return ServiceDesign(service.name, placement, servers, volumes)


def _server(
    context: _Context,
    service: Service,
    host: str,
    connector: str,
    port: int,
    overrides: ServiceSettings | None,
) -> ServerSpec:
    settings = context.settings
    return ServerSpec(
        name=f"{context.env}-{host}",
        host=host,
        service=service.name,
        connector=connector,
        port=port,
        server_type=(overrides and overrides.server_type) or settings.server_type,
        image=settings.image,
        location=settings.location,
        private_ip=_next_address(context),
        backups=_backups_on(service, overrides),
        labels=_labels(context, service.name, service.owner, service.tier),
    )


def _volume(
    context: _Context, service: Service, server: ServerSpec, overrides: ServiceSettings | None
) -> VolumeSpec:
    rpo = service.continuity.rpo if service.continuity else None
    backups = _backups_on(service, overrides)
    labels = {
        **server.labels,
        "rpo": format_duration(rpo) if rpo else "none",
        "backup": "on" if backups else "off",
    }
    size = (overrides and overrides.volume_gb) or context.settings.volume_gb
    return VolumeSpec(f"{server.name}-data", server.name, size, backups, labels)


def _monitoring(context: _Context, owner: str, tier: int) -> ServiceDesign:
    labels = _labels(context, MONITORING_SERVICE, owner, tier)
    paired = context.production and tier == 1
    placement = PlacementSpec(f"{context.env}-monitoring-spread", labels) if paired else None
    count = 2 if paired else 1
    servers = tuple(_monitoring_server(context, labels, n) for n in range(1, count + 1))
    return ServiceDesign(MONITORING_SERVICE, placement, servers, ())


def _monitoring_server(context: _Context, labels: dict[str, str], number: int) -> ServerSpec:
    settings = context.settings
    return ServerSpec(
        name=f"{context.env}-monitoring-{number}",
        host=f"{context.env}-monitoring-{number}",
        service=MONITORING_SERVICE,
        connector="ssh",
        port=None,
        server_type=settings.monitoring_server_type or settings.server_type,
        image=settings.image,
        location=settings.location,
        private_ip=_next_address(context),
        backups=False,
        labels=labels,
    )


def _firewall_rules(
    settings: StackSettings, services: list[Service], env: str
) -> tuple[FirewallRule, ...]:
    admin = settings.admin_cidrs or (settings.network_range,)
    private = (settings.network_range,)
    rules = [
        FirewallRule("icmp", None, WORLD, "ping"),
        FirewallRule("tcp", str(SSH_PORT), admin, "ssh"),
        FirewallRule("tcp", str(PROMETHEUS_PORT), admin, "prometheus"),
        FirewallRule("tcp", str(ALERTMANAGER_PORT), admin, "alertmanager"),
        FirewallRule("tcp", str(NODE_EXPORTER_PORT), private, "node exporter scrapes"),
    ]
    for service in services:
        overrides = settings.services.get(service.name)
        sources = WORLD if overrides and overrides.public else private
        for port in sorted({host.port for host in service.hosts[env]}):
            rules.append(FirewallRule("tcp", str(port), sources, service.name))
    return tuple(rules)


def _labels(context: _Context, service: str, team: str, tier: int) -> dict[str, str]:
    return standard_labels(
        service=service, team=team, environment=context.env, tier=tier, change=context.change
    )


def _has_data(service: Service, overrides: ServiceSettings | None) -> bool:
    has_rpo = service.continuity is not None and service.continuity.rpo is not None
    return has_rpo or bool(overrides and overrides.volume_gb)


def _backups_on(service: Service, overrides: ServiceSettings | None) -> bool:
    has_rpo = service.continuity is not None and service.continuity.rpo is not None
    return has_rpo and (overrides is None or overrides.backups)


def _platform_team(config: ProgramConfig) -> str:
    """The team that runs the platform: the first L2 team (the technical escalation level)."""
    for team in config.teams:
        if team.level == "L2":
            return team.id
    return config.teams[0].id if config.teams else sanitise_label(config.organization.name)


def _addresses(settings: StackSettings) -> Iterator[str]:
    subnet = ipaddress.ip_network(settings.subnet_range)
    for index, address in enumerate(subnet.hosts()):
        if index + 1 >= _FIRST_HOST_OFFSET:
            yield str(address)


def _next_address(context: _Context) -> str:
    address = next(context.addresses, None)
    if address is None:
        raise InvalidInputError(
            f"subnet_range {context.settings.subnet_range} has too few addresses for the "
            f"platform of {context.env}; choose a larger subnet"
        )
    return address
