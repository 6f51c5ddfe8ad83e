"""rcim incident: open, acknowledge, annotate, mitigate, resolve, link a cause, review, show."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from rcim import clock
from rcim.cli.context import FormatOption, Globals, OutputFormat, globals_of
from rcim.cli.output import out, print_json, print_plain
from rcim.errors import NotFoundError
from rcim.incidents import (
    USER_ENV,
    Incident,
    NewIncident,
    ReviewInput,
    add_note,
    choose_priority,
    default_service_impact,
    get_incident,
    incident_json,
    incident_markdown,
    incident_summary,
    link_change,
    open_incident,
    resolve_actor,
    review_incident,
    timeline,
    transition,
)
from rcim.incidents.lifecycle import State
from rcim.program import Program, load_program
from rcim.runbooks import DEFAULT_DIR
from rcim.store import open_store

app = typer.Typer(
    help="Incident management: records, priority, timeline, post-incident review.",
    no_args_is_help=True,
)
IncidentArg = Annotated[str, typer.Argument(metavar="INC", help="Incident ID, e.g. INC-2026-0001.")]
ActorOption = Annotated[
    str | None, typer.Option("--as", help=f"Person acting (default: ${USER_ENV}).")
]
NoteOption = Annotated[str, typer.Option("--note", help="What was done.")]


@app.command("open")
def open_command(
    ctx: typer.Context,
    service: Annotated[str, typer.Option("--service", help="Affected service.")],
    title: Annotated[str, typer.Option("--title", help="What is wrong, in one line.")],
    priority: Annotated[
        str | None, typer.Option("--priority", help="P1..P4, given directly.")
    ] = None,
    impact: Annotated[str | None, typer.Option("--impact", help="high|medium|low")] = None,
    urgency: Annotated[str | None, typer.Option("--urgency", help="high|medium|low")] = None,
    service_impact: Annotated[
        bool | None,
        typer.Option(
            "--service-impact/--no-service-impact",
            help="Users saw the service down or degraded (counts as downtime).",
        ),
    ] = None,
    actor: ActorOption = None,
    output_format: FormatOption = None,
) -> None:
    """Open an incident; priority from --priority or the impact × urgency matrix."""
    options = globals_of(ctx)
    program, person = _program_and_actor(options, actor)
    chosen, grade_i, grade_u = choose_priority(priority, impact, urgency)
    if service not in program.services:
        known = ", ".join(sorted(program.services))
        raise NotFoundError(f"--service: unknown service '{service}' (known: {known})")
    hit = default_service_impact(chosen, grade_i) if service_impact is None else service_impact
    details = {"impact_grade": grade_i, "urgency": grade_u}
    new = NewIncident(service, chosen, title, hit, details)
    with open_store(options.db_url()) as store:
        incident = open_incident(store, new, at=clock.now(), actor=person)
    _report(options, output_format, incident, f"{incident.id} opened")


@app.command("ack")
def ack_command(
    ctx: typer.Context, incident: IncidentArg, note: NoteOption = "", actor: ActorOption = None
) -> None:
    """Acknowledge: someone owns the incident now."""
    _transition(ctx, incident, "acknowledged", note, actor)


@app.command("mitigate")
def mitigate_command(
    ctx: typer.Context, incident: IncidentArg, note: NoteOption = "", actor: ActorOption = None
) -> None:
    """Mitigated: users are no longer hurt (e.g. after a rollback); the cause may remain."""
    _transition(ctx, incident, "mitigated", note, actor)


@app.command("resolve")
def resolve_command(
    ctx: typer.Context, incident: IncidentArg, note: NoteOption = "", actor: ActorOption = None
) -> None:
    """Resolved: the service is back to normal."""
    _transition(ctx, incident, "resolved", note, actor)


@app.command("note")
def note_command(
    ctx: typer.Context,
    incident: IncidentArg,
    text: Annotated[str, typer.Argument(help="The note.")],
    actor: ActorOption = None,
) -> None:
    """Add a note to the timeline."""
    options = globals_of(ctx)
    _, person = _program_and_actor(options, actor)
    with open_store(options.db_url()) as store:
        add_note(store, incident, text, at=clock.now(), actor=person)
    out.print(f"{incident}: note added", markup=False)


@app.command("link-change")
def link_change_command(
    ctx: typer.Context,
    incident: IncidentArg,
    change: Annotated[str, typer.Argument(metavar="CHANGE", help="e.g. CHG-2026-0042")],
    actor: ActorOption = None,
    output_format: FormatOption = None,
) -> None:
    """Mark a change as the incident's cause; metrics count it as a change failure."""
    options = globals_of(ctx)
    program, person = _program_and_actor(options, actor)
    with open_store(options.db_url()) as store:
        record = link_change(
            store, incident, change, program_root=program.root, at=clock.now(), actor=person
        )
    _report(options, output_format, record, f"{incident} caused by {change}")


@app.command("review")
def review_command(
    ctx: typer.Context,
    incident: IncidentArg,
    why: Annotated[list[str], typer.Option("--why", help="Five whys: one answer each, in order.")],
    factor: Annotated[
        list[str] | None, typer.Option("--factor", help="Contributing factor.")
    ] = None,
    action: Annotated[list[str] | None, typer.Option("--action", help="Follow-up action.")] = None,
    root_cause: Annotated[
        str | None, typer.Option("--root-cause", help="Default: the last why.")
    ] = None,
    symptom: Annotated[str | None, typer.Option("--symptom", help="Default: the title.")] = None,
    fix: Annotated[
        str | None, typer.Option("--fix", help="Default: the mitigation or resolution note.")
    ] = None,
    actor: ActorOption = None,
    output_format: FormatOption = None,
) -> None:
    """Post-incident review of a resolved incident; writes a KB article under runbooks/kb/."""
    options = globals_of(ctx)
    program, person = _program_and_actor(options, actor)
    review = ReviewInput(
        tuple(why), tuple(factor or ()), tuple(action or ()), root_cause, symptom, fix
    )
    kb_dir = program.root / DEFAULT_DIR / "kb"
    with open_store(options.db_url()) as store:
        result = review_incident(
            store, incident, review, kb_dir=kb_dir, at=clock.now(), actor=person
        )
    message = f"{incident} reviewed; KB article {result.article} (run 'rcim runbook generate')"
    _report(options, output_format, result.incident, message)


@app.command("show")
def show_command(
    ctx: typer.Context, incident: IncidentArg, output_format: FormatOption = None
) -> None:
    """The incident and its timeline (text, JSON or Markdown)."""
    options = globals_of(ctx)
    with open_store(options.db_url()) as store:
        record = get_incident(store, incident)
        events = timeline(store, incident)
    fmt = options.output_format(output_format)
    if fmt is OutputFormat.json:
        print_json(incident_json(record, events))
    elif fmt is OutputFormat.md:
        print_plain(incident_markdown(record, events))
    else:
        for line in incident_summary(record):
            out.print(line, markup=False)
        for event in events:
            out.print(
                f"  {event.at:%Y-%m-%d %H:%M:%S}  {event.kind:<20} {event.actor:<8} {event.text}",
                markup=False,
            )


def _transition(
    ctx: typer.Context, incident: str, target: State, note: str, actor: str | None
) -> None:
    options = globals_of(ctx)
    _, person = _program_and_actor(options, actor)
    with open_store(options.db_url()) as store:
        record = transition(store, incident, target, at=clock.now(), actor=person, note=note)
    out.print(f"{record.id}: {record.state}", markup=False)


def _program_and_actor(options: Globals, actor: str | None) -> tuple[Program, str]:
    program = load_program(options.program_dir())
    return program, resolve_actor(program.config, actor, os.environ.get(USER_ENV))


def _report(options: Globals, fmt: OutputFormat | None, incident: Incident, message: str) -> None:
    if options.output_format(fmt) is OutputFormat.json:
        print_json(incident_json(incident, []) | {"message": message})
        return
    out.print(message, markup=False)
    for line in incident_summary(incident):
        out.print(f"  {line}", markup=False)
