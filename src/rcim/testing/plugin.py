"""pytest plugin: run a team's own testinfra tests against the hosts of an rcim environment.

``pytest --rcim-env staging [--rcim-service NAME] [--rcim-program DIR]`` parametrizes every
test that asks for ``rcim_host`` (a testinfra host) or ``rcim_target`` (the rcim target:
name, port, root) once per host of that environment, with ids ``service/host``::

    def test_tracking_port_listens(rcim_host, rcim_target):
        assert rcim_host.socket(f"tcp://127.0.0.1:{rcim_target.port}").is_listening

Local hosts are reached with ``local://``, SSH hosts with ``ssh://user@address:port`` and the
host's key, exactly as ``rcim verify`` reaches them. Without ``--rcim-env`` such tests skip.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from rcim.deploy.targets import resolve_environment
from rcim.deploy.verify import testinfra_host
from rcim.errors import RcimError
from rcim.program import load_program

if TYPE_CHECKING:
    from rcim.deploy.model import Target

PROGRAM_FILE = "rcim.yaml"
FIXTURES = ("rcim_host", "rcim_target")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("rcim", "rcim environments for testinfra")
    group.addoption("--rcim-env", help="Run rcim_host tests against this environment's hosts.")
    group.addoption("--rcim-service", help="Only this service's hosts (default: every service).")
    group.addoption("--rcim-program", help="Program directory (default: RCIM_PROGRAM or search).")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if not any(name in metafunc.fixturenames for name in FIXTURES):
        return
    env = metafunc.config.getoption("--rcim-env")
    if not env:
        return
    targets = environment_targets(
        metafunc.config.getoption("--rcim-program"),
        env,
        metafunc.config.getoption("--rcim-service"),
    )
    metafunc.parametrize(
        "rcim_target", [target for _, target in targets], ids=[i for i, _ in targets], indirect=True
    )


def environment_targets(
    program_dir: str | None, env: str, service: str | None
) -> list[tuple[str, Target]]:
    """(``service/host``, target) for every deployable host of ``env``."""
    try:
        program = load_program(_program_dir(program_dir))
        if env not in program.environment_names:
            known = ", ".join(program.environment_names)
            raise pytest.UsageError(f"--rcim-env: unknown environment '{env}' (known: {known})")
        names = [service] if service else sorted(program.services)
        pairs = [
            (name, target)
            for name in names
            if service or (program.services[name].deploy and program.services[name].hosts.get(env))
            for target in resolve_environment(program, name, env).targets
        ]
    except RcimError as error:
        raise pytest.UsageError(f"--rcim-env {env}: {'; '.join(error.lines())}") from None
    return [(f"{name}/{target.name}", target) for name, target in pairs]


def _program_dir(option: str | None) -> Path:
    if option:
        return Path(option)
    if os.environ.get("RCIM_PROGRAM"):
        return Path(os.environ["RCIM_PROGRAM"])
    start = Path.cwd()
    for candidate in (start, *start.parents):
        if (candidate / PROGRAM_FILE).is_file():
            return candidate
    raise pytest.UsageError(f"no {PROGRAM_FILE} here or above; pass --rcim-program DIR")


@pytest.fixture
def rcim_target(request: pytest.FixtureRequest) -> Target:
    """The rcim host a test runs against (parametrized by ``--rcim-env``)."""
    if not hasattr(request, "param"):
        pytest.skip("pass --rcim-env ENV to run tests against an rcim environment")
    target: Target = request.param
    return target


@pytest.fixture
def rcim_host(rcim_target: Target) -> Any:  # noqa: ANN401 - testinfra hosts are untyped
    """A testinfra host for ``rcim_target``."""
    return testinfra_host(rcim_target)
