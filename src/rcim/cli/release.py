"""rcim release notes: what a range of commits brings, grouped by change record."""

from __future__ import annotations

from typing import Annotated

import typer

from rcim.changes.records import load_all_changes
from rcim.cli.context import FormatOption, OutputFormat, globals_of
from rcim.cli.output import print_json, print_plain
from rcim.gitscan import DEFAULT_TRAILER_KEY, resolve_commit, scan_range
from rcim.program import load_program
from rcim.release.notes import notes_json, notes_markdown, release_notes

app = typer.Typer(help="Release management: notes of what a release brings.", no_args_is_help=True)


@app.command("notes")
def notes_command(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option("--from", help="Start ref, excluded (default: the beginning).")
    ] = None,
    until: Annotated[str, typer.Option("--to", help="End ref, included.")] = "HEAD",
    output_format: FormatOption = None,
) -> None:
    """Group the commits of FROM..TO by change record (Markdown by default, or JSON)."""
    options = globals_of(ctx)
    program = load_program(options.program_dir())
    policy = program.policy
    key = policy.trailer_key if policy else DEFAULT_TRAILER_KEY
    until_sha = resolve_commit(program.root, until)
    since_sha = resolve_commit(program.root, since) if since else None
    commits = scan_range(program.root, since_sha, until_sha, with_paths=True, trailer_key=key)
    templates = policy.standard_changes if policy else ()
    notes = release_notes(
        commits, load_all_changes(program.root), templates, since=since_sha, until=until_sha
    )
    if options.output_format(output_format) is OutputFormat.json:
        print_json(notes_json(notes))
    else:
        print_plain(notes_markdown(notes))
