"""Plan every monitoring file of a program, then compare the plan with a directory or write it.

Layout under the output directory (default ``<program>/monitoring/``):
``rules/<service>.yml`` (Prometheus rules), ``tests/<service>.yml`` (promtool tests),
``alertmanager.yml`` and ``routes-tests.yml`` (the amtool routes tests ``verify`` runs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rcim.errors import InvalidInputError
from rcim.monitoring.alertmanager import AlertmanagerPlan, alertmanager_plan
from rcim.monitoring.render import is_generated, to_yaml
from rcim.monitoring.rules import service_rule_groups
from rcim.monitoring.ruletests import service_rule_tests

if TYPE_CHECKING:
    from pathlib import Path

    from rcim.program.loader import Program

RULES_DIR = "rules"
TESTS_DIR = "tests"
ALERTMANAGER_FILE = "alertmanager.yml"
ROUTES_TESTS_FILE = "routes-tests.yml"
DEFAULT_DIR = "monitoring"

Status = Literal["created", "updated", "unchanged", "removed"]


@dataclass(frozen=True)
class GeneratedFile:
    path: str
    text: str


@dataclass(frozen=True)
class MonitoringPlan:
    files: tuple[GeneratedFile, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class FileChange:
    path: str
    status: Status


def plan_monitoring(program: Program) -> MonitoringPlan:
    """Every file ``generate`` writes, with its exact text; nothing touches the disk."""
    org = program.config.organization
    env = _production_env(program)
    files: list[GeneratedFile] = []
    for name in sorted(program.services):
        service = program.services[name]
        source = f"services/{_file_name(program, name)}"
        rules = service_rule_groups(service, org)
        files.append(GeneratedFile(f"{RULES_DIR}/{name}.yml", to_yaml(rules, source=source)))
        tests = service_rule_tests(service, org, rule_file=f"../{RULES_DIR}/{name}.yml", env=env)
        files.append(GeneratedFile(f"{TESTS_DIR}/{name}.yml", to_yaml(tests, source=source)))
    alertmanager = alertmanager_plan(program)
    files.extend(_alertmanager_files(alertmanager))
    return MonitoringPlan(tuple(files), alertmanager.notes)


def compare_plan(plan: MonitoringPlan, out: Path) -> list[FileChange]:
    """What writing ``plan`` into ``out`` would change (``unchanged`` entries included)."""
    changes = [FileChange(f.path, _status(out / f.path, f.text)) for f in plan.files]
    planned = {f.path for f in plan.files}
    changes.extend(FileChange(path, "removed") for path in _stale(out, planned))
    return changes


def write_plan(plan: MonitoringPlan, out: Path) -> list[FileChange]:
    """Write what changed, delete generated files no service produces any more."""
    changes = compare_plan(plan, out)
    texts = {f.path: f.text for f in plan.files}
    try:
        for change in changes:
            target = out / change.path
            if change.status in ("created", "updated"):
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(texts[change.path], encoding="utf-8")
            elif change.status == "removed":
                target.unlink()
    except OSError as error:
        raise InvalidInputError(f"{out}: cannot write: {error.strerror or error}") from None
    return changes


def _alertmanager_files(plan: AlertmanagerPlan) -> list[GeneratedFile]:
    source = "rcim.yaml and services/*.yaml"
    tests = {
        "tests": [
            {"name": t.name, "labels": dict(t.labels), "receivers": list(t.receivers)}
            for t in plan.route_tests
        ]
    }
    return [
        GeneratedFile(ALERTMANAGER_FILE, to_yaml(plan.config, source=source, notes=plan.notes)),
        GeneratedFile(ROUTES_TESTS_FILE, to_yaml(tests, source=source)),
    ]


def _status(path: Path, text: str) -> Status:
    if not path.is_file():
        return "created"
    try:
        current = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return "updated"
    return "unchanged" if current == text else "updated"


def _stale(out: Path, planned: set[str]) -> list[str]:
    """Generated files under rules/ and tests/ that no service produces; user files stay."""
    stale = []
    for folder in (RULES_DIR, TESTS_DIR):
        for path in sorted((out / folder).glob("*.yml")) if (out / folder).is_dir() else []:
            relative = f"{folder}/{path.name}"
            if relative not in planned and is_generated(_text_or_empty(path)):
                stale.append(relative)
    return stale


def _text_or_empty(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _production_env(program: Program) -> str:
    """Deployment-failure tests use the production environment (else the last one)."""
    production = [env.name for env in program.config.environments if env.production]
    return production[0] if production else program.environment_names[-1]


def _file_name(program: Program, service: str) -> str:
    return program.service_files[service].replace("\\", "/").rpartition("/")[2]
