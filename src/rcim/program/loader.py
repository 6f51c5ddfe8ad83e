"""Loading a whole program directory into one immutable ``Program``.

Every file is parsed and validated before anything is reported, so a user sees all problems
of a program at once; cross-checks between files run only when every file is valid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from rcim.errors import ConfigError, Problem
from rcim.program.calendar import Calendar
from rcim.program.crosscheck import cross_check
from rcim.program.organization import ProgramConfig
from rcim.program.policy import Policy
from rcim.program.service import Service
from rcim.program.validation import validate_model
from rcim.program.yamlsource import load_yaml, require_mapping

if TYPE_CHECKING:
    from pathlib import Path

    from rcim.program.yamlsource import SourceMap

PROGRAM_FILE = "rcim.yaml"
SERVICES_DIR = "services"
POLICY_FILE = "release/policy.yaml"
CALENDAR_FILE = "release/calendar.yaml"

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class Program:
    """A validated program: the organization, its services, release policy and calendar."""

    root: Path
    config: ProgramConfig
    services: dict[str, Service]
    service_files: dict[str, str]
    policy: Policy | None
    calendar: Calendar | None
    sources: dict[str, SourceMap] = field(repr=False)

    @property
    def environment_names(self) -> tuple[str, ...]:
        return tuple(env.name for env in self.config.environments)

    def display(self, relative: str) -> str:
        return str(self.root / relative)


@dataclass
class _Collector:
    """Loads files one by one, keeping every problem instead of stopping at the first."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    sources: dict[str, SourceMap] = field(default_factory=dict)

    def load(self, relative: str, model: type[ModelT]) -> ModelT | None:
        display = str(self.root / relative)
        try:
            data, source = load_yaml(self.root / relative, display)
            self.sources[display] = source
            return validate_model(model, require_mapping(data, source), source)
        except ConfigError as error:
            self.problems.extend(error.problems)
            return None


def load_program(root: Path) -> Program:
    """Load and cross-check the program in ``root``; raise ``ConfigError`` listing every problem."""
    collector = _Collector(root)
    if not (root / PROGRAM_FILE).is_file():
        raise ConfigError([Problem(str(root / PROGRAM_FILE), None, None, "file not found")])
    config = collector.load(PROGRAM_FILE, ProgramConfig)
    services, service_files = _load_services(collector)
    policy = _load_optional(collector, POLICY_FILE, Policy)
    calendar = _load_optional(collector, CALENDAR_FILE, Calendar)
    if collector.problems or config is None:
        raise ConfigError(collector.problems)
    program = Program(
        root=root,
        config=config,
        services=services,
        service_files=service_files,
        policy=policy,
        calendar=calendar,
        sources=collector.sources,
    )
    problems = cross_check(program)
    if problems:
        raise ConfigError(problems)
    return program


def _load_services(collector: _Collector) -> tuple[dict[str, Service], dict[str, str]]:
    services: dict[str, Service] = {}
    files: dict[str, str] = {}
    folder = collector.root / SERVICES_DIR
    paths = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")) if folder.is_dir() else []
    for path in paths:
        relative = f"{SERVICES_DIR}/{path.name}"
        service = collector.load(relative, Service)
        if service is None:
            continue
        display = str(collector.root / relative)
        if service.name in services:
            first = files[service.name]
            collector.problems.append(
                collector.sources[display].problem(
                    ("name",), f"name: duplicate service name '{service.name}' (also in {first})"
                )
            )
            continue
        services[service.name] = service
        files[service.name] = display
    return services, files


def _load_optional(collector: _Collector, relative: str, model: type[ModelT]) -> ModelT | None:
    if not (collector.root / relative).exists():
        return None
    return collector.load(relative, model)


def read_only_model(path: Path, model: type[ModelT]) -> tuple[ModelT, SourceMap]:
    """Load one standalone YAML file (e.g. a decision table) as ``model``."""
    data, source = load_yaml(path, str(path))
    mapping: Any = require_mapping(data, source)
    return validate_model(model, mapping, source), source
