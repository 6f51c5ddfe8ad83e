"""In production, no firewall rule opens SSH or an admin port to the whole internet."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from rcim.infra.policies.base import Finding, Policy

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from rcim.infra.policies.base import PolicyContext
    from rcim.infra.resources import Assessed, IngressRule

ADMIN_PORTS = {
    22: "SSH",
    2375: "Docker API",
    2376: "Docker API (TLS)",
    3306: "MySQL",
    3389: "RDP",
    5432: "PostgreSQL",
    5900: "VNC",
    6379: "Redis",
    9090: "Prometheus",
    9093: "Alertmanager",
    9100: "node exporter",
    10250: "kubelet",
}


def check(resources: Sequence[Assessed], context: PolicyContext) -> Iterator[Finding]:
    if not context.production:
        return
    for item in resources:
        for rule in item.facts.ingress:
            if not _from_world(rule) or rule.ports is None:
                continue
            low, high = rule.ports
            for port, name in sorted(ADMIN_PORTS.items()):
                if low <= port <= high:
                    yield Finding(
                        item.label,
                        f"{name} port {port}/{rule.protocol} is open to the world",
                        "restrict the rule's sources to admin_cidrs (an office or VPN range) "
                        f"in infra/Pulumi.{context.env}.yaml",
                    )


def _from_world(rule: IngressRule) -> bool:
    for source in rule.sources:
        try:
            if ipaddress.ip_network(source, strict=False).prefixlen == 0:
                return True
        except ValueError:
            return True  # an unreadable source cannot be shown to be narrow
    return False


POLICY = Policy(
    name="admin-ports-closed",
    description="No firewall rule opens SSH or admin ports to the world in production.",
    level="mandatory",
    check=check,
)
