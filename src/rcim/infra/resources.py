"""Records of planned resources, and the provider-neutral facts that policies check.

A ``PlannedResource`` is what the Pulumi program registered (type token, logical name, inputs),
whether recorded by the offline mock run or handed over by CrossGuard. Policies never read
provider inputs directly: the adapter that owns the type token turns them into
``ResourceFacts``, so that a policy holds for every cloud rcim can provision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ResourceKind = Literal[
    "component", "network", "subnet", "firewall", "placement_group", "server", "volume", "other"
]


@dataclass(frozen=True)
class PlannedResource:
    """One resource the program registered."""

    type: str
    name: str
    id: str
    custom: bool
    inputs: dict[str, Any] = field(repr=False)


@dataclass(frozen=True)
class IngressRule:
    protocol: str
    ports: tuple[int, int] | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ResourceFacts:
    """What policies need to know about a resource, whatever the cloud."""

    kind: ResourceKind
    labels: dict[str, str] | None
    server_type: str | None = None
    backups: bool | None = None
    attached_to: str | None = None
    placement_group: str | None = None
    ingress: tuple[IngressRule, ...] = ()

    @property
    def labelled(self) -> bool:
        """Whether the resource type carries labels at all (subnets, for one, do not)."""
        return self.labels is not None


@dataclass(frozen=True)
class Assessed:
    """A planned resource together with its facts."""

    resource: PlannedResource
    facts: ResourceFacts

    @property
    def label(self) -> str:
        return f"{self.resource.type}::{self.resource.name}"


COMPONENT_FACTS = ResourceFacts(kind="component", labels=None)
OTHER_FACTS = ResourceFacts(kind="other", labels=None)
