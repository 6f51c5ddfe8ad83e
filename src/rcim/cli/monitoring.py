"""rcim monitoring: generate SLO rules and Alertmanager routing, verify them, import OpenSLO."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from rcim.cli.context import FormatOption, OutputFormat, globals_of
from rcim.cli.output import out, print_json, print_plain, warning_line
from rcim.errors import EXIT_FAILED
from rcim.monitoring import (
    DEFAULT_DIR,
    CatalogImport,
    FileChange,
    FileEdit,
    VerifyReport,
    compare_plan,
    import_openslo,
    plan_catalog_import,
    plan_monitoring,
    verify_monitoring,
    write_catalog_import,
    write_plan,
)
from rcim.program import load_program

app = typer.Typer(
    help="Generate and verify Prometheus SLO rules, Alertmanager routing and their tests.",
    no_args_is_help=True,
)


@app.command("generate")
def generate_command(
    ctx: typer.Context,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Output directory (default: <program>/monitoring).", file_okay=False
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if any file is out of date.")
    ] = False,
    output_format: FormatOption = None,
) -> None:
    """Write rules/, tests/, alertmanager.yml and routes-tests.yml from the program."""
    options = globals_of(ctx)
    program = load_program(options.program_dir())
    target = out_dir or program.root / DEFAULT_DIR
    plan = plan_monitoring(program)
    changes = compare_plan(plan, target) if check else write_plan(plan, target)
    stale = [c for c in changes if c.status != "unchanged"]
    fmt = options.output_format(output_format)
    if fmt is OutputFormat.json:
        print_json(_changes_json(target, changes, plan.notes, check=check))
    else:
        _print_changes(target, changes, check=check)
        for note in plan.notes:
            warning_line(note)
    if check and stale:
        raise typer.Exit(EXIT_FAILED)


@app.command("verify")
def verify_command(
    ctx: typer.Context,
    directory: Annotated[
        Path | None,
        typer.Option(
            "--dir", help="Directory to verify (default: <program>/monitoring).", file_okay=False
        ),
    ] = None,
    output_format: FormatOption = None,
) -> None:
    """Run promtool (rule syntax, rule unit tests) and amtool (config, routes tests)."""
    options = globals_of(ctx)
    target = directory or options.program_dir() / DEFAULT_DIR
    report = verify_monitoring(target)
    fmt = options.output_format(output_format)
    if fmt is OutputFormat.json:
        print_json(_report_json(report))
    elif fmt is OutputFormat.md:
        print_plain(_report_markdown(report))
    else:
        _print_report(report)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)


@app.command("import-openslo")
def import_openslo_command(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="OpenSLO v1 YAML files.", dir_okay=False)],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    output_format: FormatOption = None,
) -> None:
    """Write the SLOs and notification targets of OpenSLO documents into the program."""
    options = globals_of(ctx)
    program = load_program(options.program_dir())
    plan = plan_catalog_import(program, import_openslo(files))
    if not dry_run:
        write_catalog_import(plan)
    if options.output_format(output_format) is OutputFormat.json:
        print_json(_import_json(plan, dry_run=dry_run))
        return
    _print_import(plan, dry_run=dry_run)


def _print_changes(target: Path, changes: list[FileChange], *, check: bool) -> None:
    stale = [c for c in changes if c.status != "unchanged"]
    for change in stale:
        verb = f"would be {change.status}" if check else change.status
        out.print(f"  {change.path}: {verb}", markup=False)
    if check:
        state = "out of date" if stale else "up to date"
        out.print(f"{target}: {state} ({len(stale)} of {len(changes)} files differ)", markup=False)
    else:
        out.print(
            f"{target}: {len(stale)} files written, {len(changes) - len(stale)} unchanged",
            markup=False,
        )


def _changes_json(
    target: Path, changes: list[FileChange], notes: tuple[str, ...], *, check: bool
) -> dict[str, Any]:
    return {
        "directory": str(target),
        "check": check,
        "up_to_date": all(c.status == "unchanged" for c in changes),
        "files": [{"path": c.path, "status": c.status} for c in changes],
        "notes": list(notes),
    }


def _print_report(report: VerifyReport) -> None:
    for run in report.runs:
        mark = "[green]✓[/]" if run.ok else "[red]✗[/]"
        out.print(f"{mark} {run.check}")
        if not run.ok:
            out.print(run.output, markup=False)
    passed = sum(run.ok for run in report.runs)
    out.print(f"{report.directory}: {passed} of {len(report.runs)} checks passed", markup=False)


def _report_json(report: VerifyReport) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "directory": report.directory,
        "checks": [
            {"check": r.check, "ok": r.ok, "command": list(r.command), "output": r.output}
            for r in report.runs
        ],
    }


def _report_markdown(report: VerifyReport) -> str:
    lines = ["| check | result |", "|---|---|"]
    lines.extend(f"| {r.check} | {'pass' if r.ok else 'FAIL'} |" for r in report.runs)
    return "\n".join(lines) + "\n"


def _print_import(plan: CatalogImport, *, dry_run: bool) -> None:
    for change in plan.changes:
        verb = f"would be {change.action}" if dry_run and change.action != "unchanged" else ""
        out.print(
            f"{change.what}: {verb or change.action} in {change.file} (from {change.origin})",
            markup=False,
        )
    for problem in plan.unsupported:
        warning_line(escape(f"unsupported: {problem}"))
    if dry_run:
        for edit in plan.edits:
            print_plain(_diff(edit))
        out.print(f"dry run: {len(plan.edits)} files would change; nothing written", markup=False)
    else:
        out.print(f"{len(plan.edits)} files written", markup=False)


def _diff(edit: FileEdit) -> str:
    return "".join(
        difflib.unified_diff(
            edit.before.splitlines(keepends=True),
            edit.after.splitlines(keepends=True),
            fromfile=str(edit.path),
            tofile=str(edit.path),
        )
    )


def _import_json(plan: CatalogImport, *, dry_run: bool) -> dict[str, Any]:
    return {
        "dry_run": dry_run,
        "changes": [
            {"what": c.what, "action": c.action, "file": c.file, "from": c.origin}
            for c in plan.changes
        ],
        "files": [str(edit.path) for edit in plan.edits],
        "unsupported": [
            {"file": p.file, "line": p.line, "column": p.column, "message": p.message}
            for p in plan.unsupported
        ],
    }
