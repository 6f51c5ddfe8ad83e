from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from typing import TYPE_CHECKING, get_args

import pytest

from rcim.program.service import (
    CommandCheck,
    HttpCheck,
    ManualCheck,
    StepCheck,
    TcpCheck,
)
from rcim.program.service import (
    TestinfraCheck as InfraCheck,
)
from rcim.runbooks.checks import CHECK_KINDS, CheckContext, HostTarget, ManualAnswer, run_check

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A real HTTP server serving one file, on a free loopback port."""
    root = tmp_path_factory.mktemp("web")
    (root / "healthz").write_text("status: ok\n", encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def no_operator(question: str) -> ManualAnswer:
    raise AssertionError(f"unexpected question {question}")


CONTEXT = CheckContext((), no_operator)


def test_the_registry_covers_every_check_model() -> None:
    models = get_args(get_args(StepCheck)[0])
    kinds = {get_args(model.model_fields["kind"].annotation)[0] for model in models}
    assert kinds == set(CHECK_KINDS)


@pytest.mark.parametrize(
    ("check", "status", "detail"),
    [
        (CommandCheck(kind="command", run="echo active"), "passed", "exit status 0"),
        (CommandCheck(kind="command", run="exit 3", expect_exit=3), "passed", "exit status 3"),
        (CommandCheck(kind="command", run="false"), "failed", "exit status 1, expected 0"),
        (
            CommandCheck(kind="command", run="echo inactive", expect_output="^active"),
            "failed",
            "output does not match /^active/",
        ),
        (
            CommandCheck(kind="command", run="sleep 5", timeout_seconds=0.2),
            "failed",
            "timed out after 0.2s",
        ),
    ],
)
def test_command_checks(check: CommandCheck, status: str, detail: str) -> None:
    result = run_check(check, CONTEXT)
    assert (result.status, result.detail) == (status, detail)


def test_http_checks_against_a_real_server(web: int) -> None:
    url = f"http://127.0.0.1:{web}/healthz"
    ok = run_check(HttpCheck(kind="http", url=url, expect_body="^status: ok"), CONTEXT)
    assert (ok.status, ok.exit_status, ok.output) == ("passed", 200, "status: ok")
    missing = run_check(HttpCheck(kind="http", url=f"http://127.0.0.1:{web}/nope"), CONTEXT)
    assert (missing.status, missing.detail) == ("failed", "status 404, expected 200")
    body = run_check(HttpCheck(kind="http", url=url, expect_body="degraded"), CONTEXT)
    assert body.detail == "body does not match /degraded/"
    down = run_check(HttpCheck(kind="http", url=f"http://127.0.0.1:{free_port()}/"), CONTEXT)
    assert down.status == "failed"
    assert "Connection refused" in down.detail


def test_tcp_checks(web: int) -> None:
    up = run_check(TcpCheck(kind="tcp", host="127.0.0.1", port=web), CONTEXT)
    assert up.status == "passed"
    down = run_check(TcpCheck(kind="tcp", host="127.0.0.1", port=free_port()), CONTEXT)
    assert down.status == "failed"
    assert "unreachable" in down.detail


def test_testinfra_checks_run_on_each_host(tmp_path: Path) -> None:
    marker = tmp_path / "release.txt"
    marker.write_text("v2\n", encoding="utf-8")
    hosts = (HostTarget("a", "local://"), HostTarget("b", "local://"))
    context = CheckContext(hosts, no_operator)
    expression = f"host.file({str(marker)!r}).contains('v2')"
    passed = run_check(InfraCheck(kind="testinfra", expression=expression), context)
    assert (passed.status, passed.detail) == ("passed", "true on all 2 hosts")
    gone = f"host.file({str(tmp_path / 'gone')!r}).exists"
    failed = run_check(InfraCheck(kind="testinfra", expression=gone), context)
    assert (failed.status, failed.detail) == ("failed", "false on 2 of 2 hosts")
    broken = run_check(InfraCheck(kind="testinfra", expression="host.nope()"), context)
    assert "AttributeError" in broken.output
    alone = run_check(InfraCheck(kind="testinfra", expression="True"), CONTEXT)
    assert alone.detail == "the service has no hosts to run testinfra against"


def test_manual_checks_ask_the_operator() -> None:
    asked: list[str] = []

    def operator(question: str) -> ManualAnswer:
        asked.append(question)
        return ManualAnswer("failed", "two users")

    result = run_check(ManualCheck(kind="manual", question="All fine?"), CheckContext((), operator))
    assert asked == ["All fine?"]
    assert (result.status, result.detail, result.output) == (
        "failed",
        "operator answered no",
        "two users",
    )
