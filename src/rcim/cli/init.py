"""rcim init: start a new program repository."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rcim.cli.context import FormatOption, OutputFormat, globals_of
from rcim.cli.output import out, print_json
from rcim.program.scaffold import scaffold


def init_command(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="New or empty directory for the program.")],
    example: Annotated[
        str | None,
        typer.Option("--example", help="Write a worked example instead of a skeleton (abc)."),
    ] = None,
    output_format: FormatOption = None,
) -> None:
    """Write a new program (a commented skeleton, or --example abc) as a git repository."""
    result = scaffold(directory, example)
    fmt = globals_of(ctx).output_format(output_format)
    if fmt is OutputFormat.json:
        print_json(
            {"program": str(result.root), "files": list(result.files), "commit": result.commit}
        )
        return
    what = f"the '{example}' example" if example else "a skeleton program"
    out.print(f"Wrote {what} to [bold]{result.root}[/] ({len(result.files)} files).")
    out.print(f"Initial commit {result.commit[:12]}. Next: rcim --program {result.root} check")
