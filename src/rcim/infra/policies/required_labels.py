"""Every resource that can carry labels carries service, team, environment, tier and change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.infra.labels import REQUIRED_LABELS
from rcim.infra.policies.base import Finding, Policy

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from rcim.infra.policies.base import PolicyContext
    from rcim.infra.resources import Assessed


def check(resources: Sequence[Assessed], context: PolicyContext) -> Iterator[Finding]:
    for item in resources:
        labels = item.facts.labels
        if labels is None:
            continue
        missing = [key for key in REQUIRED_LABELS if not labels.get(key)]
        if missing:
            yield Finding(
                item.label,
                f"missing label(s) {', '.join(missing)}",
                "create the resource through rcim.infra components, or add the labels "
                f"{', '.join(missing)} to it",
            )


POLICY = Policy(
    name="required-labels",
    description="Resources are labelled with service, team, environment, tier and change.",
    level="mandatory",
    check=check,
)
