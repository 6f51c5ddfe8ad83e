"""Servers use only the server types the environment allows (cost and capacity control)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.infra.policies.base import Finding, Policy

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from rcim.infra.policies.base import PolicyContext
    from rcim.infra.resources import Assessed


def check(resources: Sequence[Assessed], context: PolicyContext) -> Iterator[Finding]:
    allowed = ", ".join(context.allowed_server_types)
    for item in resources:
        server_type = item.facts.server_type
        if item.facts.kind == "server" and server_type not in context.allowed_server_types:
            yield Finding(
                item.label,
                f"server type {server_type} is not allowed in {context.env} (allowed: {allowed})",
                f"use one of {allowed}, or add {server_type} to allowed_server_types in "
                f"infra/Pulumi.{context.env}.yaml",
            )


POLICY = Policy(
    name="allowed-server-types",
    description="Servers use the server types allowed in their environment.",
    level="advisory",
    check=check,
)
