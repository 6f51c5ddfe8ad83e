"""A summary of a loaded program, as plain data for text, JSON and Markdown reports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rcim.program.loader import Program
    from rcim.program.service import Service


def summarize(program: Program) -> dict[str, Any]:
    """What ``rcim check`` reports: the organization, environments, services and people."""
    config = program.config
    calendar = program.calendar
    return {
        "program": str(program.root),
        "organization": config.organization.name,
        "timezone": config.organization.timezone,
        "environments": [
            {"name": env.name, "production": env.production} for env in config.environments
        ],
        "services": [_service(service) for _, service in sorted(program.services.items())],
        "teams": [{"id": t.id, "name": t.name, "level": t.level} for t in config.teams],
        "people": [{"id": p.id, "name": p.name, "roles": list(p.roles)} for p in config.people],
        "policy": program.policy is not None,
        "freeze_windows": len(calendar.freezes) if calendar else 0,
    }


def _service(service: Service) -> dict[str, Any]:
    return {
        "name": service.name,
        "tier": service.tier,
        "owner": service.owner,
        "depends_on": list(service.depends_on),
        "hosts": {env: len(hosts) for env, hosts in service.hosts.items()},
        "slos": [slo.name for slo in service.slos],
    }
