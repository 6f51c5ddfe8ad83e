"""``rcim infra preview|up``: the real engine through ``pulumi.automation``.

State lives in a local file backend under ``<program>/.rcim/pulumi/`` unless
``PULUMI_BACKEND_URL`` is set. The Pulumi CLI must be on PATH; the program runs with this
interpreter (``PULUMI_PYTHON_CMD``) so that it can import rcim.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rcim.errors import CheckFailedError, ToolMissingError
from rcim.infra.settings import infra_dir, load_stack, require_environment

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from pulumi import automation as auto

    from rcim.program.loader import Program

INSTALL_HINT = (
    "curl -fsSL https://get.pulumi.com | sh  (or see https://www.pulumi.com/docs/install/)"
)
STATE_DIR = ".rcim/pulumi"


@dataclass(frozen=True)
class EngineResult:
    """What the engine reported: operation counts and, after ``up``, the stack outputs."""

    env: str
    operation: str
    changes: dict[str, int]
    outputs: dict[str, Any]


def require_pulumi_cli() -> str:
    path = shutil.which("pulumi")
    if path is None:
        raise ToolMissingError("pulumi", INSTALL_HINT)
    return path


def backend_url(program_root: Path) -> str:
    state = program_root.absolute() / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    return f"file://{state}"


def preview(program: Program, env: str, *, change: str | None) -> EngineResult:
    stack = _open_stack(program, env, change)
    try:
        result = stack.preview()
    except Exception as error:  # the automation API raises CommandError subclasses
        raise _engine_failed("preview", env, error) from None
    return EngineResult(env, "preview", _counts(result.change_summary), {})


def up(program: Program, env: str, *, change: str | None) -> EngineResult:
    stack = _open_stack(program, env, change)
    try:
        result = stack.up()
    except Exception as error:  # the automation API raises CommandError subclasses
        raise _engine_failed("up", env, error) from None
    changes = _counts(result.summary.resource_changes or {})
    outputs = {key: value.value for key, value in result.outputs.items()}
    return EngineResult(env, "up", changes, outputs)


def stack_outputs(program: Program, env: str) -> dict[str, Any]:
    stack = _open_stack(program, env, None)
    return {key: value.value for key, value in stack.outputs().items()}


def _open_stack(program: Program, env: str, change: str | None) -> auto.Stack:
    require_environment(program, env)
    require_pulumi_cli()
    load_stack(program, env)  # located errors before the engine sees the settings
    from pulumi import automation as auto  # imported late: it is only useful with the CLI

    env_vars = {
        "PULUMI_BACKEND_URL": os.environ.get("PULUMI_BACKEND_URL") or backend_url(program.root),
        "PULUMI_CONFIG_PASSPHRASE": os.environ.get("PULUMI_CONFIG_PASSPHRASE", ""),
        "PULUMI_PYTHON_CMD": sys.executable,
        "RCIM_CHANGE_ID": change or "",
    }
    return auto.create_or_select_stack(
        stack_name=env,
        work_dir=str(infra_dir(program.root)),
        opts=auto.LocalWorkspaceOptions(env_vars=env_vars),
    )


def _counts(summary: Mapping[Any, int]) -> dict[str, int]:
    """Operation counts keyed by the operation's name (the API keys them by an enum)."""
    return {str(getattr(op, "value", op)): count for op, count in summary.items()}


def _engine_failed(operation: str, env: str, error: Exception) -> CheckFailedError:
    lines = [line for line in str(error).splitlines() if line.strip()]
    detail = lines[-1] if lines else type(error).__name__
    return CheckFailedError(f"pulumi {operation} of {env} failed: {detail}")
