from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rcim.program import load_program
from rcim.program.loader import Program  # noqa: TC001 - fixture annotation
from rcim.runbooks import lint_runbooks

EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "rcim" / "examples" / "abc"
GOOD_STEP = """### 1. Check the page

Ask the page.

```yaml rcim-step
level: L1
check:
  kind: http
  url: http://127.0.0.1:1/healthz
on_failure: escalate
```
"""


@pytest.fixture(scope="module")
def abc() -> Program:
    return load_program(EXAMPLE)


@pytest.fixture
def runbooks(tmp_path: Path) -> Path:
    target = tmp_path / "runbooks"
    shutil.copytree(EXAMPLE / "runbooks", target)
    return target


def write(path: Path, front: str, body: str = GOOD_STEP) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}---\n\n# Title\n\n{body}", encoding="utf-8")
    return path


def messages(abc: Program, runbooks: Path) -> list[str]:
    return [str(p) for p in lint_runbooks(abc, runbooks)]


def test_the_example_runbooks_lint_clean(abc: Program, runbooks: Path) -> None:
    assert messages(abc, runbooks) == []


def test_an_alert_without_runbook_fails(abc: Program, runbooks: Path) -> None:
    (runbooks / "alerts" / "VpnGatewayTargetDown.md").unlink()
    assert messages(abc, runbooks) == [
        f"{runbooks}/alerts/VpnGatewayTargetDown.md: alert VpnGatewayTargetDown of service "
        "vpn-gateway has no runbook (run 'rcim runbook generate')"
    ]


def test_unknown_service_and_alert_fail(abc: Program, runbooks: Path) -> None:
    write(
        runbooks / "incident" / "ghost.md",
        "id: incident/ghost\nkind: incident\ntitle: G\nservice: ghost\n",
    )
    front = (
        "id: alerts/NoSuchAlert\nkind: alerts\ntitle: N\nservice: vpn-gateway\nalert: NoSuchAlert\n"
    )
    write(runbooks / "alerts" / "NoSuchAlert.md", front)
    found = messages(abc, runbooks)
    assert (
        f"{runbooks}/alerts/NoSuchAlert.md:1:1: alert: no service has an alert named 'NoSuchAlert'"
        in found
    )
    assert f"{runbooks}/incident/ghost.md:1:1: service: unknown service 'ghost'" in found
    assert len(found) == 2


def test_alert_of_another_service_and_misplaced_id_fail(abc: Program, runbooks: Path) -> None:
    front = (
        "id: alerts/Elsewhere\nkind: alerts\ntitle: T\nservice: booking-web\n"
        "alert: VpnGatewayTargetDown\n"
    )
    write(runbooks / "alerts" / "Other.md", front)
    found = messages(abc, runbooks)
    path = f"{runbooks}/alerts/Other.md:1:1"
    assert f"{path}: id: 'alerts/Elsewhere' does not match the file's place 'alerts/Other'" in found
    assert f"{path}: alert: VpnGatewayTargetDown belongs to vpn-gateway, not booking-web" in found


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        ("  kind: http\n  url: ftp://x/\n", "17:8: check.url: 'ftp://x/' is not an http"),
        (
            "  kind: command\n  run: 'true'\n  expect_output: '(['\n",
            "18:18: check.expect_output: invalid regular expression '(['",
        ),
        ("  kind: tcp\n  host: h\n  port: 70000\n", "18:9: check.port: input should be less"),
        ("  kind: smoke\n", "16:3: check: 'smoke' is not one of 'command', 'http', 'tcp'"),
        (
            "  kind: testinfra\n  expression: 'host.file('\n",
            "17:15: check.expression: not a Python expression",
        ),
        ("  kind: manual\n  question: Q\n  extra: 1\n", "18:3: check.extra: unknown key 'extra'"),
    ],
    ids=["url", "regex", "port", "kind", "testinfra", "extra-key"],
)
def test_malformed_checks_fail_with_their_position(
    abc: Program, runbooks: Path, check: str, expected: str
) -> None:
    body = f"### 1. Step\n\nDo it.\n\n```yaml rcim-step\nlevel: L1\ncheck:\n{check}```\n"
    path = write(
        runbooks / "incident" / "broken.md", "id: incident/broken\nkind: incident\ntitle: B\n", body
    )
    found = messages(abc, runbooks)
    assert len(found) == 1, found
    assert found[0].startswith(f"{path}:{expected}"), found


def test_step_structure_problems(abc: Program, runbooks: Path) -> None:
    body = (
        GOOD_STEP
        + "\n### 3. Skipped a number\n\nText.\n\n```yaml rcim-step\non_failure: {jump: 1}\n```\n"
        + "\n### 4. No block\n\nText only.\n\n## Other section\n"
    )
    path = write(
        runbooks / "release" / "odd.md", "id: release/odd\nkind: release\ntitle: O\n", body
    )
    found = messages(abc, runbooks)
    assert found == [
        f"{path}:21:1: step 3: on_failure jumps to step 1; a jump must go forward, "
        "to a later step of this runbook",
        f"{path}:21:5: step 3: expected step number 2 here",
        f"{path}:29:1: step 4: no '```yaml rcim-step' block before the next heading",
        f"{path}:29:5: step 4: expected step number 3 here",
    ]


def test_missing_front_matter_and_unknown_folder(abc: Program, runbooks: Path) -> None:
    (runbooks / "kb").mkdir()
    (runbooks / "kb" / "note.md").write_text("# just a note\n", encoding="utf-8")
    write(runbooks / "misc" / "x.md", "id: misc/x\nkind: kb\ntitle: X\n")
    found = messages(abc, runbooks)
    assert f"{runbooks}/kb/note.md:1:1: missing front matter (a first line '---')" in found
    assert any(m.startswith(f"{runbooks}/misc/x.md: runbooks live in one of") for m in found)
