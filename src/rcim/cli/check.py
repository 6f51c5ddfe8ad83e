"""rcim check: validate the program and summarize it."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from rcim.cli.context import FormatOption, OutputFormat, globals_of
from rcim.cli.output import out, print_json, print_plain
from rcim.program import load_program
from rcim.program.summary import summarize


def check_command(ctx: typer.Context, output_format: FormatOption = None) -> None:
    """Validate every program file and the references between them; summarize the program."""
    options = globals_of(ctx)
    program = load_program(options.program_dir())
    summary = summarize(program)
    fmt = options.output_format(output_format)
    if fmt is OutputFormat.json:
        print_json({"ok": True, **summary})
    elif fmt is OutputFormat.md:
        print_plain(_markdown(summary))
    else:
        _text(summary)


def _text(summary: dict[str, Any]) -> None:
    envs = " → ".join(env["name"] for env in summary["environments"])
    out.print(f"[green]✓[/] {summary['organization']}: program is valid ({summary['program']})")
    out.print(f"  environments: {envs}")
    out.print(f"  teams: {len(summary['teams'])}  people: {len(summary['people'])}")
    table = Table("service", "tier", "owner", "depends on", "hosts", "SLOs", title="Services")
    for service in summary["services"]:
        hosts = ", ".join(f"{env}: {count}" for env, count in service["hosts"].items())
        table.add_row(
            service["name"],
            str(service["tier"]),
            service["owner"],
            ", ".join(service["depends_on"]) or "-",
            hosts or "-",
            ", ".join(service["slos"]) or "-",
        )
    out.print(table)


def _markdown(summary: dict[str, Any]) -> str:
    lines = [
        f"# {summary['organization']}: program is valid",
        "",
        "Environments: " + " → ".join(env["name"] for env in summary["environments"]),
        "",
        "| service | tier | owner | depends on | SLOs |",
        "|---|---|---|---|---|",
    ]
    for service in summary["services"]:
        deps = ", ".join(service["depends_on"]) or "-"
        slos = ", ".join(service["slos"]) or "-"
        lines.append(
            f"| {service['name']} | {service['tier']} | {service['owner']} | {deps} | {slos} |"
        )
    return "\n".join(lines) + "\n"
