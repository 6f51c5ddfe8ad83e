"""rcim demo: the end-to-end release program on the embedded ABC Logistics example.

The demo is a scripted tour through the real commands, run in this process exactly as a user
would type them; a step whose exit code differs from what the tour expects stops the demo
with exit 1, so the demo doubles as an end-to-end check.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated

import git
import typer

from rcim.cli.output import out
from rcim.errors import CheckFailedError, InvalidInputError
from rcim.program import load_program

MARKER = ".rcim-demo"
SERVICE = "shipment-tracking"


@dataclass(frozen=True)
class Step:
    """One step of the tour: an rcim command (or a git action), at a fixed moment."""

    title: str
    args: tuple[str, ...] = ()
    expect: int = 0
    at: str | None = None
    action: Callable[[Path, str], str] | None = None


def demo_command(
    workdir: Annotated[
        Path | None,
        typer.Option(
            "--workdir",
            help="Where to build the demo (re-created on each run; default: a temp dir).",
        ),
    ] = None,
) -> None:
    """Walk the ABC Logistics release program end to end in a throwaway directory."""
    root = _prepare(workdir)
    program = root / "abc-logistics"
    steps = _tour(program)
    try:
        for number, step in enumerate(steps, start=1):
            _run(number, step, program)
    finally:
        _stop_hosts(program)
    out.print(
        f"\n[green]Demo finished: {len(steps)} steps.[/] Explore: rcim --program {program} status"
    )


# A Tuesday in December: no freeze. The tour moves the clock (RCIM_NOW) step by step.
TUESDAY = "2026-12-08T{}:00+01:00"
FRIDAY_EVENING = "2026-12-11T17:00:00+01:00"  # inside the weekend freeze
MONDAY = "2026-12-14T{}:00+01:00"
CHANGE = "CHG-2026-0001"


def _tour(program: Path) -> list[Step]:
    p = ("--program", str(program))
    deploy = (*p, "deploy", "--service", SERVICE)
    gate = (*p, "gate", "check", "--service", SERVICE)
    return [
        Step("Write the ABC Logistics program as a new git repository",
             ("init", str(program), "--example", "abc"), at=TUESDAY.format("08:30")),
        Step("Check the program as code", (*p, "check"), at=TUESDAY.format("08:31")),
        Step("Tomáš records a normal change for a faster tracking lookup",
             (*p, "change", "new", "--service", SERVICE, "--type", "normal", "--as", "tomas",
              "--title", "Faster shipment lookups",
              "--window-start", "2026-12-08T08:00:00+01:00",
              "--window-end", "2026-12-18T18:00:00+01:00",
              "--implementation-plan", "Canary on one production host, then the rest.",
              "--backout-plan", "rcim rollback --service shipment-tracking --env production",
              "--test-plan", "Unit, integration and acceptance stages on the release commit."),
             at=TUESDAY.format("09:00")),
        Step("Commit the change record and the code, naming the change in a trailer",
             action=_commit_change, at=TUESDAY.format("09:05")),
        Step("Submit the change", (*p, "change", "submit", CHANGE, "--as", "tomas"),
             at=TUESDAY.format("09:10")),
        Step("Martin assesses its risk (weighted criteria from git, catalog and history)",
             (*p, "change", "risk", CHANGE, "--as", "martin"), at=TUESDAY.format("09:15")),
        Step("Anna (CAB) approves; Martin schedules it",
             (*p, "change", "approve", CHANGE, "--as", "anna"), at=TUESDAY.format("09:20")),
        Step("", (*p, "change", "schedule", CHANGE, "--as", "martin"), at=TUESDAY.format("09:21")),
        Step("CI records the unit and integration stages for the exact commit",
             (*p, "stage", "record", "unit", "--commit", "HEAD", "--status", "passed"),
             at=TUESDAY.format("09:30")),
        Step("", (*p, "stage", "record", "integration", "--commit", "HEAD", "--status", "passed"),
             at=TUESDAY.format("09:31")),
        Step("Staging gate: denied, no approval from a role staging accepts",
             (*gate, "--env", "staging"), expect=1, at=TUESDAY.format("09:40")),
        Step("Martin (change manager) approves",
             (*p, "change", "approve", CHANGE, "--as", "martin"), at=TUESDAY.format("09:45")),
        Step("Staging gate: allowed", (*gate, "--env", "staging"), at=TUESDAY.format("09:50")),
        Step("Deploy 1.1.0 to the two staging hosts (the deploy runs the gate itself)",
             (*deploy, "--env", "staging", "--version", "1.1.0"), at=TUESDAY.format("10:00")),
        Step("Jana (CAB) approves for production; CI records the acceptance stage",
             (*p, "change", "approve", CHANGE, "--as", "jana"), at=TUESDAY.format("11:00")),
        Step("", (*p, "stage", "record", "acceptance", "--commit", "HEAD", "--status", "passed"),
             at=TUESDAY.format("11:05")),
        Step("Production gate on Friday evening: denied by the weekend freeze",
             (*gate, "--env", "production"), expect=1, at=FRIDAY_EVENING),
        Step("Deploy 1.1.0 to the three production hosts on Monday, canary first",
             (*deploy, "--env", "production", "--version", "1.1.0"), at=MONDAY.format("09:00")),
        Step("Verify production: health, version and testinfra checks on every host",
             (*p, "verify", "--service", SERVICE, "--env", "production"),
             at=MONDAY.format("09:10")),
        Step("Rehearse a bad release: 1.1.1 broken on purpose (fails health), gate bypass audited;"
             " the canary fails and is rolled back",
             (*deploy, "--env", "production", "--version", "1.1.1", "--set", "fault=unhealthy",
              "--skip-gate", "--reason", "rollback rehearsal"),
             expect=1, at=MONDAY.format("10:00")),
        Step("Status: every production host still serves 1.1.0",
             (*p, "status", "--service", SERVICE), at=MONDAY.format("10:05")),
        Step("Remote staff cannot connect: Lucie (service desk, L1) opens an incident",
             (*p, "incident", "open", "--service", "vpn-gateway", "--impact", "medium",
              "--urgency", "high", "--title", "Remote staff cannot connect to the VPN",
              "--as", "lucie"), at=MONDAY.format("11:00")),
        Step("", (*p, "incident", "ack", "INC-2026-0001", "--as", "tomas"),
             at=MONDAY.format("11:10")),
        Step("", (*p, "incident", "resolve", "INC-2026-0001", "--as", "tomas",
                  "--note", "Standby gateway vpn-2 promoted; vpn-1 certificate renewed."),
             at=MONDAY.format("11:55")),
        Step("Release notes since the baseline, grouped by change",
             (*p, "release", "notes", "--from", "rcim-baseline"), at=MONDAY.format("12:00")),
        Step("Generated monitoring is up to date with the catalog",
             (*p, "monitoring", "generate", "--check"), at=MONDAY.format("12:01")),
        Step("Generated runbooks are up to date and lint clean", (*p, "runbook", "lint"),
             at=MONDAY.format("12:02")),
        Step("Measure the program: DORA metrics and availability in production",
             (*p, "metrics", "--env", "production"), at=MONDAY.format("12:03")),
        Step("Verify the hash-chained audit log", (*p, "audit", "verify"),
             at=MONDAY.format("12:04")),
    ]  # fmt: skip


def _commit_change(program: Path, at: str) -> str:
    """What a developer does: the change record and the code go in one commit."""
    repo = git.Repo(program)
    code = program / "apps" / SERVICE / "CHANGES.md"
    code.write_text("# Changes\n\n- 1.1.0: faster shipment lookups.\n", encoding="utf-8")
    paths = [f"release/changes/{CHANGE}.yaml", f"apps/{SERVICE}/CHANGES.md"]
    repo.index.add(paths)
    tomas = git.Actor("Tomáš Novák", "tomas.novak@abc-logistics.example")
    message = f"Speed up shipment lookups\n\nChange: {CHANGE}\n"
    when = _git_date(at)
    commit = repo.index.commit(
        message, author=tomas, committer=tomas, author_date=when, commit_date=when
    )
    return (
        f"git commit -m 'Speed up shipment lookups' -m 'Change: {CHANGE}'  # {commit.hexsha[:12]}"
    )


def _run(number: int, step: Step, program: Path) -> None:
    from rcim.cli.main import main  # the root app imports this module

    if step.title:
        out.print(f"\n[bold cyan]{number}.[/] [bold]{step.title}[/]")
    env = _clock_env(step.at)
    with _environment(env):
        if step.action is not None:
            out.print(f"[dim]$ {step.action(program, step.at or '')}[/]")
            return
        shown = " ".join(_shown(step.args))
        when = f"RCIM_NOW={step.at} " if step.at else ""
        out.print(f"[dim]$ {when}rcim {shown}[/]")
        code = main(list(step.args))
    if code != step.expect:
        raise CheckFailedError(
            f"demo step {number} (rcim {' '.join(step.args[2:4])}) exited {code}, "
            f"expected {step.expect}"
        )


def _clock_env(at: str | None) -> dict[str, str]:
    """Fix rcim's clock, and git's, so the tour reads the same on every run."""
    if at is None:
        return {}
    git_date = _git_date(at)
    return {"RCIM_NOW": at, "GIT_AUTHOR_DATE": git_date, "GIT_COMMITTER_DATE": git_date}


def _git_date(at: str) -> str:
    """Git's internal date format (``<unix seconds> +HHMM``), which every git reader accepts."""
    moment = datetime.fromisoformat(at)
    offset = moment.strftime("%z") or "+0000"
    return f"{int(moment.timestamp())} {offset}"


def _shown(args: tuple[str, ...]) -> list[str]:
    return [f"'{arg}'" if " " in arg else arg for arg in args]


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _stop_hosts(program: Path) -> None:
    """The demo's simulated hosts are background processes; leave none behind."""
    from rcim.deploy.manage import halt_environment

    if not (program / ".rcim" / "hosts").is_dir():
        return
    loaded = load_program(program)
    for env in loaded.environment_names:
        if loaded.services[SERVICE].hosts.get(env):
            halt_environment(loaded, SERVICE, env)


def _prepare(workdir: Path | None) -> Path:
    if workdir is None:
        return Path(tempfile.mkdtemp(prefix="rcim-demo-"))
    workdir = workdir.resolve()
    if workdir.exists():
        if not (workdir / MARKER).exists() and any(workdir.iterdir()):
            raise InvalidInputError(
                f"--workdir {workdir}: not empty and not made by 'rcim demo'; choose another"
            )
        _stop_leftovers(workdir / "abc-logistics")
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    (workdir / MARKER).write_text("made by rcim demo; deleted on the next run\n", encoding="utf-8")
    return workdir


def _stop_leftovers(program: Path) -> None:
    """A previous demo that was killed may have left its hosts running."""
    if (program / "rcim.yaml").is_file():
        try:
            _stop_hosts(program)
        except Exception:  # a broken old demo must not block a new one
            return
