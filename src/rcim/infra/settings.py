"""The platform's stack settings: one structured key ``<project>:platform`` per stack file.

``infra/Pulumi.<env>.yaml`` holds what differs between environments (location, image, server
types and which of them are allowed, network ranges, who may reach admin ports, per-service
sizing). Every field has a default that suits a small EU company on Hetzner Cloud, so an
environment without a stack file still gets a sensible platform.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from rcim.errors import ConfigError, InvalidInputError, Problem
from rcim.infra.policies import POLICIES
from rcim.program.types import Frozen, Identifier
from rcim.program.validation import validate_model
from rcim.program.yamlsource import SourceMap, load_yaml, require_mapping

if TYPE_CHECKING:
    from pathlib import Path

    from rcim.program.loader import Program
    from rcim.program.organization import Environment
    from rcim.program.yamlsource import KeyPath

INFRA_DIR = "infra"
PROJECT_FILE = "Pulumi.yaml"
SETTINGS_KEY = "platform"
PolicyLevel = Literal["advisory", "mandatory", "disabled"]


def _check_network(value: str) -> str:
    try:
        ipaddress.ip_network(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a CIDR range like 10.20.0.0/16") from None
    return value


class ServiceSettings(Frozen):
    """Per-service overrides in one environment."""

    server_type: str | None = None
    volume_gb: int | None = Field(default=None, ge=10, le=10240)
    backups: bool = Field(default=True, description="Switch off only where no RPO applies.")
    public: bool = Field(default=False, description="Open the service's ports to the world.")


class StackSettings(Frozen):
    """The value of ``<project>:platform`` in ``Pulumi.<env>.yaml``."""

    location: str = "fsn1"
    image: str = "debian-12"
    server_type: str = "cx22"
    allowed_server_types: tuple[str, ...] = ("cx22", "cx32")
    network_range: str = "10.20.0.0/16"
    subnet_range: str = "10.20.1.0/24"
    network_zone: str = "eu-central"
    admin_cidrs: tuple[str, ...] = Field(
        default=(), description="Who may reach SSH and admin ports; empty: the private network."
    )
    volume_gb: int = Field(default=20, ge=10, le=10240)
    monitoring_server_type: str | None = None
    monitoring_owner: Identifier | None = None
    services: dict[str, ServiceSettings] = Field(default_factory=dict)
    policies: dict[str, PolicyLevel] = Field(default_factory=dict)

    @field_validator("network_range", "subnet_range")
    @classmethod
    def _is_network(cls, value: str) -> str:
        return _check_network(value)

    @field_validator("admin_cidrs")
    @classmethod
    def _are_networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_check_network(item) for item in value)

    @model_validator(mode="after")
    def _subnet_inside_network(self) -> StackSettings:
        subnet = ipaddress.ip_network(self.subnet_range)
        network = ipaddress.ip_network(self.network_range)
        if subnet.version != network.version or not subnet.subnet_of(network):  # type: ignore[arg-type]
            raise ValueError(f"subnet_range {subnet} is not inside network_range {network}")
        return self


class PulumiProject(BaseModel):
    """The few keys of ``Pulumi.yaml`` rcim reads; Pulumi owns the rest of the file."""

    model_config = ConfigDict(extra="allow", frozen=True)

    name: str
    main: str | None = None


@dataclass(frozen=True)
class StackFile:
    """One environment's stack: its settings plus the raw config the program is given."""

    project: str
    env: str
    settings: StackSettings
    config: dict[str, Any]
    path: Path | None


def require_environment(program: Program, env: str) -> Environment:
    """The environment named ``env`` in rcim.yaml; a stack exists only for those."""
    for environment in program.config.environments:
        if environment.name == env:
            return environment
    known = ", ".join(program.environment_names)
    raise InvalidInputError(f"--env: unknown environment '{env}' (known: {known})")


def infra_dir(program_root: Path) -> Path:
    return program_root / INFRA_DIR


def load_project(infra: Path) -> PulumiProject:
    """Read ``Pulumi.yaml``; a missing file is a located problem."""
    path = infra / PROJECT_FILE
    if not path.is_file():
        raise ConfigError([Problem(str(path), None, None, "Pulumi project file not found")])
    data, source = load_yaml(path, str(path))
    return validate_model(PulumiProject, require_mapping(data, source), source)


def load_stack(program: Program, env: str) -> StackFile:
    """Read and check ``infra/Pulumi.<env>.yaml`` (optional) against the catalog."""
    infra = infra_dir(program.root)
    project = load_project(infra).name
    path = infra / f"Pulumi.{env}.yaml"
    if not path.is_file():
        return StackFile(project, env, StackSettings(), {}, None)
    data, source = load_yaml(path, str(path))
    config = require_mapping(data, source).get("config") or {}
    if not isinstance(config, dict):
        raise ConfigError([source.problem(("config",), "config: expected a mapping")])
    key = f"{project}:{SETTINGS_KEY}"
    raw = config.get(key, {})
    settings = validate_model(StackSettings, raw, _shifted(source, ("config", key)))
    _check_names(settings, program, source, ("config", key))
    return StackFile(project, env, settings, _plain(config), path)


def _check_names(
    settings: StackSettings, program: Program, source: SourceMap, prefix: KeyPath
) -> None:
    """Service and policy names must exist: a misspelt name would silently change nothing."""
    problems = [
        source.problem(
            (*prefix, "services", name), f"services: unknown service '{name}'", at_key=True
        )
        for name in settings.services
        if name not in program.services
    ]
    problems += [
        source.problem(
            (*prefix, "policies", name),
            f"policies: unknown policy '{name}' (known: {', '.join(POLICIES)})",
            at_key=True,
        )
        for name in settings.policies
        if name not in POLICIES
    ]
    if problems:
        raise ConfigError(problems)


def _plain(value: Any) -> Any:  # noqa: ANN401 - YAML data
    """YAML data with tuples turned back into lists, as Pulumi's config would give them."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def _shifted(source: SourceMap, prefix: KeyPath) -> SourceMap:
    """The positions under ``prefix``, re-rooted there, so that problems found while validating
    a nested value still point into the stack file where that value sits."""
    size = len(prefix)
    return SourceMap(
        file=source.file,
        values={path[size:]: mark for path, mark in source.values.items() if path[:size] == prefix},
        keys={path[size:]: mark for path, mark in source.keys.items() if path[:size] == prefix},
    )
