"""rcim monitoring: generate SLO rules and Alertmanager routing, verify them, import OpenSLO."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from rcim.cli.context import FormatOption, OutputFormat, globals_of
from rcim.cli.output import out, print_json, print_plain, warning_line
from rcim.errors import EXIT_FAILED
from rcim.monitoring import (
    DEFAULT_DIR,
    FileChange,
    ImportedSlo,
    VerifyReport,
    compare_plan,
    import_openslo,
    plan_monitoring,
    verify_monitoring,
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
    output_format: FormatOption = None,
) -> None:
    """Print the SLOs of OpenSLO documents as slos: entries for services/<service>.yaml."""
    imported = import_openslo(files)
    if globals_of(ctx).output_format(output_format) is OutputFormat.json:
        print_json(
            [{"service": i.service, "source": i.source, "slo": _slo_data(i)} for i in imported]
        )
        return
    print_plain(_slos_yaml(imported))


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


def _slo_data(imported: ImportedSlo) -> dict[str, Any]:
    return imported.slo.model_dump(mode="json", exclude_defaults=True)


def _slos_yaml(imported: list[ImportedSlo]) -> str:
    by_service: dict[str, list[dict[str, Any]]] = {}
    for item in imported:
        by_service.setdefault(item.service, []).append(_slo_data(item))
    parts = [
        f"# services/{service}.yaml\n"
        + yaml.safe_dump({"slos": slos}, sort_keys=False, allow_unicode=True, width=1000)
        for service, slos in by_service.items()
    ]
    return "\n".join(parts) if parts else "# no SLO documents found\n"
