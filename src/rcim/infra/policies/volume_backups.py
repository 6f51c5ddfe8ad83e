"""Data volumes of services with a recovery point objective (RPO) are backed up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.infra.policies.base import Finding, Policy

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from rcim.infra.policies.base import PolicyContext
    from rcim.infra.resources import Assessed

NO_RPO = "none"


def check(resources: Sequence[Assessed], context: PolicyContext) -> Iterator[Finding]:
    servers = {item.resource.id: item for item in resources if item.facts.kind == "server"}
    for item in resources:
        labels = item.facts.labels or {}
        rpo = labels.get("rpo", NO_RPO)
        if item.facts.kind != "volume" or rpo == NO_RPO:
            continue
        service = labels.get("service", "?")
        if not item.facts.backups:
            yield Finding(
                item.label,
                f"service {service} has an RPO of {rpo} but this data volume has no backups",
                f"remove 'backups: false' for {service} from infra/Pulumi.{context.env}.yaml",
            )
        server = servers.get(item.facts.attached_to or "")
        if server is not None and not server.facts.backups:
            yield Finding(
                server.label,
                f"holds a data volume of {service} (RPO {rpo}) but its backups are off",
                f"switch backups on for {server.resource.name}",
            )


POLICY = Policy(
    name="volume-backups",
    description="Data volumes of services with an RPO have backups.",
    level="mandatory",
    check=check,
)
