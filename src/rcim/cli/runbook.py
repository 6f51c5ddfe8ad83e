"""rcim runbook: generate runbooks from the program, lint them, and run one on an incident."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.prompt import Prompt

from rcim import clock
from rcim.cli.context import FormatOption, OutputFormat, globals_of
from rcim.cli.output import out, print_json
from rcim.errors import EXIT_FAILED, InvalidInputError
from rcim.incidents import USER_ENV, IncidentJournal, get_incident, require_active, resolve_actor
from rcim.program import load_program
from rcim.runbooks import (
    DEFAULT_DIR,
    Escalation,
    FileChange,
    ManualAnswer,
    Resumed,
    RunbookStep,
    RunEvent,
    RunSettings,
    StepDone,
    StepStarting,
    compare_runbooks,
    escalation_path,
    lint_runbooks,
    load_answers,
    load_articles,
    load_runbook,
    plan_runbooks,
    run_runbook,
    service_hosts,
    write_runbooks,
)
from rcim.runbooks.checks import ManualOutcome
from rcim.store import open_store

app = typer.Typer(
    help="Generate runbooks from the catalog, lint them, and run them on an incident.",
    no_args_is_help=True,
)
DirOption = Annotated[
    Path | None,
    typer.Option("--dir", help="Runbook directory (default: <program>/runbooks).", file_okay=False),
]
MARKS = {
    "passed": "[green]✓ passed[/]",
    "failed": "[red]✗ failed[/]",
    "skipped": "[yellow]- skipped[/]",
}
CHOICES: dict[str, ManualOutcome] = {"y": "passed", "n": "failed", "s": "skipped"}


@app.command("generate")
def generate_command(
    ctx: typer.Context,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Output directory (default: <program>/runbooks).", file_okay=False
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if any file is out of date.")
    ] = False,
    output_format: FormatOption = None,
) -> None:
    """Write alert, incident, disaster-recovery and release runbooks from the program."""
    options = globals_of(ctx)
    program = load_program(options.program_dir())
    target = out_dir or program.root / DEFAULT_DIR
    files = plan_runbooks(program, load_articles(program.root / DEFAULT_DIR))
    changes = compare_runbooks(files, target) if check else write_runbooks(files, target)
    stale = [c for c in changes if c.status != "unchanged"]
    if options.output_format(output_format) is OutputFormat.json:
        print_json(_changes_json(target, changes, check=check))
    else:
        _print_changes(target, changes, check=check)
    if check and stale:
        raise typer.Exit(EXIT_FAILED)


@app.command("lint")
def lint_command(
    ctx: typer.Context, directory: DirOption = None, output_format: FormatOption = None
) -> None:
    """Fail when an alert has no runbook, a runbook names an unknown alert or service, or a
    step or check is malformed."""
    options = globals_of(ctx)
    program = load_program(options.program_dir())
    target = directory or program.root / DEFAULT_DIR
    problems = lint_runbooks(program, target)
    if options.output_format(output_format) is OutputFormat.json:
        print_json(
            {"directory": str(target), "ok": not problems, "problems": [str(p) for p in problems]}
        )
    else:
        for problem in problems:
            out.print(str(problem), markup=False)
        verdict = f"{len(problems)} problems" if problems else "all runbooks are consistent"
        out.print(f"{target}: {verdict}", markup=False)
    if problems:
        raise typer.Exit(EXIT_FAILED)


@app.command("run")
def run_command(
    ctx: typer.Context,
    runbook_id: Annotated[str, typer.Argument(metavar="ID", help="e.g. incident/vpn-gateway")],
    incident: Annotated[str, typer.Option("--incident", help="Incident to record the run in.")],
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers", help="YAML answers for manual steps (non-interactive).", dir_okay=False
        ),
    ] = None,
    actor: Annotated[
        str | None, typer.Option("--as", help=f"Person running it (default: ${USER_ENV}).")
    ] = None,
) -> None:
    """Walk a runbook: run each check, ask for manual outcomes, escalate, record everything."""
    options = globals_of(ctx)
    program = load_program(options.program_dir())
    person = resolve_actor(program.config, actor, os.environ.get(USER_ENV))
    runbook = load_runbook(program.root / DEFAULT_DIR, runbook_id)
    answered = load_answers(answers, runbook) if answers is not None else None
    if answered is None and _has_manual_steps(runbook.steps) and not sys.stdin.isatty():
        raise InvalidInputError(
            f"{runbook.id} has manual steps and stdin is not a terminal; pass --answers FILE"
        )
    service = program.services.get(runbook.front.service or "")
    settings = RunSettings(
        runbook,
        escalation_path(program, service),
        service_hosts(program, service),
        person,
        clock.now,
    )
    with open_store(options.db_url()) as store:
        require_active(incident, get_incident(store, incident).state)
        operator = TerminalOperator(len(runbook.steps), answered)
        outcome = run_runbook(settings, IncidentJournal(store, incident, person), operator)
    failed = ", ".join(str(n) for n in outcome.failed_steps) or "none"
    out.print(
        f"{runbook.id} {outcome.outcome} (run {outcome.run}, {outcome.steps_run} steps now); "
        f"failed steps: {failed}; level {outcome.level}. Timeline: rcim incident show {incident}",
        markup=False,
    )
    if outcome.failed_steps:
        raise typer.Exit(EXIT_FAILED)


class TerminalOperator:
    """Shows the run in the terminal and asks the person there, unless an answers file speaks."""

    def __init__(self, total: int, answers: dict[int, ManualAnswer] | None) -> None:
        self._total = total
        self._answers = answers

    def ask(self, step: RunbookStep, question: str) -> ManualAnswer:
        if self._answers is not None:
            answer = self._answers[step.number]
            out.print(f"  {escape(question)} [dim](answers file: {answer.outcome})[/]")
            return answer
        choice = Prompt.ask(
            f"  {escape(question)} (y = yes, n = no, s = skip)", choices=list(CHOICES), console=out
        )
        note = Prompt.ask("  Note (Enter for none)", default="", show_default=False, console=out)
        return ManualAnswer(CHOICES[choice], note.strip())

    def show(self, event: RunEvent) -> None:
        if isinstance(event, StepStarting):
            step = event.step
            out.print(
                f"\n[bold]Step {step.number}/{self._total} · {step.level} · {escape(step.title)}[/]"
            )
            out.print(escape(step.instruction), markup=True)
        elif isinstance(event, StepDone):
            self._done(event)
        elif isinstance(event, Escalation):
            self._escalation(event)
        elif isinstance(event, Resumed):
            out.print(f"[cyan]Resuming run {event.run} at step {event.step}[/]")

    def _done(self, event: StepDone) -> None:
        mark = MARKS.get(event.status, "[green]✓ done[/]")
        out.print(f"  {mark} {escape(event.result.detail)} [dim]({event.seconds:.2f}s)[/]")
        if event.result.output and event.status == "failed":
            out.print(escape(event.result.output), style="dim")

    def _escalation(self, event: Escalation) -> None:
        if event.target is None:
            out.print(
                f"[bold yellow]Escalate to {event.level}:[/] no {event.level} team in rcim.yaml"
            )
            return
        out.print(
            f"[bold yellow]Escalate to {event.level}:[/] call {escape(event.target.call_line())}"
        )


def _has_manual_steps(steps: tuple[RunbookStep, ...]) -> bool:
    return any(step.check is not None and step.check.kind == "manual" for step in steps)


def _print_changes(target: Path, changes: list[FileChange], *, check: bool) -> None:
    stale = [c for c in changes if c.status != "unchanged"]
    for change in stale:
        verb = f"would be {change.status}" if check else change.status
        out.print(f"  {change.path}: {verb}", markup=False)
    if check:
        state = "out of date" if stale else "up to date"
        out.print(f"{target}: {state} ({len(stale)} of {len(changes)} files differ)", markup=False)
    else:
        written = f"{len(stale)} files written, {len(changes) - len(stale)} unchanged"
        out.print(f"{target}: {written}", markup=False)


def _changes_json(target: Path, changes: list[FileChange], *, check: bool) -> dict[str, Any]:
    return {
        "directory": str(target),
        "check": check,
        "up_to_date": all(c.status == "unchanged" for c in changes),
        "files": [{"path": c.path, "status": c.status} for c in changes],
    }
