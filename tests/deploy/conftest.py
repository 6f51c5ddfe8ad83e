"""Fixtures for deployment tests: a deployable ABC program, the CLI, and an sshd server."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from deploy.helpers import CliRun, free_port, run_cli, stop_all_hosts, write_service

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path


@pytest.fixture
def staging_ports() -> tuple[int, int]:
    first = free_port()
    second = free_port()
    for _ in range(20):
        if second != first:
            break
        second = free_port()
    return first, second


@pytest.fixture
def program(abc_program: Path, staging_ports: tuple[int, int]) -> Iterator[Path]:
    """A deployable ABC program whose staging hosts are stopped again after the test."""
    write_service(abc_program, ports=staging_ports)
    try:
        yield abc_program
    finally:
        stop_all_hosts(abc_program)


@pytest.fixture
def cli(program: Path) -> Callable[..., CliRun]:
    def run(*args: str, env: dict[str, str] | None = None) -> CliRun:
        return run_cli(program, *args, env=env)

    return run
