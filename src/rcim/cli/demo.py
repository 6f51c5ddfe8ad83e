"""rcim demo: the end-to-end release program on the embedded ABC Logistics example.

The demo is a scripted tour through the real commands, run in this process exactly as a user
would type them; a step whose exit code differs from what the tour expects stops the demo
with exit 1, so the demo doubles as an end-to-end check.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer

from rcim.cli.output import out
from rcim.errors import CheckFailedError, InvalidInputError
from rcim.program import load_program

MARKER = ".rcim-demo"
SERVICE = "shipment-tracking"


@dataclass(frozen=True)
class Step:
    """One command of the tour and the exit code it must end with."""

    title: str
    args: tuple[str, ...]
    expect: int = 0
    env: dict[str, str] = field(default_factory=dict)


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
            _run(number, step)
    finally:
        _stop_hosts(program)
    out.print(
        f"\n[green]Demo finished: {len(steps)} steps.[/] Explore: rcim --program {program} status"
    )


def _tour(program: Path) -> list[Step]:
    p = ("--program", str(program))
    deploy = (*p, "deploy", "--service", SERVICE)
    return [
        Step("Write the ABC Logistics program as a new git repository",
             ("init", str(program), "--example", "abc")),
        Step("Check the program as code", (*p, "check")),
        Step("Deploy v1 to the two staging hosts (gate recorded as skipped, audited)",
             (*deploy, "--env", "staging", "--version", "1.0.0",
              "--skip-gate", "--reason", "demo: first release")),
        Step("Deploy v1 to the three production hosts, canary first",
             (*deploy, "--env", "production", "--version", "1.0.0",
              "--skip-gate", "--reason", "demo: first release")),
        Step("Verify production: health, version and testinfra checks on every host",
             (*p, "verify", "--service", SERVICE, "--env", "production")),
        Step("Deploy a broken v2 (fails its health check): the canary is rolled back",
             (*deploy, "--env", "production", "--version", "2.0.0", "--set", "fault=unhealthy",
              "--skip-gate", "--reason", "demo: broken release"), expect=1),
        Step("Status: every production host still serves v1", (*p, "status", "--service", SERVICE)),
        Step("Generated monitoring is up to date with the catalog",
             (*p, "monitoring", "generate", "--check")),
        Step("Generated runbooks are up to date and lint clean", (*p, "runbook", "lint")),
        Step("Measure the program (DORA metrics from the recorded deployments)",
             (*p, "metrics", "--env", "production")),
        Step("Verify the hash-chained audit log", (*p, "audit", "verify")),
    ]  # fmt: skip


def _run(number: int, step: Step) -> None:
    from rcim.cli.main import main  # the root app imports this module

    out.print(f"\n[bold cyan]{number}.[/] [bold]{step.title}[/]")
    out.print(f"[dim]$ rcim {' '.join(_shown(step.args))}[/]")
    with _environment(step.env):
        code = main(list(step.args))
    if code != step.expect:
        raise CheckFailedError(
            f"demo step {number} ({step.title}) exited {code}, expected {step.expect}"
        )


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
