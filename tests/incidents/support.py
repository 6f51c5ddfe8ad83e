"""Helpers of the runbook and incident tests: the real CLI in a subprocess, and the store.

The runbook and incident command groups are registered in the subprocess when
``cli/main.py`` does not register them yet, so the tests run the real entry point either way.
"""

from __future__ import annotations

import os
import pty
import re
import select as io_select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from rcim.store import open_store
from rcim.store.schema import AuditLogRow, IncidentEventRow, IncidentRow

if TYPE_CHECKING:
    from pathlib import Path

CLI = "from rcim.cli.main import run; run()"


@dataclass(frozen=True)
class CliRun:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def cli_command(program: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", CLI, "--program", str(program), *args]


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    for name in ("RCIM_DB", "RCIM_PROGRAM", "RCIM_USER", "RCIM_NOW"):
        env.pop(name, None)
    return {**env, **(extra or {})}


def run_cli(
    program: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> CliRun:
    proc = subprocess.run(
        cli_command(program, *args),
        env=cli_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    return CliRun(proc.returncode, proc.stdout, proc.stderr)


def db_url(program: Path) -> str:
    return f"sqlite:///{program.resolve() / '.rcim' / 'rcim.db'}"


@dataclass(frozen=True)
class StoreCounts:
    incidents: int
    events: int
    audit: int


def store_counts(program: Path) -> StoreCounts:
    with open_store(db_url(program)) as store, store.transaction() as session:
        return StoreCounts(
            session.scalar(select(func.count()).select_from(IncidentRow)) or 0,
            session.scalar(select(func.count()).select_from(IncidentEventRow)) or 0,
            session.scalar(select(func.count()).select_from(AuditLogRow)) or 0,
        )


_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")


class PtySession:
    """The real CLI on a pseudo-terminal: what an operator types and sees, byte for byte."""

    def __init__(self, program: Path, *args: str, env: dict[str, str] | None = None) -> None:
        argv = cli_command(program, *args)
        environment = cli_env(env)
        pid, fd = pty.fork()
        if pid == 0:  # the child becomes the rcim process, its terminal is the pty
            os.execve(argv[0], argv, environment)
        self.pid, self.fd = pid, fd
        self.screen = ""
        self._seen = 0

    def expect(self, text: str, timeout: float = 60) -> str:
        """Wait until ``text`` appears after what earlier calls matched; return the new output."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.screen.find(text, self._seen)
            if found >= 0:
                chunk = self.screen[self._seen : found + len(text)]
                self._seen = found + len(text)
                return chunk
            if not self._read(0.2):
                break
        raise AssertionError(f"{text!r} did not appear; screen so far:\n{self.screen}")

    def send(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def wait(self, timeout: float = 60) -> int:
        """Read everything left and return the exit status."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._read(0.1)
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                while self._read(0.1):
                    pass
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        raise AssertionError(f"rcim did not exit in {timeout}s; screen:\n{self.screen}")

    def _read(self, wait: float) -> bool:
        ready, _, _ = io_select.select([self.fd], [], [], wait)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        if not data:
            return False
        self.screen += _ANSI.sub("", data.decode("utf-8", errors="replace"))
        return True
