"""rcim gate check: output formats, the step summary, and usage errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from release.conftest import SERVICE, Program, baseline_program, ok, pass_stages, ready_change

if TYPE_CHECKING:
    from pathlib import Path


pytestmark = pytest.mark.slow


@pytest.fixture
def program(abc_program: Path) -> Program:
    return baseline_program(abc_program)


def test_text_markdown_and_step_summary(program: Program, tmp_path: Path) -> None:
    change, sha = ready_change(program, approvers=("martin",))
    pass_stages(program, sha, "unit", "integration")
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    base = ("gate", "check", "--service", SERVICE, "--env", "staging")
    text = ok(program.rcim(*base, "--summary-file", summary))
    assert "change_record" in text.stdout
    assert "allow" in text.stdout
    markdown = ok(program.rcim(*base, "--format", "md")).stdout
    assert markdown.startswith("## ✅ Release gate: **allow** shipment-tracking → staging")
    assert "| test_stages | pass |" in markdown
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("# earlier step\n## ✅ Release gate: **allow**")
    assert f"change {change}" in written


def test_unknown_environment_or_service_exits_2(program: Program) -> None:
    env = program.rcim("gate", "check", "--service", SERVICE, "--env", "qa")
    assert env.code == 2
    assert "--env qa" in env.stderr
    service = program.rcim("gate", "check", "--service", "nope", "--env", "staging")
    assert service.code == 2
    assert "unknown service" in service.stderr
