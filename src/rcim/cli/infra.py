"""rcim infra: provision the platform with Pulumi (offline plan, preview, up, inventory)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from rcim.cli.context import FormatOption, OutputFormat, globals_of
from rcim.cli.output import out, print_json, print_plain
from rcim.errors import EXIT_FAILED, InvalidInputError
from rcim.infra.automation import EngineResult, preview, stack_outputs, up
from rcim.infra.gatehook import head_commit, require_gate_allows
from rcim.infra.inventory import (
    inventory_hosts,
    outputs_from,
    read_outputs_file,
    render_inventory,
)
from rcim.infra.plan import CHANGE_ENV, plan_environment
from rcim.infra.report import plan_as_json, plan_as_markdown, plan_as_text
from rcim.infra.settings import require_environment
from rcim.program import load_program
from rcim.store import open_store

app = typer.Typer(
    help="Provision the platform with Pulumi: offline plan, preview, up, inventory.",
    no_args_is_help=True,
)

EnvOption = Annotated[str, typer.Option("--env", "-e", help="Environment (= Pulumi stack).")]


def _change_in_force() -> str | None:
    return os.environ.get(CHANGE_ENV) or None


@app.command("plan")
def plan_command(ctx: typer.Context, env: EnvOption, output_format: FormatOption = None) -> None:
    """Run the platform program offline (Pulumi mocks) and check it against the policies.

    Exits 1 when a mandatory policy is violated.
    """
    options = globals_of(ctx)
    plan = plan_environment(load_program(options.program_dir()), env, change=_change_in_force())
    fmt = options.output_format(output_format)
    if fmt is OutputFormat.json:
        print_json(plan_as_json(plan))
    elif fmt is OutputFormat.md:
        print_plain(plan_as_markdown(plan))
    else:
        print_plain(plan_as_text(plan))
    if not plan.passed:
        raise typer.Exit(EXIT_FAILED)


@app.command("preview")
def preview_command(ctx: typer.Context, env: EnvOption, output_format: FormatOption = None) -> None:
    """Preview the platform with the Pulumi engine (needs the pulumi CLI; exit 4 without)."""
    options = globals_of(ctx)
    result = preview(load_program(options.program_dir()), env, change=_change_in_force())
    _print_result(result, options.output_format(output_format))


@app.command("up")
def up_command(
    ctx: typer.Context,
    env: EnvOption,
    commit: Annotated[
        str | None, typer.Option("--commit", help="Commit the gate must allow (default: HEAD).")
    ] = None,
    output_format: FormatOption = None,
) -> None:
    """Provision the platform; refused (exit 1) unless the release gate allows env at commit."""
    options = globals_of(ctx)
    program = load_program(options.program_dir())
    require_environment(program, env)
    sha = commit or head_commit(program.root)
    with open_store(options.db_url()) as store:
        require_gate_allows(store, env, sha)
    result = up(program, env, change=_change_in_force())
    _print_result(result, options.output_format(output_format))


@app.command("inventory")
def inventory_command(
    ctx: typer.Context,
    env: EnvOption,
    outputs: Annotated[
        Path | None,
        typer.Option(
            "--outputs",
            help="A 'pulumi stack output --json' file (default: ask the engine).",
            dir_okay=False,
        ),
    ] = None,
    out_file: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Where to write (default: .rcim/inventory/<env>.py; '-' for stdout)."
        ),
    ] = None,
) -> None:
    """Write the pyinfra inventory (a Python file) of the environment's ssh hosts."""
    options = globals_of(ctx)
    program = load_program(options.program_dir())
    require_environment(program, env)
    if outputs is not None:
        stack = read_outputs_file(outputs)
    else:
        stack = outputs_from(stack_outputs(program, env), f"stack outputs of {env}")
    hosts = inventory_hosts(program, env, stack)
    text = render_inventory(env, hosts)
    if out_file is not None and str(out_file) == "-":
        print_plain(text)
        return
    target = out_file or program.root / ".rcim" / "inventory" / f"{env}.py"
    _write(target, text)
    out.print(f"wrote {len(hosts)} ssh host(s) of {env} to {target}", markup=False)


def _write(target: Path, text: str) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InvalidInputError(f"{target}: cannot write: {error.strerror or error}") from None


def _print_result(result: EngineResult, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        print_json(
            {
                "env": result.env,
                "operation": result.operation,
                "changes": result.changes,
                "outputs": result.outputs,
            }
        )
        return
    counts = ", ".join(f"{op}: {n}" for op, n in sorted(result.changes.items())) or "no changes"
    print_plain(f"pulumi {result.operation} {result.env}: {counts}")
