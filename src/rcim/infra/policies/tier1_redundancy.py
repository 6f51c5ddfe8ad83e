"""Tier-1 services in production run on at least two hosts, spread across a placement group."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from rcim.infra.policies.base import Finding, Policy

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from rcim.infra.policies.base import PolicyContext
    from rcim.infra.resources import Assessed

MIN_HOSTS = 2


def check(resources: Sequence[Assessed], context: PolicyContext) -> Iterator[Finding]:
    if not context.production:
        return
    by_service: dict[str, list[Assessed]] = defaultdict(list)
    for item in resources:
        labels = item.facts.labels or {}
        if item.facts.kind == "server" and labels.get("tier") == "1":
            by_service[labels.get("service", "?")].append(item)
    for service, servers in sorted(by_service.items()):
        yield from _too_few(service, servers, context)
        yield from _not_spread(service, servers)


def _too_few(service: str, servers: list[Assessed], context: PolicyContext) -> Iterator[Finding]:
    if len(servers) < MIN_HOSTS:
        yield Finding(
            servers[0].label,
            f"tier-1 service {service} has {len(servers)} host(s) in {context.env}; "
            f"at least {MIN_HOSTS} are needed",
            f"add a host under hosts.{context.env} in services/{service}.yaml",
        )


def _not_spread(service: str, servers: list[Assessed]) -> Iterator[Finding]:
    for item in servers:
        if item.facts.placement_group is None:
            yield Finding(
                item.label,
                f"tier-1 service {service}: server is in no placement group, so one host "
                "failure may take several of its servers down",
                "create tier-1 servers through rcim.infra components (spread placement)",
            )


POLICY = Policy(
    name="tier1-redundancy",
    description="Tier-1 services have at least two hosts in production, spread apart.",
    level="mandatory",
    check=check,
)
