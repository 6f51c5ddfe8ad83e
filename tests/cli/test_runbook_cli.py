"""End to end: generate and lint runbooks, then run one on an incident of a service that is
down, non-interactively (answers file) and in a real terminal (a pty), with Ctrl-C and resume."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from typing import TYPE_CHECKING, Any

import pytest

from incidents.support import PtySession, run_cli, store_counts

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.slow
RUNBOOK = "incident/shipment-tracking"
ANSWERS = """runbook: incident/shipment-tracking
answers:
  1: yes
  2: {answer: no, note: "customers in Brno and Vienna"}
  7: yes
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def up_port(tmp_path: Path) -> Iterator[int]:
    """The service's dependency, up: a real HTTP server on a free loopback port."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "-d",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def down_program(abc_program: Path, up_port: int) -> Path:
    """The example, with shipment-tracking's diagnostics aimed at a port nothing listens on."""
    down = free_port()
    path = abc_program / "services" / "shipment-tracking.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("runbook:")] + DIAGNOSTICS.format(down=down, up=up_port))
    result = run_cli(abc_program, "runbook", "generate")
    assert result.code == 0, result.output
    return abc_program


DIAGNOSTICS = """runbook:
  diagnostics:
    - title: Check the health endpoint
      level: L1
      instruction: Ask the API whether it is healthy.
      check: {{kind: http, url: "http://127.0.0.1:{down}/healthz", timeout_seconds: 2}}
      on_failure: escalate
    - title: Check the archive it depends on
      level: L1
      instruction: The records archive must answer.
      check: {{kind: tcp, host: 127.0.0.1, port: {up}}}
    - title: Check the archive index
      level: L2
      instruction: The archive index page must load.
      check: {{kind: http, url: "http://127.0.0.1:{up}/", expect_body: "Directory listing"}}
    - title: Check the service process
      level: L2
      instruction: Is the tracking process running?
      check: {{kind: command, run: "echo no tracking process; exit 3"}}
"""


def open_incident(program: Path) -> str:
    result = run_cli(
        program,
        "incident",
        "open",
        "--service",
        "shipment-tracking",
        "--impact",
        "high",
        "--urgency",
        "high",
        "--title",
        "Tracking API down",
        "--as",
        "lucie",
        "--format",
        "json",
    )
    assert result.code == 0, result.output
    return str(json.loads(result.stdout)["id"])


def run_steps(program: Path, incident: str) -> list[dict[str, Any]]:
    shown = run_cli(program, "incident", "show", incident, "--format", "json")
    assert shown.code == 0, shown.output
    events: list[dict[str, Any]] = json.loads(shown.stdout)["timeline"]
    return [e for e in events if e["kind"] not in ("opened",)]


def test_generate_check_and_lint(abc_program: Path) -> None:
    assert run_cli(abc_program, "runbook", "generate", "--check").code == 0
    assert run_cli(abc_program, "runbook", "lint").code == 0
    target = abc_program / "runbooks" / "dr" / "vpn-gateway.md"
    target.write_text(target.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    (abc_program / "runbooks" / "alerts" / "VpnGatewayTargetDown.md").unlink()
    check = run_cli(abc_program, "runbook", "generate", "--check", "--format", "json")
    assert check.code == 1
    stale = {f["path"]: f["status"] for f in json.loads(check.stdout)["files"]}
    assert stale["dr/vpn-gateway.md"] == "updated"
    assert stale["alerts/VpnGatewayTargetDown.md"] == "created"
    lint = run_cli(abc_program, "runbook", "lint")
    assert lint.code == 1
    assert "alert VpnGatewayTargetDown of service vpn-gateway has no runbook" in lint.stdout
    assert run_cli(abc_program, "runbook", "generate").code == 0
    assert run_cli(abc_program, "runbook", "lint").code == 0


def test_runbook_on_a_down_service_with_answers(down_program: Path, tmp_path: Path) -> None:
    incident = open_incident(down_program)
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    result = run_cli(
        down_program,
        "runbook",
        "run",
        RUNBOOK,
        "--incident",
        incident,
        "--answers",
        str(answers),
        "--as",
        "lucie",
    )
    assert result.code == 1, result.output  # checks failed
    assert "Escalate to L2: call L2 Platform Engineering (responds within 30 min)" in result.stdout
    events = run_steps(down_program, incident)
    steps = [e["data"] for e in events if e["kind"] == "runbook_step"]
    assert [(s["step"], s["title"], s["check"], s["status"]) for s in steps] == [
        (1, "Gather information", "manual", "passed"),
        (2, "Isolate the issue", "manual", "failed"),
        (3, "Check the health endpoint", "http", "failed"),
        (4, "Check the archive it depends on", "tcp", "passed"),
        (5, "Check the archive index", "http", "passed"),
        (6, "Check the service process", "command", "failed"),
        (7, "Follow up", "manual", "passed"),
        (8, "Document the solution", None, "done"),
    ]
    assert steps[1]["output"] == "customers in Brno and Vienna"
    assert "Connection refused" in steps[2]["detail"]
    assert (steps[5]["exit_status"], steps[5]["output"]) == (3, "no tracking process")
    assert all(s["operator"] == "lucie" and s["duration_seconds"] >= 0 for s in steps)
    assert all(s["started_at"] for s in steps)
    kinds = [e["kind"] for e in events]
    escalation = events[kinds.index("escalated")]
    assert kinds.index("escalated") == kinds.index("runbook_step") + 3  # right after step 3
    assert escalation["data"]["step"] == 3
    assert (escalation["data"]["to_level"], escalation["data"]["team"]) == ("L2", "platform")
    assert "Tomáš Novák" in escalation["data"]["people"]
    assert kinds.count("escalated") == 1
    assert (kinds[0], kinds[-1]) == ("runbook_started", "runbook_finished")


@pytest.mark.parametrize(
    ("args", "answers", "message"),
    [
        (("--incident", "INC-2026-0404"), ANSWERS, "unknown incident 'INC-2026-0404'"),
        (
            ("--incident", "INC-2026-0001"),
            "answers: [1, 2]\n",
            ".yaml:1:10: answers: expected a mapping",
        ),
        (
            ("--incident", "INC-2026-0001"),
            "answers:\n  1: maybe\n",
            ".yaml:2:6: answers[1]: input should be 'yes', 'no' or 'skip'",
        ),
        (
            ("--incident", "INC-2026-0001"),
            "answers:\n  1: yes\n",
            "no answer for manual steps 2, 7",
        ),
        (("--incident", "INC-2026-0001"), "answers:\n  3: yes\n", "step 3 of incident/shipment"),
    ],
    ids=["unknown-incident", "not-a-mapping", "bad-word", "missing", "not-manual"],
)
def test_bad_input_exits_2_and_changes_nothing(
    down_program: Path, tmp_path: Path, args: tuple[str, ...], answers: str, message: str
) -> None:
    open_incident(down_program)
    before = store_counts(down_program)
    (tmp_path / "a.yaml").write_text(answers, encoding="utf-8")
    extra = ("--answers", str(tmp_path / "a.yaml"))
    result = run_cli(down_program, "runbook", "run", RUNBOOK, *args, *extra, "--as", "lucie")
    assert result.code == 2, result.output
    assert message in result.stderr
    assert store_counts(down_program) == before


def test_unknown_runbook_and_missing_terminal(down_program: Path) -> None:
    incident = open_incident(down_program)
    unknown = run_cli(
        down_program, "runbook", "run", "incident/shipment", "--incident", incident, "--as", "lucie"
    )
    assert unknown.code == 2
    assert "unknown runbook 'incident/shipment'; did you mean 'incident/shipment-tracking'?" in (
        unknown.stderr
    )
    no_tty = run_cli(
        down_program, "runbook", "run", RUNBOOK, "--incident", incident, "--as", "lucie"
    )
    assert no_tty.code == 2
    assert "stdin is not a terminal; pass --answers FILE" in no_tty.stderr


def test_interactive_run_in_a_terminal(down_program: Path) -> None:
    incident = open_incident(down_program)
    session = PtySession(
        down_program, "runbook", "run", RUNBOOK, "--incident", incident, "--as", "tomas"
    )
    session.expect("Step 1/8 · L1 · Gather information")
    session.expect("[y/n/s]")
    session.send("y\r")
    session.expect("Note (Enter for none)")
    session.send("\r")
    session.expect("Step 2/8 · L1 · Isolate the issue")
    session.expect("[y/n/s]")
    session.send("maybe\r")  # Rich re-asks until the answer is one of the choices
    session.expect("Please select one of the available options")
    session.send("n\r")
    session.expect("Note (Enter for none)")
    session.send("only the Vienna office\r")
    screen = session.expect("Escalate to L2: call L2 Platform Engineering")
    assert "✗ failed no answer from http://127.0.0.1:" in screen
    session.expect("Step 7/8 · L1 · Follow up")
    session.expect("[y/n/s]")
    session.send("s\r")
    session.expect("Note (Enter for none)")
    session.send("\r")
    session.expect("incident/shipment-tracking completed (run 1, 8 steps now)")
    assert session.wait() == 1
    steps = [e["data"] for e in run_steps(down_program, incident) if e["kind"] == "runbook_step"]
    assert [s["status"] for s in steps] == [
        "passed",
        "failed",
        "failed",
        "passed",
        "passed",
        "failed",
        "skipped",
        "done",
    ]
    assert steps[1]["output"] == "only the Vienna office"
    assert {s["operator"] for s in steps} == {"tomas"}


def test_ctrl_c_leaves_a_consistent_record_that_run_resumes(
    down_program: Path, tmp_path: Path
) -> None:
    incident = open_incident(down_program)
    session = PtySession(
        down_program, "runbook", "run", RUNBOOK, "--incident", incident, "--as", "tomas"
    )
    session.expect("[y/n/s]")
    session.send("y\r")
    session.expect("Note (Enter for none)")
    session.send("\r")
    session.expect("Step 2/8 · L1 · Isolate the issue")
    session.expect("[y/n/s]")
    session.send("\x03")  # Ctrl-C while the operator is being asked
    assert session.wait() == 130
    assert "interrupted at step 2; the steps before it are recorded" in session.screen
    events = run_steps(down_program, incident)
    assert [e["kind"] for e in events] == ["runbook_started", "runbook_step", "runbook_interrupted"]
    assert run_cli(down_program, "audit", "verify").code == 0
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    resumed = run_cli(
        down_program,
        "runbook",
        "run",
        RUNBOOK,
        "--incident",
        incident,
        "--answers",
        str(answers),
        "--as",
        "lucie",
    )
    assert resumed.code == 1, resumed.output
    assert "Resuming run 1 at step 2" in resumed.stdout
    events = run_steps(down_program, incident)
    steps = [
        (e["data"]["step"], e["data"]["operator"]) for e in events if e["kind"] == "runbook_step"
    ]
    assert steps == [(1, "tomas")] + [(n, "lucie") for n in range(2, 9)]
    assert [e["kind"] for e in events].count("runbook_resumed") == 1
    assert events[-1]["kind"] == "runbook_finished"
