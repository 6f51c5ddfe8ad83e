"""Fixtures for the decide tests: decision tables written as real YAML files and loaded."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from rcim.decide import load_table

if TYPE_CHECKING:
    from collections.abc import Callable

    from rcim.decide import DecisionTable

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "decide"


@pytest.fixture
def write_table(tmp_path: Path) -> Callable[[str], Path]:
    """Write dedented YAML text to a fresh file and return its path."""
    counter = iter(range(1_000_000))

    def write(text: str) -> Path:
        path = tmp_path / f"table-{next(counter)}.yaml"
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture
def table_of(write_table: Callable[[str], Path]) -> Callable[[str], DecisionTable]:
    """Load YAML text through the real loader and checks."""

    def load(text: str) -> DecisionTable:
        return load_table(write_table(text))

    return load


@pytest.fixture
def docking() -> DecisionTable:
    return load_table(EXAMPLES / "docking-stations.yaml")


@pytest.fixture
def docking_budget() -> DecisionTable:
    return load_table(EXAMPLES / "docking-stations-budget.yaml")
