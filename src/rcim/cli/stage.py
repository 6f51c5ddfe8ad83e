"""rcim stage record: store test-stage evidence for one exact commit."""

from __future__ import annotations

import getpass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rcim import clock
from rcim.cli.context import FormatOption, OutputFormat, globals_of
from rcim.cli.output import out, print_json, print_plain, warning_line
from rcim.errors import InvalidInputError, NotFoundError
from rcim.gitscan import existing_commits, repository_root, resolve_commit
from rcim.program import load_program
from rcim.program.loader import Program
from rcim.release.junit import parse_junit
from rcim.release.stages import StageRecord, check_stage_name, record_stage
from rcim.store import open_store

app = typer.Typer(
    help="Test-stage evidence: what each test stage proved for a commit.", no_args_is_help=True
)


class StatusChoice(StrEnum):
    passed = "passed"
    failed = "failed"


@app.command("record")
def record_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Stage name as listed in release/policy.yaml.")],
    commit: Annotated[
        str,
        typer.Option("--commit", help="Commit tested: SHA, short SHA or ref of the program repo."),
    ],
    more_reports: Annotated[
        list[Path] | None,
        typer.Argument(
            help="More JUnit files after --junit (so that a shell glob works).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    service: Annotated[
        str | None,
        typer.Option("--service", help="Service the stage tested (default: every service)."),
    ] = None,
    junit: Annotated[
        list[Path] | None,
        typer.Option("--junit", help="JUnit XML report (repeatable).", dir_okay=False),
    ] = None,
    status: Annotated[
        StatusChoice | None,
        typer.Option("--status", help="Record a result without reports."),
    ] = None,
    output_format: FormatOption = None,
) -> None:
    """Record a stage result from JUnit reports (zero tests run counts as failed) or a status.

    Exits 0 once recorded, even for a failed stage; bad input exits 2 and stores nothing.
    """
    options = globals_of(ctx)
    program_dir = options.program_dir()
    program = load_program(program_dir)
    check_stage_name(name)
    files = _report_files(junit, more_reports, status)
    _check_service(program, service)
    summaries = [parse_junit(path) for path in files] if files else None
    sha = _resolve(program_dir, commit)
    if not _stage_is_required(program, name):
        warning_line(f"stage '{name}' is not required by any environment in release/policy.yaml")
    source = f"junit: {', '.join(map(str, files))}" if files else "status: rcim stage record"
    with open_store(options.db_url()) as store, store.transaction() as session:
        record = record_stage(
            session,
            name=name,
            commit=sha,
            service=service,
            summaries=summaries,
            status=status.value if status else None,
            source=source,
            at=clock.now(),
            actor=_actor(),
        )
    _report(record, options.output_format(output_format))


def _report_files(
    junit: list[Path] | None, more: list[Path] | None, status: StatusChoice | None
) -> list[Path]:
    if more and not junit:
        names = ", ".join(map(str, more))
        raise InvalidInputError(f"unexpected arguments {names}: JUnit files follow --junit")
    files = [*(junit or []), *(more or [])]
    if bool(files) == (status is not None):
        raise InvalidInputError("give exactly one of --junit FILE... or --status passed|failed")
    return files


def _check_service(program: Program, service: str | None) -> None:
    if service is not None and service not in program.services:
        known = ", ".join(sorted(program.services)) or "none defined"
        raise NotFoundError(f"--service: unknown service '{service}' (known: {known})")


def _resolve(program_dir: Path, ref: str) -> str:
    """The full SHA ``ref`` names in the program's repository."""
    try:
        repository_root(program_dir)
    except InvalidInputError:
        if len(ref) == 40:  # no repository to look in: only a full SHA can be taken as is
            return ref.lower()
        raise InvalidInputError(
            f"--commit '{ref}': {program_dir} is not a git repository, give a full 40-hex SHA"
        ) from None
    sha = resolve_commit(program_dir, ref)
    if sha not in existing_commits(program_dir, [sha]):  # GitPython takes any full SHA on trust
        raise NotFoundError(f"{program_dir}: '{ref}' does not name a commit")
    return sha


def _stage_is_required(program: Program, name: str) -> bool:
    if program.policy is None:
        return True
    environments = program.policy.environments.values()
    return any(name in env.required_stages for env in environments)


def _actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "rcim"


def _report(record: StageRecord, fmt: OutputFormat) -> None:
    target = f" ({record.service})" if record.service else ""
    duration = f", {record.duration_seconds:.1f}s" if record.tests else ""
    summary = (
        f"recorded stage {record.name} at {record.commit[:12]}{target}: "
        f"{record.status} - {record.reason}{duration}"
    )
    if fmt is OutputFormat.json:
        print_json(record.to_json())
    elif fmt is OutputFormat.md:
        print_plain(f"**{summary}**")
    else:
        out.print(summary, markup=False)
