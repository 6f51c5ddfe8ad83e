"""``rcim infra plan``: run the platform program offline and check it against the policies.

The program runs in a child interpreter (``rcim.infra.mockrun``) under Pulumi's mock runtime:
no cloud credentials, no Pulumi CLI, and no global Pulumi state left in this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rcim.errors import ConfigError, InternalError, InvalidInputError, Problem
from rcim.infra.adapters import describe
from rcim.infra.policies import PolicyContext, evaluate_policies
from rcim.infra.resources import Assessed, PlannedResource
from rcim.infra.settings import infra_dir, load_project, load_stack, require_environment

if TYPE_CHECKING:
    from pathlib import Path

    from rcim.infra.policies import Violation
    from rcim.infra.settings import StackFile
    from rcim.program.loader import Program

PLAN_TIMEOUT_SECONDS = 300
CHANGE_ENV = "RCIM_CHANGE_ID"


@dataclass(frozen=True)
class InfraPlan:
    """What the program would create in one environment, and what the policies say."""

    env: str
    project: str
    change: str | None
    resources: tuple[Assessed, ...]
    outputs: dict[str, Any]
    violations: tuple[Violation, ...]

    @property
    def mandatory_violations(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.level == "mandatory")

    @property
    def passed(self) -> bool:
        return not self.mandatory_violations


def plan_environment(program: Program, env: str, *, change: str | None) -> InfraPlan:
    """Run the program of ``program``'s ``infra/`` for ``env`` offline and evaluate policies."""
    environment = require_environment(program, env)
    stack = load_stack(program, env)
    recording = run_offline(program_main(program.root), stack, change=change)
    resources = tuple(_assessed(item) for item in recording["resources"])
    resources = tuple(sorted(resources, key=lambda a: (a.resource.type, a.resource.name)))
    context = PolicyContext(env, environment.production, stack.settings.allowed_server_types)
    return InfraPlan(
        env=env,
        project=stack.project,
        change=change,
        resources=resources,
        outputs=recording["outputs"],
        violations=evaluate_policies(resources, context, stack.settings.policies),
    )


def program_main(program_root: Path) -> Path:
    """The program Pulumi would run: ``main`` from ``Pulumi.yaml``, else ``__main__.py``."""
    infra = infra_dir(program_root)
    project = load_project(infra)
    main = infra / project.main if project.main else infra / "__main__.py"
    if main.is_dir():
        main = main / "__main__.py"
    if not main.is_file():
        raise ConfigError([Problem(str(main), None, None, "Pulumi program not found")])
    return main


def run_offline(main: Path, stack: StackFile, *, change: str | None) -> dict[str, Any]:
    """Run ``main`` under the mock runtime in a fresh interpreter; return its recording."""
    request = {
        "main": str(main.absolute()),
        "project": stack.project,
        "stack": stack.env,
        "config": {key: _config_text(value) for key, value in stack.config.items()},
    }
    env = {key: value for key, value in os.environ.items() if key != CHANGE_ENV}
    if change:
        env[CHANGE_ENV] = change
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "rcim.infra.mockrun"],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            cwd=main.parent,
            env=env,
            timeout=PLAN_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise InternalError(
            f"{main}: offline plan did not finish within {PLAN_TIMEOUT_SECONDS}s"
        ) from None
    return _recording(proc, main)


def _recording(proc: subprocess.CompletedProcess[str], main: Path) -> dict[str, Any]:
    try:
        result: dict[str, Any] = json.loads(proc.stdout)
    except json.JSONDecodeError:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise InternalError(f"{main}: offline plan runner failed: {last}") from None
    if "error" in result:
        raise InvalidInputError(f"infra program failed: {result['error']}")
    return result


def _config_text(value: Any) -> str:  # noqa: ANN401 - YAML config value
    """Pulumi hands config to programs as strings; structured values travel as JSON."""
    return value if isinstance(value, str) else json.dumps(value)


def _assessed(item: dict[str, Any]) -> Assessed:
    resource = PlannedResource(
        type=str(item["type"]),
        name=str(item["name"]),
        id=str(item["id"]),
        custom=bool(item["custom"]),
        inputs=dict(item["inputs"]),
    )
    return Assessed(resource, describe(resource.type, resource.inputs, custom=resource.custom))
