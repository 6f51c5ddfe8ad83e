"""rcim decide: rank options by weighted criteria and hard limits; show how robust the winner is."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from rcim.cli.context import FormatOption, OutputFormat, globals_of
from rcim.cli.output import out, print_json, print_plain, warning_line
from rcim.decide import analyse, load_table
from rcim.decide.report import (
    RANKING_HEADERS,
    SENSITIVITY_HEADERS,
    SENSITIVITY_NOTE,
    as_json,
    as_markdown,
    ranking_rows,
    sensitivity_rows,
    winner_text,
)
from rcim.errors import CheckFailedError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import JustifyMethod

    from rcim.decide import Analysis


def decide_command(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(help="Decision table (YAML): criteria with weights and limits, options."),
    ],
    output_format: FormatOption = None,
) -> None:
    """Score options by weighted criteria; exit 1 when every option breaks a constraint."""
    analysis = analyse(load_table(file))
    for warning in analysis.decision.warnings:
        warning_line(escape(warning))
    chosen = globals_of(ctx).output_format(output_format)
    if chosen is OutputFormat.json:
        print_json(as_json(analysis))
    elif chosen is OutputFormat.md:
        print_plain(as_markdown(analysis))
    else:
        _print_text(analysis)
    if analysis.decision.winner is None:
        raise CheckFailedError(f"{file}: every option is excluded by a constraint; no winner")


def _print_text(analysis: Analysis) -> None:
    title = analysis.decision.table.title
    out.print(_table(RANKING_HEADERS, ranking_rows(analysis), right=(0, 2), title=title))
    out.print(escape(winner_text(analysis)))
    out.print()
    out.print(_table(SENSITIVITY_HEADERS, sensitivity_rows(analysis), right=(1, 2, 3)))
    out.print(escape(SENSITIVITY_NOTE))


def _table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    right: tuple[int, ...],
    title: str | None = None,
) -> Table:
    table = Table(title=escape(title) if title else None)
    for index, header in enumerate(headers):
        # Names are folded onto more lines rather than cut: a truncated name may be ambiguous.
        justify: JustifyMethod = "right" if index in right else "left"
        table.add_column(header, justify=justify, overflow="fold")
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    return table
