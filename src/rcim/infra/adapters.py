"""The registry of clouds: which adapter provisions, which describer reads its resources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.infra.hcloud_facts import HcloudDescriber
from rcim.infra.resources import COMPONENT_FACTS, OTHER_FACTS

if TYPE_CHECKING:
    from typing import Any

    from rcim.infra.adapter import CloudAdapter, ResourceDescriber
    from rcim.infra.resources import ResourceFacts

DEFAULT_CLOUD = "hcloud"
DESCRIBERS: dict[str, ResourceDescriber] = {"hcloud": HcloudDescriber()}


def adapter_for(cloud: str) -> type[CloudAdapter]:
    """The adapter class of ``cloud``; imported on use, since it loads the provider SDK."""
    if cloud == "hcloud":
        from rcim.infra.hetzner import HcloudAdapter

        return HcloudAdapter
    raise KeyError(cloud)


def describe(type_token: str, inputs: dict[str, Any], *, custom: bool) -> ResourceFacts:
    """Facts about any registered resource; components and unknown clouds carry none."""
    if not custom:
        return COMPONENT_FACTS
    describer = DESCRIBERS.get(type_token.split(":", 1)[0])
    return describer.describe(type_token, inputs) if describer else OTHER_FACTS


def simulated_state(
    type_token: str, name: str, inputs: dict[str, Any], serial: int
) -> dict[str, Any]:
    describer = DESCRIBERS.get(type_token.split(":", 1)[0])
    if describer is None:
        return dict(inputs)
    return describer.simulated_state(type_token, name, inputs, serial)
