"""rcim change: change records from creation to closure, with approvals and risk."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from rcim import clock
from rcim.changes.approvals import Approval, approvals_of, record_decision
from rcim.changes.assessment import change_risk
from rcim.changes.lifecycle import Verb
from rcim.changes.model import ChangeRecord, ChangeWindow
from rcim.changes.people import acting_person, person_by_id
from rcim.changes.records import change_path, load_change, write_new_change
from rcim.changes.report import change_text, change_view, list_row
from rcim.changes.risk import RiskAssessment
from rcim.changes.signatures import ApprovalPayload, sign_payload
from rcim.changes.tracking import (
    StoredChange,
    all_change_ids,
    get_change,
    list_changes,
    mark_change,
    submit_change,
    transition_change,
    transitions_of,
)
from rcim.cli.context import FormatOption, Globals, OutputFormat, globals_of
from rcim.cli.output import out, print_json, print_plain
from rcim.errors import ConfigError, InvalidInputError, NotFoundError, Problem
from rcim.gitscan import resolve_commit, scan_range
from rcim.program import Program, load_program
from rcim.program.policy import Policy
from rcim.store import open_store

app = typer.Typer(
    help="Change enablement: change records, approvals and risk.", no_args_is_help=True
)

IdArg = Annotated[str, typer.Argument(help="Change ID, e.g. CHG-2026-0042.")]
AsOption = Annotated[
    str | None,
    typer.Option("--as", "--author", help="Person id from rcim.yaml (default: by git user.email)."),
]
CommentOption = Annotated[str | None, typer.Option("--comment", help="Why, for the record.")]


class ChangeTypeChoice(StrEnum):
    standard = "standard"
    normal = "normal"
    emergency = "emergency"


@app.command("new")
def new_command(
    ctx: typer.Context,
    service: Annotated[list[str], typer.Option("--service", help="Affected service (repeat).")],
    change_type: Annotated[ChangeTypeChoice, typer.Option("--type", help="Change type.")],
    title: Annotated[str, typer.Option("--title", help="One line: what changes.")],
    window_start: Annotated[str | None, typer.Option("--window-start", help="ISO 8601.")] = None,
    window_end: Annotated[str | None, typer.Option("--window-end", help="ISO 8601.")] = None,
    timezone: Annotated[
        str | None, typer.Option("--timezone", help="Zone of naive window times.")
    ] = None,
    template: Annotated[
        str | None, typer.Option("--template", help="Standard-change template id.")
    ] = None,
    description: Annotated[str, typer.Option("--description")] = "",
    implementation_plan: Annotated[str, typer.Option("--implementation-plan")] = "",
    backout_plan: Annotated[str, typer.Option("--backout-plan")] = "",
    test_plan: Annotated[str, typer.Option("--test-plan")] = "",
    fixes: Annotated[list[str] | None, typer.Option("--fixes", help="Incident it fixes.")] = None,
    link: Annotated[list[str] | None, typer.Option("--link", help="Related URL (repeat).")] = None,
    person: AsOption = None,
    output_format: FormatOption = None,
) -> None:
    """Write release/changes/<ID>.yaml and print the new ID."""
    options = globals_of(ctx)
    program = load_program(options.program_dir())
    author = acting_person(program.config, person, program.root)
    window = _window(window_start, window_end, timezone)
    draft = _draft(
        {
            "id": "CHG-0000-0000",
            "type": change_type.value,
            "title": title,
            "services": tuple(service),
            "author": author.id,
            "template": template,
            "description": description,
            "implementation_plan": implementation_plan,
            "backout_plan": backout_plan,
            "test_plan": test_plan,
            "window": window,
            "links": tuple(link or ()),
            "fixes": tuple(fixes or ()),
        }
    )
    with open_store(options.db_url()) as store, store.transaction() as session:
        taken = all_change_ids(session)
    record = write_new_change(program.root, draft, clock.now().year, taken)
    path = change_path(program.root, record.id)
    if options.output_format(output_format) is OutputFormat.json:
        print_json({"id": record.id, "path": str(path)})
    else:
        print_plain(record.id)


@app.command("submit")
def submit_command(ctx: typer.Context, change_id: IdArg, person: AsOption = None) -> None:
    """Load the record into the store and start its lifecycle."""
    options = globals_of(ctx)
    program = load_program(options.program_dir())
    record = load_change(program.root, change_id)
    actor = acting_person(program.config, person, program.root)
    path = str(change_path(program.root, change_id).relative_to(program.root))
    with open_store(options.db_url()) as store, store.transaction() as session:
        change = submit_change(session, program, record, path, actor=actor.id, at=clock.now())
    out.print(f"{change.id} submitted: {change.type} change, state {change.state}", markup=False)


def _transition(
    ctx: typer.Context, change_id: str, verb: Verb, person: str | None, comment: str | None
) -> None:
    options = globals_of(ctx)
    program = load_program(options.program_dir())
    path = change_path(program.root, change_id)
    record = load_change(program.root, change_id) if path.is_file() else None
    actor = acting_person(program.config, person, program.root)
    with open_store(options.db_url()) as store, store.transaction() as session:
        change = transition_change(
            session, change_id, verb, record, actor=actor.id, at=clock.now(), comment=comment
        )
    out.print(f"{change.id}: {verb} → {change.state}", markup=False)


@app.command("schedule")
def schedule_command(
    ctx: typer.Context, change_id: IdArg, person: AsOption = None, comment: CommentOption = None
) -> None:
    """Authorised → scheduled (needs a window and an approval)."""
    _transition(ctx, change_id, "schedule", person, comment)


@app.command("implement")
def implement_command(
    ctx: typer.Context, change_id: IdArg, person: AsOption = None, comment: CommentOption = None
) -> None:
    """Scheduled → implement: the release is being rolled out."""
    _transition(ctx, change_id, "implement", person, comment)


@app.command("complete")
def complete_command(
    ctx: typer.Context, change_id: IdArg, person: AsOption = None, comment: CommentOption = None
) -> None:
    """Implement → review: rolled out everywhere, awaiting its review."""
    _transition(ctx, change_id, "complete", person, comment)


@app.command("fail")
def fail_command(
    ctx: typer.Context, change_id: IdArg, person: AsOption = None, comment: CommentOption = None
) -> None:
    """Implement/review → failed: the change did not achieve its aim."""
    _transition(ctx, change_id, "fail", person, comment)


@app.command("close")
def close_command(
    ctx: typer.Context, change_id: IdArg, person: AsOption = None, comment: CommentOption = None
) -> None:
    """Review → closed (also completes a post-implementation review)."""
    _transition(ctx, change_id, "close", person, comment)


@app.command("cancel")
def cancel_command(
    ctx: typer.Context, change_id: IdArg, person: AsOption = None, comment: CommentOption = None
) -> None:
    """Any open state → cancelled."""
    _transition(ctx, change_id, "cancel", person, comment)


@app.command("approve")
def approve_command(
    ctx: typer.Context,
    change_id: IdArg,
    person: Annotated[str, typer.Option("--as", help="Approver: person id from rcim.yaml.")],
    comment: CommentOption = None,
    sign_key: Annotated[
        Path | None,
        typer.Option("--sign-key", help="Private SSH key to sign with.", dir_okay=False),
    ] = None,
    commit: Annotated[
        str, typer.Option("--commit", help="Commit approved (default HEAD).")
    ] = "HEAD",
) -> None:
    """Approve the change at one exact commit (new commits of the change make it stale)."""
    _decide(ctx, change_id, person, "approve", comment, sign_key, commit)


@app.command("reject")
def reject_command(
    ctx: typer.Context,
    change_id: IdArg,
    person: Annotated[str, typer.Option("--as", help="Person id from rcim.yaml.")],
    comment: Annotated[str, typer.Option("--comment", help="Why it is rejected.")],
    commit: Annotated[str, typer.Option("--commit", help="Commit judged (default HEAD).")] = "HEAD",
) -> None:
    """Reject the change; the gate denies while the rejection is current."""
    _decide(ctx, change_id, person, "reject", comment, None, commit)


def _decide(
    ctx: typer.Context,
    change_id: str,
    person: str,
    decision: str,
    comment: str | None,
    sign_key: Path | None,
    commit_ref: str,
) -> None:
    options = globals_of(ctx)
    program = load_program(options.program_dir())
    policy = _policy(program)
    approver = person_by_id(program.config, person)
    commit = resolve_commit(program.root, commit_ref)
    at = clock.now()
    payload = ApprovalPayload(change_id, commit, decision, approver.id, at).text()
    signature = sign_payload(payload, sign_key) if sign_key is not None else None
    authors = _commit_authors(program, policy, change_id, commit)
    approval = Approval(
        change_id,
        approver.id,
        decision,
        commit,
        comment,
        signature,
        payload if signature else None,
        at,
    )
    with open_store(options.db_url()) as store, store.transaction() as session:
        record_decision(session, policy, approval, approver, authors)
    signed = " (signed)" if signature else ""
    out.print(f"{change_id}: {decision} by {approver.id} at {commit[:12]}{signed}", markup=False)


def _commit_authors(program: Program, policy: Policy, change_id: str, commit: str) -> set[str]:
    commits = scan_range(program.root, None, commit, trailer_key=policy.trailer_key)
    return {c.author_email for c in commits if change_id in c.change_ids}


@app.command("risk")
def risk_command(
    ctx: typer.Context,
    change_id: IdArg,
    commit: Annotated[str, typer.Option("--commit", help="Measure at this commit.")] = "HEAD",
    person: AsOption = None,
    output_format: FormatOption = None,
) -> None:
    """Assess risk: score, level, and each criterion's raw value, score and contribution.

    A change in 'assess' has its assessment recorded and moves on to 'authorize'."""
    options = globals_of(ctx)
    program = load_program(options.program_dir())
    record = load_change(program.root, change_id)
    sha = resolve_commit(program.root, commit)
    at = clock.now()
    with open_store(options.db_url()) as store, store.transaction() as session:
        stored = _stored_or_none(session, change_id)
        assessment = change_risk(program, session, program.root, record, stored, commit=sha, at=at)
        if stored is not None and stored.state == "assess":
            actor = acting_person(program.config, person, program.root).id
            mark_change(
                session,
                change_id,
                {"risk": assessment.to_json()},
                actor=actor,
                action="change.risk",
                at=at,
            )
            transition_change(session, change_id, "assess", record, actor=actor, at=at)
    _print_risk(options, output_format, change_id, assessment)


def _print_risk(
    options: Globals, output_format: OutputFormat | None, change_id: str, assessment: RiskAssessment
) -> None:
    fmt = options.output_format(output_format)
    if fmt is OutputFormat.json:
        print_json({"change": change_id, **assessment.to_json()})
        return
    rows = [
        (c.name, c.raw, f"{c.score:.2f}", f"{c.weight:.4f}", f"{c.contribution:.4f}")
        for c in assessment.criteria
    ]
    headline = f"{change_id}: risk {assessment.score:.2f}/10, level {assessment.level}"
    if fmt is OutputFormat.md:
        body = "\n".join(f"| {' | '.join(row)} |" for row in rows)
        print_plain(
            f"### {headline}\n\n| criterion | raw | score | weight | contribution |\n"
            f"|---|---|---|---|---|\n{body}\n"
        )
        return
    table = Table(title=escape(headline))
    for header in ("criterion", "raw value", "score", "weight", "contribution"):
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    out.print(table)


@app.command("show")
def show_command(ctx: typer.Context, change_id: IdArg, output_format: FormatOption = None) -> None:
    """The record, its state, transitions and decisions."""
    options = globals_of(ctx)
    program = load_program(options.program_dir())
    path = change_path(program.root, change_id)
    with open_store(options.db_url()) as store, store.transaction() as session:
        stored = _stored_or_none(session, change_id)
        record = load_change(program.root, change_id) if path.is_file() or stored is None else None
        record = record or (stored.record if stored else None)
        transitions = transitions_of(session, change_id) if stored else []
        approvals = approvals_of(session, change_id) if stored else []
    assert record is not None
    data = change_view(record, stored, transitions, approvals)
    if options.output_format(output_format) is OutputFormat.json:
        print_json(data)
        return
    print_plain(change_text(data))


@app.command("list")
def list_command(
    ctx: typer.Context,
    state: Annotated[
        str | None, typer.Option("--state", help="Only changes in this state.")
    ] = None,
    service: Annotated[str | None, typer.Option("--service", help="Only this service.")] = None,
    output_format: FormatOption = None,
) -> None:
    """Submitted changes; break-glass changes show 'review due' until closed."""
    options = globals_of(ctx)
    with open_store(options.db_url()) as store, store.transaction() as session:
        changes = list_changes(session, state=state, service=service)
    fmt = options.output_format(output_format)
    if fmt is OutputFormat.json:
        print_json([list_row(c) for c in changes])
        return
    table = Table()
    for header in ("id", "type", "state", "services", "title", "review"):
        table.add_column(header, overflow="fold")
    for c in changes:
        review = "review due" if c.needs_review else ""
        table.add_row(c.id, c.type, c.state, ", ".join(c.services), escape(c.title), review)
    out.print(table)


def _stored_or_none(session: Session, change_id: str) -> StoredChange | None:
    try:
        return get_change(session, change_id)
    except NotFoundError:
        return None


def _draft(fields: dict[str, Any]) -> ChangeRecord:
    """Options become a record; what the model refuses is named by option."""
    try:
        return ChangeRecord.model_validate(fields)
    except ValidationError as error:
        problems = [
            Problem("rcim change new", None, None, f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
            for e in error.errors()
        ]
        raise ConfigError(problems) from None


def _window(start: str | None, end: str | None, zone: str | None) -> ChangeWindow | None:
    if start is None and end is None:
        return None
    if start is None or end is None:
        raise InvalidInputError("--window-start and --window-end go together")
    fields = {"start": start, "end": end, "timezone": zone}
    try:
        window = ChangeWindow.model_validate(fields)
    except ValidationError as error:
        first = error.errors()[0]
        raise InvalidInputError(f"--window-start/--window-end: {first['msg']}") from None
    return window


def _policy(program: Program) -> Policy:
    if program.policy is None:
        raise InvalidInputError(f"{program.root}: no release/policy.yaml")
    return program.policy
