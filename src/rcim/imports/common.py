"""What every history import shares: the context it checks against, and its outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rcim.errors import Problem

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from rcim.imports.lines import SourceFile

IMPORT_SOURCE = "import"
IMPORT_ACTOR = "import"


@dataclass(frozen=True)
class ImportContext:
    """What lines are checked against. ``None`` switches a check off (e.g. no program
    loaded, or no repository to look deployed commits up in)."""

    at: datetime
    actor: str = IMPORT_ACTOR
    services: frozenset[str] | None = None
    environments: frozenset[str] | None = None
    repo: Path | None = None


@dataclass(frozen=True)
class ImportResult:
    """How many records were written and how many were already there (same content)."""

    kind: str
    file: str
    sha256: str
    imported: int
    skipped: int
    warnings: tuple[str, ...] = field(default=())


def name_problems(
    source: SourceFile, line: int, service: str, env: str | None, context: ImportContext
) -> list[Problem]:
    """Unknown service or environment names, when the program is known."""
    problems: list[Problem] = []
    if context.services is not None and service not in context.services:
        known = ", ".join(sorted(context.services))
        problems.append(
            Problem(source.display, line, None, f"service: unknown service '{service}' ({known})")
        )
    if env is not None and context.environments is not None and env not in context.environments:
        known = ", ".join(sorted(context.environments))
        problems.append(
            Problem(source.display, line, None, f"env: unknown environment '{env}' ({known})")
        )
    return problems


def audit_payload(result: ImportResult) -> dict[str, object]:
    return {
        "file": result.file,
        "sha256": result.sha256,
        "count": result.imported,
        "skipped": result.skipped,
    }
