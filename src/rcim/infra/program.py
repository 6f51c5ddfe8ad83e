"""The body of a platform's Pulumi program (``infra/__main__.py`` calls ``build_environment``).

The stack name is the environment; the catalog is the rcim program around ``infra/``; stack
settings come from ``<project>:platform`` in ``Pulumi.<env>.yaml``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pulumi

from rcim.infra.adapters import DEFAULT_CLOUD, adapter_for
from rcim.infra.components import EnvironmentPlatform
from rcim.infra.design import design_platform
from rcim.infra.settings import SETTINGS_KEY, StackSettings
from rcim.program.loader import load_program

if TYPE_CHECKING:
    from pathlib import Path

    from rcim.infra.adapter import CloudAdapter


def build_environment(
    program_root: Path, *, change: str | None, adapter: CloudAdapter | None = None
) -> EnvironmentPlatform:
    """Provision the current stack's environment and export each host's address."""
    env = pulumi.get_stack()
    settings = stack_settings(pulumi.Config())
    design = design_platform(load_program(program_root), env, settings, change)
    platform = EnvironmentPlatform(design, adapter or adapter_for(DEFAULT_CLOUD)())
    pulumi.export("environment", env)
    pulumi.export("hosts", platform.hosts)
    return platform


def stack_settings(config: pulumi.Config) -> StackSettings:
    """The ``platform`` settings object; JSON validation lets lists stand for tuples."""
    raw = config.get_object(SETTINGS_KEY) or {}
    return StackSettings.model_validate_json(json.dumps(raw))
