"""``rcim infra inventory``: the pyinfra inventory of an environment's ``ssh`` hosts.

Addresses come from the stack outputs (``hosts.<name>.address``, written by the platform
program); SSH user, port and key, and the service port, come from the catalog. The result is
a pyinfra inventory *Python file* (pyinfra reads inventories as Python modules; JSON it does
not read): one list per service, each host a ``(name, data)`` pair with ``ssh_hostname``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from rcim.errors import ConfigError, InvalidInputError, Problem

if TYPE_CHECKING:
    from pathlib import Path

    from rcim.program.loader import Program


class HostOutput(BaseModel):
    """One entry of the ``hosts`` stack output; later fields may be added by newer programs."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    service: str
    address: str | None = None
    private_address: str | None = None


class StackOutputs(BaseModel):
    """The shape of ``pulumi stack output --json`` for a platform stack."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    hosts: dict[str, HostOutput]


@dataclass(frozen=True)
class InventoryHost:
    name: str
    service: str
    data: dict[str, Any]


def read_outputs_file(path: Path) -> StackOutputs:
    """Parse a ``pulumi stack output --json`` file; problems name ``file:line:col``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidInputError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError([Problem(str(path), error.lineno, error.colno, error.msg)]) from None
    return outputs_from(data, str(path))


def outputs_from(data: Any, where: str) -> StackOutputs:  # noqa: ANN401 - decoded JSON
    try:
        return StackOutputs.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        path = ".".join(str(part) for part in first["loc"])
        raise ConfigError([Problem(where, None, None, f"{path}: {first['msg']}")]) from None


def inventory_hosts(program: Program, env: str, outputs: StackOutputs) -> tuple[InventoryHost, ...]:
    """Every ``ssh`` host of ``env`` in the catalog, addressed as the stack outputs say."""
    hosts: list[InventoryHost] = []
    for service in sorted(program.services.values(), key=lambda s: s.name):
        for host in service.hosts.get(env, ()):
            if host.connector != "ssh":
                continue
            output = outputs.hosts.get(host.name)
            if output is None or not output.address:
                raise InvalidInputError(
                    f"stack outputs have no address for host {host.name} of {service.name} "
                    f"in {env}; run 'rcim infra up --env {env}' first"
                )
            data: dict[str, Any] = {
                "ssh_hostname": output.address,
                "ssh_user": host.ssh_user,
                "ssh_port": host.ssh_port,
            }
            if host.ssh_key_file:
                data["ssh_key"] = host.ssh_key_file
            data |= {"rcim_service": service.name, "rcim_env": env, "rcim_port": host.port}
            hosts.append(InventoryHost(host.name, service.name, data))
    return tuple(hosts)


def render_inventory(env: str, hosts: tuple[InventoryHost, ...]) -> str:
    """The inventory as a pyinfra Python module: one group (list) per service."""
    lines = [
        f'"""pyinfra inventory of the {env} environment; written by rcim infra inventory."""',
        "",
        "# Generated from the platform stack outputs and services/*.yaml; do not edit by hand.",
        "",
    ]
    for service in sorted({host.service for host in hosts}):
        lines.append(f"{_group_name(service)} = [")
        lines += [f"    ({h.name!r}, {h.data!r})," for h in hosts if h.service == service]
        lines += ["]", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _group_name(service: str) -> str:
    return service.replace("-", "_").replace(".", "_")
