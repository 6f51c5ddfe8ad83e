"""rcim demo: run the end-to-end release program on the embedded ABC Logistics example."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from rcim import clock
from rcim.cli.context import default_db_url
from rcim.cli.output import out
from rcim.errors import CheckFailedError, InvalidInputError
from rcim.program import load_program
from rcim.program.scaffold import scaffold
from rcim.program.summary import summarize
from rcim.store import open_store
from rcim.store.audit import append_audit, verify_audit

MARKER = ".rcim-demo"


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
    program_dir = root / "abc-logistics"
    _step(1, "Write the ABC Logistics program as a new git repository")
    result = scaffold(program_dir, "abc")
    out.print(f"  {len(result.files)} files, initial commit {result.commit[:12]} in {program_dir}")
    _step(2, "Check the program as code")
    summary = summarize(load_program(program_dir))
    services = ", ".join(f"{s['name']} (tier {s['tier']})" for s in summary["services"])
    out.print(f"  {summary['organization']}: {services}")
    _step(3, "Record the checked program in the hash-chained audit log and verify the chain")
    _audit_round_trip(program_dir, result.commit)
    out.print(f"\n[green]Demo finished.[/] Explore it: rcim --program {program_dir} check")


def _prepare(workdir: Path | None) -> Path:
    if workdir is None:
        return Path(tempfile.mkdtemp(prefix="rcim-demo-"))
    if workdir.exists():
        if not (workdir / MARKER).exists() and any(workdir.iterdir()):
            raise InvalidInputError(
                f"--workdir {workdir}: not empty and not made by 'rcim demo'; choose another"
            )
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    (workdir / MARKER).write_text("made by rcim demo; deleted on the next run\n", encoding="utf-8")
    return workdir


def _audit_round_trip(program_dir: Path, commit: str) -> None:
    store = open_store(default_db_url(program_dir))
    try:
        with store.transaction() as session:
            entry = append_audit(
                session,
                actor="rcim-demo",
                action="program.checked",
                subject=str(program_dir.name),
                payload={"commit": commit},
                at=clock.now(),
            )
        with store.transaction() as session:
            verification = verify_audit(session)
    finally:
        store.close()
    if not verification.ok:
        raise CheckFailedError(f"audit log: {verification.problem}")
    checked = verification.entries_checked
    out.print(f"  entry #{entry.seq} {entry.hash[:16]}…; chain intact ({checked} entries)")


def _step(number: int, title: str) -> None:
    out.print(f"\n[bold cyan]{number}.[/] [bold]{title}[/]")
