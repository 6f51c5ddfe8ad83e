"""rcim audit: verify and export the hash-chained audit log."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rcim.cli.context import FormatOption, OutputFormat, globals_of
from rcim.cli.output import out, print_json, print_plain
from rcim.errors import EXIT_FAILED, InvalidInputError
from rcim.store import AuditVerification, export_audit, open_store, verify_audit

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

app = typer.Typer(help="Verify and export the hash-chained audit log.", no_args_is_help=True)


@app.command("verify")
def verify_command(ctx: typer.Context, output_format: FormatOption = None) -> None:
    """Check that no audit entry was altered, deleted, reordered or inserted (exit 1 if so)."""
    options = globals_of(ctx)
    with open_store(options.db_url()) as store, store.transaction() as session:
        result = verify_audit(session)
    fmt = options.output_format(output_format)
    if fmt is OutputFormat.json:
        print_json(_as_json(result))
    elif fmt is OutputFormat.md:
        print_plain(f"**{_summary(result)}**")
    else:
        out.print(_summary(result), markup=False)
    if not result.ok:
        raise typer.Exit(EXIT_FAILED)


@app.command("export")
def export_command(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file instead of stdout.", dir_okay=False
        ),
    ] = None,
) -> None:
    """Write every audit entry as JSON Lines, oldest first, for archiving or outside checks."""
    with open_store(globals_of(ctx).db_url()) as store, store.transaction() as session:
        if output is None:
            export_audit(session, sys.stdout)
            sys.stdout.flush()
            return
        count = _export_to_file(session, output)
    noun = "entry" if count == 1 else "entries"
    out.print(f"exported {count} audit {noun} to {output}", markup=False)


def _export_to_file(session: Session, output: Path) -> int:
    try:
        with output.open("w", encoding="utf-8") as stream:
            return export_audit(session, stream)
    except OSError as error:
        raise InvalidInputError(f"{output}: cannot write: {error.strerror or error}") from None


def _summary(result: AuditVerification) -> str:
    if result.ok:
        count = result.entries_checked
        return f"audit log intact: {count} {'entry' if count == 1 else 'entries'}"
    where = f"entry {result.first_bad_seq}" if result.first_bad_seq is not None else "the head"
    return f"audit log broken at {where}: {result.problem}"


def _as_json(result: AuditVerification) -> dict[str, object]:
    return {
        "ok": result.ok,
        "entries_checked": result.entries_checked,
        "first_bad_seq": result.first_bad_seq,
        "problem": result.problem,
    }
