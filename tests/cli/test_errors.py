"""Errors reach users as one line and the documented exit code; internal errors are logged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.cli import main as cli_main

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


def test_internal_error_is_one_line_and_logged(
    abc_program: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(program_dir: Path) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("rcim.cli.check.load_program", explode)
    code = cli_main.main(["--program", str(abc_program), "check"])
    assert code == 3
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "internal error: RuntimeError: disk on fire" in err
    logs = list((abc_program / ".rcim" / "logs").glob("error-*.log"))
    assert len(logs) == 1
    assert "Traceback" in logs[0].read_text(encoding="utf-8")
    assert "disk on fire" in logs[0].read_text(encoding="utf-8")


def test_missing_tool_error_names_install_hint(capsys: pytest.CaptureFixture[str]) -> None:
    from rcim.cli.errors import report_rcim_error
    from rcim.errors import ToolMissingError

    code = report_rcim_error(
        ToolMissingError("promtool", "apt-get install prometheus"), debug=False
    )
    assert code == 4
    assert "apt-get install prometheus" in capsys.readouterr().err
