"""rcim metrics: DORA metrics, availability and before/after comparisons from the records."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape
from rich.table import Table

from rcim import clock
from rcim.cli.context import FormatOption, OutputFormat, globals_of
from rcim.cli.output import out, print_json, print_plain, warning_line
from rcim.errors import InvalidInputError, NotFoundError
from rcim.gitscan import repository_root
from rcim.metrics import (
    Scope,
    compare,
    compute_metrics,
    load_history,
    parse_period,
    period_between,
    weekly_series,
)
from rcim.metrics.compare import seed_summary
from rcim.metrics.compute import DEFAULT_RESTORE_PRIORITIES
from rcim.metrics.period import Period
from rcim.metrics.report import (
    COMPARE_HEADERS,
    METRIC_HEADERS,
    compare_rows,
    comparison_json,
    comparison_markdown,
    metric_rows,
    metrics_json,
    metrics_markdown,
    title,
)
from rcim.program import load_program
from rcim.store import open_store

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rcim.metrics import Comparison, History, Metrics
    from rcim.program.loader import Program


def metrics_command(
    ctx: typer.Context,
    service: Annotated[
        str | None, typer.Option("--service", help="One service (default: all services).")
    ] = None,
    env: Annotated[
        str | None,
        typer.Option("--env", help="Environment (default: the one marked production: true)."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Start (ISO 8601 date or time; default: 90 days ago)."),
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="End (a date is inclusive; default: now).")
    ] = None,
    periods: Annotated[
        tuple[str, str] | None,
        typer.Option("--compare", help="Compare two periods: BEFORE AFTER, each START..END."),
    ] = None,
    chart: Annotated[
        Path | None,
        typer.Option("--chart", help="Also write a PNG of the weekly values.", dir_okay=False),
    ] = None,
    repo: Annotated[
        Path | None,
        typer.Option(
            "--repo",
            help="Application git repository for lead time (default: the program directory).",
            file_okay=False,
        ),
    ] = None,
    output_format: FormatOption = None,
) -> None:
    """Deployment frequency, lead time, change failure rate, time to restore, availability."""
    options = globals_of(ctx)
    program = load_program(options.program_dir())
    tz = ZoneInfo(program.config.organization.timezone)
    scope = _scope(program, service, env)
    if periods is not None and (since or until):
        raise InvalidInputError("--compare: give the periods there, not with --since/--until")
    now = clock.now()
    chosen = (
        [parse_period(text, tz) for text in periods]
        if periods is not None
        else [period_between(since, until, now=now, tz=tz)]
    )
    history = _history(options.db_url(), scope, repo, program)
    results = [compute_metrics(history, scope, period, tz) for period in chosen]
    _warn_unknown(history)
    fmt = options.output_format(output_format)
    if len(results) == 2:
        _print_comparison(compare(results[0], results[1]), fmt)
    else:
        _print_metrics(results[0], fmt)
    if chart is not None:
        # matplotlib takes a second to import: only pay for it when a chart is asked for.
        from rcim.metrics.chart import write_chart

        span = Period(chosen[0].start, chosen[-1].end)
        points = weekly_series(history, scope, span, tz)
        write_chart(points, chart, title(compute_metrics(history, scope, span, tz)))


def _scope(program: Program, service: str | None, env: str | None) -> Scope:
    if service is not None and service not in program.services:
        known = ", ".join(sorted(program.services))
        raise NotFoundError(f"--service: unknown service '{service}' (known: {known})")
    names = program.environment_names
    if env is None:
        production = [e.name for e in program.config.environments if e.production]
        if not production:
            raise InvalidInputError("no environment is marked 'production: true'; pass --env")
        env = production[0]
    elif env not in names:
        raise NotFoundError(f"--env: unknown environment '{env}' (known: {', '.join(names)})")
    return Scope(env, tuple(sorted(program.services)), service, DEFAULT_RESTORE_PRIORITIES)


def _history(db_url: str, scope: Scope, repo: Path | None, program: Program) -> History:
    repo_root = repository_root(repo) if repo is not None else _program_repo(program.root)
    with open_store(db_url) as store, store.transaction() as session:
        return load_history(session, scope, repo_root)


def _program_repo(program_dir: Path) -> Path | None:
    try:
        return repository_root(program_dir)
    except InvalidInputError:
        warning_line(f"{program_dir} is not a git repository; lead time needs --repo")
        return None


def _warn_unknown(history: History) -> None:
    unknown = history.lead_times.unknown_commits if history.lead_times else ()
    if unknown:
        warning_line(
            f"{len(unknown)} deployed commits are not in the repository (first: "
            f"{unknown[0][:12]}); their lead time is not measured (use --repo)"
        )


def _print_metrics(metrics: Metrics, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        print_json(metrics_json(metrics))
    elif fmt is OutputFormat.md:
        print_plain(metrics_markdown(metrics))
    else:
        out.print(_table(METRIC_HEADERS, metric_rows(metrics), title(metrics)))


def _print_comparison(comparison: Comparison, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        print_json(comparison_json(comparison))
        return
    if fmt is OutputFormat.md:
        print_plain(comparison_markdown(comparison))
        return
    for metrics in (comparison.before, comparison.after):
        out.print(_table(METRIC_HEADERS, metric_rows(metrics), title(metrics)))
    heading = f"{comparison.before.period_label} → {comparison.after.period_label}"
    out.print(_table(COMPARE_HEADERS, compare_rows(comparison), heading))
    out.print(escape(seed_summary(comparison)))


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], heading: str) -> Table:
    table = Table(title=escape(heading))
    for index, header in enumerate(headers):
        table.add_column(header, justify="left" if index in (0, 2) else "right", overflow="fold")
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    return table
