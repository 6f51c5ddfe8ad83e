"""rcim import: backfill deployment and incident history from JSON Lines files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from rcim import clock
from rcim.cli.context import FormatOption, OutputFormat, globals_of
from rcim.cli.output import out, print_json, print_plain, warning_line
from rcim.errors import InvalidInputError
from rcim.gitscan import repository_root
from rcim.imports import ImportContext, ImportResult, import_deployments, import_incidents
from rcim.program import load_program
from rcim.store import open_store

app = typer.Typer(
    help="Backfill deployment and incident history from JSON Lines files (all or nothing).",
    no_args_is_help=True,
)

FileArgument = Annotated[
    Path,
    typer.Argument(
        help="JSON Lines file, one record per line (see docs/metrics.md).", dir_okay=False
    ),
]
RepoOption = Annotated[
    Path | None,
    typer.Option(
        "--repo",
        help="Git repository the deployed commits belong to (default: the program directory).",
        file_okay=False,
    ),
]
SHOWN_WARNINGS = 5


@app.command("deployments")
def deployments_command(
    ctx: typer.Context,
    file: FileArgument,
    repo: RepoOption = None,
    output_format: FormatOption = None,
) -> None:
    """Import deployments: service, env, version, commit, started_at, finished_at, result."""
    options = globals_of(ctx)
    context = _context(options.program_dir(), repo)
    with open_store(options.db_url()) as store:
        result = import_deployments(store, file, context)
    _report(result, options.output_format(output_format))


@app.command("incidents")
def incidents_command(
    ctx: typer.Context, file: FileArgument, output_format: FormatOption = None
) -> None:
    """Import incidents: id, service, priority, opened_at, resolved_at, impact, caused_by."""
    options = globals_of(ctx)
    context = _context(options.program_dir(), None)
    with open_store(options.db_url()) as store:
        result = import_incidents(store, file, context)
    _report(result, options.output_format(output_format))


def _context(program_dir: Path, repo: Path | None) -> ImportContext:
    program = load_program(program_dir)
    return ImportContext(
        at=clock.now(),
        services=frozenset(program.services),
        environments=frozenset(program.environment_names),
        repo=repo if repo is not None else _program_repo(program_dir),
    )


def _program_repo(program_dir: Path) -> Path | None:
    """The program directory when it is a git repository; commits are not checked if not."""
    try:
        return repository_root(program_dir)
    except InvalidInputError:
        return None


def _report(result: ImportResult, fmt: OutputFormat) -> None:
    for warning in result.warnings[:SHOWN_WARNINGS]:
        warning_line(escape(warning))
    if len(result.warnings) > SHOWN_WARNINGS:
        warning_line(f"... and {len(result.warnings) - SHOWN_WARNINGS} more unknown commits")
    summary = (
        f"imported {result.imported} {result.kind} from {result.file}; "
        f"{result.skipped} already in the store"
    )
    if fmt is OutputFormat.json:
        print_json(
            {
                "kind": result.kind,
                "file": result.file,
                "sha256": result.sha256,
                "imported": result.imported,
                "skipped": result.skipped,
                "warnings": list(result.warnings),
            }
        )
    elif fmt is OutputFormat.md:
        print_plain(f"**{summary}**")
    else:
        out.print(summary, markup=False)
