"""Turning a service's hosts for one environment into deploy targets.

Three settings that the service model has no fields for yet are read from ``deploy.config``
and removed from the configuration the service receives: ``process_manager`` (ssh hosts:
``systemd``, the default, or ``pidfile``), ``remote_root`` (ssh hosts: where releases live,
default ``/srv/rcim/{service}/{env}/{host}``) and ``remote_python`` (default ``python3``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rcim.deploy.model import SshAccess, Target
from rcim.errors import InvalidInputError, NotFoundError
from rcim.program.service import LocalHost, SshHost

if TYPE_CHECKING:
    from rcim.program.loader import Program
    from rcim.program.service import DeploySpec, Service

RESERVED_KEYS = ("process_manager", "remote_root", "remote_python")
DEFAULT_REMOTE_ROOT = "/srv/rcim/{service}/{env}/{host}"
LOCAL_ADDRESS = "127.0.0.1"


@dataclass(frozen=True)
class Environment:
    """A service in one environment: what to deploy and where."""

    program_root: Path
    service: Service
    env: str
    spec: DeploySpec
    targets: tuple[Target, ...]

    @property
    def rcim_dir(self) -> Path:
        return self.program_root / ".rcim"


def resolve_environment(program: Program, service_name: str, env: str) -> Environment:
    """The targets of ``service_name`` in ``env``; unknown names are bad input (exit 2)."""
    service = program.services.get(service_name)
    if service is None:
        known = ", ".join(sorted(program.services)) or "none"
        raise NotFoundError(f"--service: unknown service '{service_name}' (known: {known})")
    if env not in program.environment_names:
        known = ", ".join(program.environment_names)
        raise NotFoundError(f"--env: unknown environment '{env}' (known: {known})")
    where = program.service_files[service_name]
    if service.deploy is None:
        raise InvalidInputError(f"{where}: service '{service_name}' has no deploy: section")
    hosts = service.hosts.get(env, ())
    if not hosts:
        raise InvalidInputError(f"{where}: service '{service_name}' has no hosts in '{env}'")
    root = program.root.resolve()
    targets = tuple(_target(root, service, env, host) for host in hosts)
    return Environment(root, service, env, service.deploy, targets)


def service_config(spec: DeploySpec) -> dict[str, str | int | float | bool]:
    """``deploy.config`` without the keys rcim itself reads."""
    return {key: value for key, value in spec.config.items() if key not in RESERVED_KEYS}


def known_hosts_file(program_root: Path) -> Path:
    """rcim keeps its own known_hosts per program: first contact trusts, later ones verify."""
    return program_root / ".rcim" / "ssh" / "known_hosts"


def _target(root: Path, service: Service, env: str, host: LocalHost | SshHost) -> Target:
    unit = f"rcim-{service.name}-{env}"
    if isinstance(host, LocalHost):
        return Target(
            name=host.name,
            connector="local",
            port=host.port,
            root=str(root / ".rcim" / "hosts" / env / host.name),
            address=LOCAL_ADDRESS,
            python=sys.executable,
            process_manager="pidfile",
            unit=unit,
        )
    config = service.deploy.config if service.deploy else {}
    template = str(config.get("remote_root", DEFAULT_REMOTE_ROOT))
    return Target(
        name=host.name,
        connector="ssh",
        port=host.port,
        root=template.format(service=service.name, env=env, host=host.name),
        address=host.address,
        python=str(config.get("remote_python", "python3")),
        process_manager="pidfile" if config.get("process_manager") == "pidfile" else "systemd",
        unit=unit,
        ssh=SshAccess(
            address=host.address,
            user=host.ssh_user,
            port=host.ssh_port,
            key_file=_key_path(root, host.ssh_key_file),
            known_hosts_file=str(known_hosts_file(root)),
        ),
    )


def _key_path(root: Path, key_file: str | None) -> str | None:
    """Key files are named relative to the program (absolute and ``~`` paths stay as they are)."""
    if key_file is None:
        return None
    return str(root / Path(key_file).expanduser())
