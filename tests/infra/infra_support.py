"""Helpers shared by the platform tests (importable as ``infra_support``)."""

from __future__ import annotations

import os
import shutil
from importlib import resources
from pathlib import Path

from rcim.program.scaffold import scaffold

EXAMPLE = Path(str(resources.files("rcim.examples").joinpath("abc")))
GOLDEN = Path(__file__).parent.parent / "golden" / "infra"
CHANGE = "CHG-2026-0042"


def copy_example(dest: Path) -> Path:
    """A fresh git repository holding the ABC example, Pulumi program included.

    ``rcim init`` skips files starting with ``__``, so the program's ``__main__.py`` is copied
    here explicitly (harmless once the scaffold copies it itself).
    """
    root = scaffold(dest, "abc").root
    shutil.copytree(EXAMPLE / "infra", root / "infra", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    return root


def check_golden(name: str, actual: str) -> None:
    """Compare with ``tests/golden/infra/<name>`` byte for byte; RCIM_UPDATE_GOLDEN=1 rewrites."""
    path = GOLDEN / name
    if os.environ.get("RCIM_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"{path} missing; run make golden"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"
