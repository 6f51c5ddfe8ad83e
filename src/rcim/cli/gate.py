"""rcim gate check: may this commit of this service go to this environment now?"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from rcim import clock
from rcim.cli.context import FormatOption, OutputFormat, globals_of
from rcim.cli.output import out, print_json, print_plain
from rcim.errors import EXIT_FAILED, InvalidInputError, NotFoundError
from rcim.gitscan import resolve_commit
from rcim.program import Program, load_program
from rcim.program.policy import Policy
from rcim.release.evidence import StoreGateFacts
from rcim.release.gate import GateDecision, decision_markdown, evaluate_gate, record_decision
from rcim.release.rules import Candidate
from rcim.store import open_store

app = typer.Typer(help="The release gate: every rule, one decision.", no_args_is_help=True)

_STATUS_STYLE = {
    "pass": "green",
    "fail": "red",
    "error": "bold red",
    "warn": "yellow",
    "skip": "dim",
}


@app.command("check")
def check_command(
    ctx: typer.Context,
    service: Annotated[str, typer.Option("--service", help="Service to release.")],
    env: Annotated[str, typer.Option("--env", help="Target environment.")],
    commit: Annotated[
        str, typer.Option("--commit", help="Candidate commit (default HEAD).")
    ] = "HEAD",
    change: Annotated[
        str | None, typer.Option("--change", help="Change ID (default: from commits).")
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="Evaluate at this ISO 8601 instant.")
    ] = None,
    summary_file: Annotated[
        Path | None,
        typer.Option(
            "--summary-file", help="Append Markdown (e.g. $GITHUB_STEP_SUMMARY).", dir_okay=False
        ),
    ] = None,
    emergency: Annotated[
        bool, typer.Option("--emergency", help="Break-glass (needs --reason).")
    ] = False,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why break-glass is needed.")
    ] = None,
    repo: Annotated[
        Path | None,
        typer.Option("--repo", help="Git repository (default: the program).", file_okay=False),
    ] = None,
    output_format: FormatOption = None,
) -> None:
    """Evaluate every rule; exit 0 when allowed, 1 when denied (any rule failing or erroring)."""
    options = globals_of(ctx)
    if emergency and not (reason and reason.strip()):
        raise InvalidInputError("--emergency needs --reason saying why break-glass is needed")
    program = load_program(options.program_dir())
    policy = _policy(program, service, env)
    source = repo or program.root
    when = clock.parse_instant(at, what="--at") if at else clock.now()
    candidate = Candidate(
        service,
        env,
        resolve_commit(source, commit),
        when,
        change,
        emergency,
        reason.strip() if reason else None,
    )
    with open_store(options.db_url()) as store, store.transaction() as session:
        facts = StoreGateFacts(program, policy, session, source, candidate)
        decision = evaluate_gate(candidate, policy, facts)
        decision = record_decision(session, decision, actor=_actor(), decided_at=clock.now())
    _report(decision, options.output_format(output_format), summary_file)
    if not decision.allowed:
        raise typer.Exit(EXIT_FAILED)


def _report(decision: GateDecision, fmt: OutputFormat, summary_file: Path | None) -> None:
    if summary_file is not None:
        try:
            with summary_file.open("a", encoding="utf-8") as stream:
                stream.write(decision_markdown(decision))
        except OSError as error:
            raise InvalidInputError(
                f"--summary-file {summary_file}: {error.strerror or error}"
            ) from None
    if fmt is OutputFormat.json:
        print_json(decision.to_json())
    elif fmt is OutputFormat.md:
        print_plain(decision_markdown(decision))
    else:
        _print_table(decision)


def _print_table(decision: GateDecision) -> None:
    candidate = decision.candidate
    colour = "green" if decision.allowed else "red"
    title = (
        f"gate {candidate.service} → {candidate.env} at {candidate.commit[:12]}"
        f" (change {decision.change or '-'})"
    )
    table = Table(title=escape(title))
    for header in ("rule", "status", "reason"):
        table.add_column(header, overflow="fold")
    for result in decision.results:
        style = _STATUS_STYLE[result.status]
        table.add_row(result.rule, f"[{style}]{result.status}[/]", escape(result.reason))
    out.print(table)
    glass = " (break-glass)" if candidate.emergency else ""
    out.print(f"[bold {colour}]{decision.decision}[/]{glass} · decision {decision.decision_id}")


def _policy(program: Program, service: str, env: str) -> Policy:
    if program.policy is None:
        raise InvalidInputError(f"{program.root}: no release/policy.yaml to gate with")
    if service not in program.services and service != "platform":
        known = ", ".join(sorted(program.services))
        raise NotFoundError(f"--service {service}: unknown service (known: {known}, platform)")
    if env not in program.environment_names:
        raise NotFoundError(f"--env {env}: not an environment of rcim.yaml")
    return program.policy


def _actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "rcim"
