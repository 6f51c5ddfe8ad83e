"""Global options shared by every command, and helpers to read them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rcim.errors import InvalidInputError

PROGRAM_FILE = "rcim.yaml"


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    md = "md"


FormatOption = Annotated[
    OutputFormat | None,
    typer.Option("--format", "-f", help="Output format (overrides the global --format)."),
]


@dataclass(frozen=True)
class Globals:
    """What the root callback parsed; stored on the Click context as ``obj``."""

    program: Path | None
    db: str | None
    format: OutputFormat
    debug: bool

    def output_format(self, override: OutputFormat | None) -> OutputFormat:
        return override or self.format

    def program_dir(self) -> Path:
        """The program directory: --program, RCIM_PROGRAM, or the nearest parent with rcim.yaml."""
        if self.program is not None:
            return _existing_program(self.program)
        return find_program_dir(Path.cwd())

    def db_url(self) -> str:
        """The store URL: --db, RCIM_DB, or the SQLite file under the program's .rcim/."""
        if self.db:
            return self.db
        return default_db_url(self.program_dir())


def globals_of(ctx: typer.Context) -> Globals:
    root = ctx.find_root()
    obj = root.obj
    if not isinstance(obj, Globals):  # only when a command is invoked without the root app
        obj = Globals(program=None, db=None, format=OutputFormat.text, debug=False)
    return obj


def find_program_dir(start: Path) -> Path:
    for candidate in (start, *start.parents):
        if (candidate / PROGRAM_FILE).is_file():
            return candidate
    raise InvalidInputError(
        f"no {PROGRAM_FILE} in {start} or any parent directory; "
        "pass --program DIR, set RCIM_PROGRAM, or create one with 'rcim init DIR'"
    )


def default_db_url(program_dir: Path) -> str:
    return f"sqlite:///{program_dir.resolve() / '.rcim' / 'rcim.db'}"


def log_dir_for(program: Path | None) -> Path:
    """Where internal-error logs go: the program's .rcim/logs, else ./.rcim/logs."""
    env_program = os.environ.get("RCIM_PROGRAM")
    base = program or (Path(env_program) if env_program else None)
    if base is None:
        try:
            base = find_program_dir(Path.cwd())
        except InvalidInputError:
            base = Path.cwd()
    return base / ".rcim" / "logs"


def _existing_program(path: Path) -> Path:
    if not (path / PROGRAM_FILE).is_file():
        raise InvalidInputError(f"{path}: not an rcim program (no {PROGRAM_FILE} there)")
    return path
