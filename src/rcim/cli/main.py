"""The root Typer app: global options, command registry, and error translation."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from rcim import __version__
from rcim.cli import (
    audit,
    change,
    change_impact,
    check,
    decide,
    demo,
    deploy,
    gate,
    importer,
    incident,
    infra,
    init,
    metrics,
    monitoring,
    release,
    runbook,
    stage,
)
from rcim.cli.context import Globals, OutputFormat, log_dir_for
from rcim.cli.errors import report_internal_error, report_rcim_error
from rcim.errors import EXIT_INVALID, RcimError

app = typer.Typer(
    name="rcim",
    help="Run an ITIL 4 / ISO 20000-1 release and continuity program as code.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"rcim {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def root(
    ctx: typer.Context,
    program: Annotated[
        Path | None,
        typer.Option(
            "--program",
            envvar="RCIM_PROGRAM",
            help="Program directory (default: nearest parent with rcim.yaml).",
            file_okay=False,
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", envvar="RCIM_DB", help="Store URL (default: sqlite under <program>/.rcim/)."
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format where a command reports.")
    ] = OutputFormat.text,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Run an ITIL 4 / ISO 20000-1 release and continuity program as code."""
    ctx.obj = Globals(program=program, db=db, format=output_format, debug=debug)


# The command registry: every command group module registers itself here, once.
app.command("init")(init.init_command)
app.command("check")(check.check_command)
app.command("demo")(demo.demo_command)
app.command("deploy")(deploy.deploy_command)
app.command("rollback")(deploy.rollback_command)
app.command("verify")(deploy.verify_command)
app.command("status")(deploy.status_command)
app.command("decide")(decide.decide_command)
app.command("metrics")(metrics.metrics_command)
app.add_typer(importer.app, name="import")
app.add_typer(audit.app, name="audit")
app.add_typer(infra.app, name="infra")
app.add_typer(monitoring.app, name="monitoring")
app.add_typer(stage.app, name="stage")
app.add_typer(runbook.app, name="runbook")
app.add_typer(incident.app, name="incident")

change.app.command("impact")(change_impact.change_impact_command)
app.add_typer(change.app, name="change")
app.add_typer(gate.app, name="gate")
app.add_typer(release.app, name="release")


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point; returns the process exit code.

    Click handles usage errors itself (exit 2); rcim's own errors become one line and their
    exit code; anything unexpected is logged under .rcim/logs/ and exits 3.
    """
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        app(args=args, prog_name="rcim")
    except SystemExit as done:
        return _exit_code(done.code)
    except RcimError as error:
        return report_rcim_error(error, debug=debug)
    except Exception as error:
        return report_internal_error(error, log_dir=log_dir_for(_program_arg(args)), debug=debug)
    return 0


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return EXIT_INVALID


def _program_arg(args: list[str]) -> Path | None:
    for index, arg in enumerate(args):
        if arg == "--program" and index + 1 < len(args):
            return Path(args[index + 1])
        if arg.startswith("--program="):
            return Path(arg.split("=", 1)[1])
    return None


def run() -> None:
    sys.exit(main())
