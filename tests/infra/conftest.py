"""Fixtures for platform tests: the ABC example's offline plans, fresh program copies."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from infra_support import CHANGE, EXAMPLE, copy_example

from rcim.infra.plan import plan_environment
from rcim.program.loader import load_program

if TYPE_CHECKING:
    from pathlib import Path

    from rcim.infra.plan import InfraPlan


@pytest.fixture
def infra_program(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "abc")


@pytest.fixture(scope="session")
def example_plans() -> dict[str, InfraPlan]:
    """One offline plan per environment of the untouched example, computed once."""
    program = load_program(EXAMPLE)
    return {env: plan_environment(program, env, change=CHANGE) for env in program.environment_names}
