"""rcim demo runs end to end, can be re-run, and never deletes a directory it did not make."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from conftest import Run


@pytest.mark.slow
def test_demo_runs_twice_in_the_same_workdir(tmp_path: Path, rcim: Callable[..., Run]) -> None:
    workdir = tmp_path / "demo"
    first = rcim("demo", "--workdir", workdir)
    assert first.code == 0, first.output
    program = workdir / "abc-logistics"
    assert (program / "rcim.yaml").is_file()
    assert rcim("--program", program, "check").code == 0
    verified = rcim("--program", program, "audit", "verify")
    assert verified.code == 0, verified.output
    again = rcim("demo", "--workdir", workdir)
    assert again.code == 0, again.output


def test_demo_refuses_a_directory_it_did_not_make(tmp_path: Path, rcim: Callable[..., Run]) -> None:
    (tmp_path / "mine.txt").write_text("keep", encoding="utf-8")
    result = rcim("demo", "--workdir", tmp_path)
    assert result.code == 2
    assert "not made by 'rcim demo'" in result.stderr
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep"
