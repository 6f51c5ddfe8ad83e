"""rcim deploy | rollback | verify | status: releases onto hosts, verified, undone on failure."""

from __future__ import annotations

import getpass
from typing import Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from rcim import clock
from rcim.cli.context import FormatOption, OutputFormat, globals_of
from rcim.cli.output import err, out, print_json
from rcim.deploy import (
    DeploymentReport,
    DeployRequest,
    EnvironmentStatus,
    RollbackReport,
    deploy,
    environment_status,
    rollback,
    verify_environment,
)
from rcim.deploy.artifact import parse_overrides
from rcim.deploy.manage import deployable_pairs
from rcim.deploy.model import CheckResult, Phase
from rcim.errors import EXIT_FAILED, InvalidInputError
from rcim.program import load_program
from rcim.store import open_store

ServiceOption = Annotated[str, typer.Option("--service", "-s", help="Service to act on.")]
EnvOption = Annotated[str, typer.Option("--env", "-e", help="Environment (e.g. staging).")]
WaitOption = Annotated[
    float,
    typer.Option("--wait", help="Seconds to wait for another deploy's lock (default: refuse)."),
]


class ProgressReporter:
    """A Rich progress line per host, on stderr so that stdout stays machine-readable."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._tasks: dict[str, Any] = {}

    def host_phase(self, host: str, phase: Phase) -> None:
        task = self._task(host)
        self._progress.update(task, description=f"{phase}…")

    def host_done(self, host: str, ok: bool, detail: str) -> None:
        mark = "[green]✓[/]" if ok else "[red]✗[/]"
        self._progress.update(self._task(host), description=f"{mark} {detail[:90]}")

    def _task(self, host: str) -> Any:  # noqa: ANN401 - Rich's TaskID
        if host not in self._tasks:
            self._tasks[host] = self._progress.add_task("waiting", host=host, total=None)
        return self._tasks[host]


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.fields[host]:<16}[/]"),
        TextColumn("{task.description}"),
        console=err,
    )


def _actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def deploy_command(
    ctx: typer.Context,
    service: ServiceOption,
    env: EnvOption,
    version: Annotated[str, typer.Option("--version", "-v", help="Version label to deploy.")],
    commit: Annotated[
        str | None, typer.Option("--commit", help="Commit to deploy (default: HEAD).")
    ] = None,
    strategy: Annotated[
        str | None, typer.Option("--strategy", help="rolling or canary (default: the service's).")
    ] = None,
    batch: Annotated[
        int | None, typer.Option("--batch", help="Hosts per batch (default: the service's).")
    ] = None,
    settings: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override service configuration for this release: key=value."),
    ] = None,
    change: Annotated[str | None, typer.Option("--change", help="Change record ID.")] = None,
    skip_gate: Annotated[
        bool, typer.Option("--skip-gate", help="Deploy without the release gate (audited).")
    ] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why the gate is skipped.")] = None,
    wait: WaitOption = 0.0,
    output_format: FormatOption = None,
) -> None:
    """Deploy a version to every host of an environment; roll back automatically on failure."""
    if skip_gate and not (reason and reason.strip()):
        raise InvalidInputError("--skip-gate needs --reason saying why the gate is bypassed")
    options = globals_of(ctx)
    program = load_program(options.program_dir())
    request = DeployRequest(
        service=service,
        env=env,
        version=version,
        actor=_actor(),
        commit=commit,
        strategy=strategy,
        batch=batch,
        overrides=parse_overrides(settings or []),
        change_id=change,
        skip_gate_reason=reason.strip() if skip_gate and reason else None,
        wait_seconds=wait,
    )
    if request.skip_gate_reason is not None:
        err.print(f"[bold red]release gate skipped:[/] {request.skip_gate_reason}")
    with open_store(options.db_url()) as store, _progress() as progress:
        report = deploy(
            request,
            program=program,
            store=store,
            clock=clock.now,
            reporter=ProgressReporter(progress),
        )
    _show_report(report, options.output_format(output_format))
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)


def _show_report(report: DeploymentReport, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        print_json(_report_json(report))
        return
    table = Table("host", "outcome", "release", "detail", show_edge=False)
    for host in report.hosts:
        colour = "green" if host.outcome == "succeeded" else "yellow"
        if host.outcome in ("failed", "rollback_failed"):
            colour = "red"
        table.add_row(host.host, f"[{colour}]{host.outcome}[/]", host.release or "-", host.detail)
    out.print(table)
    colour = "green" if report.ok else "red"
    out.print(
        f"[{colour}]{report.result}[/]: {report.service} {report.version} "
        f"({report.commit[:12]}) to {report.env}, {report.strategy} — {report.deployment_id}"
    )


def _report_json(report: DeploymentReport) -> dict[str, Any]:
    return {
        "deployment_id": report.deployment_id,
        "service": report.service,
        "env": report.env,
        "version": report.version,
        "commit": report.commit,
        "strategy": report.strategy,
        "result": report.result,
        "reason": report.reason,
        "started_at": report.started_at.isoformat(),
        "finished_at": report.finished_at.isoformat(),
        "hosts": [
            {
                "host": h.host,
                "outcome": h.outcome,
                "release": h.release,
                "detail": h.detail,
                "started_at": h.started_at.isoformat(),
                "finished_at": h.finished_at.isoformat(),
            }
            for h in report.hosts
        ],
        "checks": [_check_json(check) for check in report.checks],
    }


def _check_json(check: CheckResult) -> dict[str, Any]:
    return {"host": check.host, "check": check.check, "ok": check.ok, "detail": check.detail}


def rollback_command(
    ctx: typer.Context,
    service: ServiceOption,
    env: EnvOption,
    to: Annotated[
        str | None, typer.Option("--to", help="Version or release name (default: the previous).")
    ] = None,
    wait: WaitOption = 0.0,
    output_format: FormatOption = None,
) -> None:
    """Put every host back on its previous release (or --to VERSION), restarted and verified."""
    options = globals_of(ctx)
    program = load_program(options.program_dir())
    with open_store(options.db_url()) as store, _progress() as progress:
        report = rollback(
            program,
            service,
            env,
            to,
            store=store,
            clock=clock.now,
            reporter=ProgressReporter(progress),
            actor=_actor(),
            wait_seconds=wait,
        )
    _show_rollback(report, options.output_format(output_format))
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)


def _show_rollback(report: RollbackReport, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        print_json(
            {
                "service": report.service,
                "env": report.env,
                "ok": report.ok,
                "to": report.to_versions,
                "marked_deployment": report.marked_deployment,
                "hosts": [
                    {"host": h.host, "outcome": h.outcome, "release": h.release, "detail": h.detail}
                    for h in report.hosts
                ],
            }
        )
        return
    for host in report.hosts:
        out.print(f"{host.host}: {host.outcome} — {host.detail}", markup=False)
    verdict = "[green]rolled back[/]" if report.ok else "[red]rollback failed[/]"
    versions = ", ".join(sorted(set(report.to_versions.values())))
    out.print(f"{verdict}: {report.service} in {report.env} on {versions}")


def verify_command(
    ctx: typer.Context, service: ServiceOption, env: EnvOption, output_format: FormatOption = None
) -> None:
    """Check health, version and testinfra checks of the current release on every host."""
    options = globals_of(ctx)
    results = verify_environment(load_program(options.program_dir()), service, env)
    ok = all(result.ok for result in results)
    if options.output_format(output_format) is OutputFormat.json:
        print_json(
            {"service": service, "env": env, "ok": ok, "checks": [_check_json(r) for r in results]}
        )
    else:
        for result in results:
            mark = "[green]pass[/]" if result.ok else "[red]FAIL[/]"
            out.print(f"{mark} {result.host}: {result.check} — {result.detail}")
        out.print(
            f"{'[green]verified' if ok else '[red]verification failed'}[/]: {service} in {env}"
        )
    if not ok:
        raise typer.Exit(EXIT_FAILED)


def status_command(
    ctx: typer.Context,
    service: Annotated[
        str | None, typer.Option("--service", "-s", help="Only this service.")
    ] = None,
    output_format: FormatOption = None,
) -> None:
    """Version per host, last deployment and lock holder of every environment."""
    options = globals_of(ctx)
    program = load_program(options.program_dir())
    with open_store(options.db_url()) as store:
        statuses = [
            environment_status(program, name, env, store=store)
            for name, env in deployable_pairs(program, service)
        ]
    if options.output_format(output_format) is OutputFormat.json:
        print_json([_status_json(status) for status in statuses])
        return
    for status in statuses:
        _show_status(status)


def _status_json(status: EnvironmentStatus) -> dict[str, Any]:
    return {
        "service": status.service,
        "env": status.env,
        "lock_holder": status.lock_holder,
        "last_deployment": status.last_deployment,
        "hosts": [
            {
                "host": h.host,
                "release": h.release,
                "version": h.version,
                "running": h.running,
                "detail": h.detail,
            }
            for h in status.hosts
        ],
    }


def _show_status(status: EnvironmentStatus) -> None:
    out.print(f"[bold]{status.service}[/] in [bold]{status.env}[/]")
    for host in status.hosts:
        state = "running" if host.running else "stopped"
        where = host.version or "no release"
        out.print(f"  {host.host:<16} {where:<12} {state:<8} {host.detail}", markup=False)
    last = status.last_deployment
    if last:
        out.print(
            f"  last deployment: {last['id']} {last['version']} {last['result']}", markup=False
        )
    else:
        out.print("  last deployment: none")
    out.print(f"  lock: {status.lock_holder or 'free'}", markup=False)
