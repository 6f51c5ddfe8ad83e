"""rcim change impact ID --pulumi-preview FILE: record a change's infrastructure impact."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated, Any

import typer

from rcim import clock
from rcim.cli.context import FormatOption, OutputFormat, globals_of
from rcim.cli.output import out, print_json, print_plain
from rcim.infra.impact import read_preview, record_impact
from rcim.store import open_store


def change_impact_command(
    ctx: typer.Context,
    change_id: Annotated[str, typer.Argument(help="Change record ID, e.g. CHG-2026-0042.")],
    pulumi_preview: Annotated[
        Path,
        typer.Option("--pulumi-preview", help="Output of 'pulumi preview --json'.", dir_okay=False),
    ],
    output_format: FormatOption = None,
) -> None:
    """Read what the change creates, replaces and deletes into its change record."""
    options = globals_of(ctx)
    impact = read_preview(pulumi_preview)  # bad input fails here, before the store is touched
    with open_store(options.db_url()) as store:
        payload = record_impact(store, change_id, impact, actor=_actor(), at=clock.now())
    fmt = options.output_format(output_format)
    if fmt is OutputFormat.json:
        print_json({"change": change_id, **payload})
    elif fmt is OutputFormat.md:
        print_plain(_markdown(change_id, payload))
    else:
        out.print(_summary(change_id, payload), markup=False)


def _actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "rcim"


def _summary(change_id: str, payload: dict[str, Any]) -> str:
    counts = ", ".join(f"{op} {n}" for op, n in payload["counts"].items() if op != "same")
    lines = [
        f"{change_id}: infrastructure impact recorded ({counts or 'no changes'}); "
        f"infra risk score {payload['risk_score']:.2f}/10"
    ]
    lines += [f"  replaces {urn}" for urn in payload["replaced"]]
    lines += [f"  deletes  {urn}" for urn in payload["deleted"]]
    return "\n".join(lines)


def _markdown(change_id: str, payload: dict[str, Any]) -> str:
    rows = "\n".join(f"| {op} | {n} |" for op, n in payload["counts"].items())
    return (
        f"### Infrastructure impact of {change_id}\n\n"
        f"Risk score: **{payload['risk_score']:.2f}**/10\n\n| op | count |\n|---|---|\n{rows}\n"
    )
