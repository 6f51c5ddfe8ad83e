"""The contract between the platform components and a cloud.

Components decide *what* an environment needs (from ``design.PlatformDesign``); an adapter
decides *how* one cloud provides it. Adding a cloud means writing one adapter and registering
it in ``rcim.infra.adapters``; no component changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import pulumi

    from rcim.infra.design import (
        FirewallSpec,
        NetworkSpec,
        PlacementSpec,
        ServerSpec,
        VolumeSpec,
    )
    from rcim.infra.resources import ResourceFacts


@dataclass(frozen=True)
class Handle:
    """A created cloud resource and the ID other resources refer to it by."""

    resource: pulumi.Resource
    id: pulumi.Output[Any]


@dataclass(frozen=True)
class ServerHandle(Handle):
    public_address: pulumi.Output[str]


@dataclass(frozen=True)
class ServerLinks:
    """What a server joins on creation."""

    network: Handle
    firewall: Handle
    placement: Handle | None


class CloudAdapter(Protocol):
    """One cloud's way of creating the platform's building blocks."""

    package: str  # the type-token package its resources use, e.g. "hcloud"

    def network(self, spec: NetworkSpec, opts: pulumi.ResourceOptions) -> Handle: ...

    def firewall(self, spec: FirewallSpec, opts: pulumi.ResourceOptions) -> Handle: ...

    def placement_group(self, spec: PlacementSpec, opts: pulumi.ResourceOptions) -> Handle: ...

    def server(
        self, spec: ServerSpec, links: ServerLinks, opts: pulumi.ResourceOptions
    ) -> ServerHandle: ...

    def volume(
        self, spec: VolumeSpec, server: ServerHandle, opts: pulumi.ResourceOptions
    ) -> Handle: ...


class ResourceDescriber(Protocol):
    """Reads one cloud's resource inputs as provider-neutral facts (for policies), and says
    what the cloud would compute for a resource (for offline plans)."""

    package: str

    def describe(self, type_token: str, inputs: dict[str, Any]) -> ResourceFacts: ...

    def simulated_state(
        self, type_token: str, name: str, inputs: dict[str, Any], serial: int
    ) -> dict[str, Any]: ...
