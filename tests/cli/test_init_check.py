"""rcim init and rcim check through the real CLI."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import git
import pytest

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from conftest import Run


def test_init_example_then_check_text_and_json(tmp_path: Path, rcim: Callable[..., Run]) -> None:
    target = tmp_path / "x"
    created = rcim("init", target, "--example", "abc")
    assert created.code == 0, created.output
    repo = git.Repo(target)
    assert not repo.is_dirty(untracked_files=True)
    assert len(list(repo.iter_commits())) == 1
    assert "rcim.yaml" in repo.head.commit.tree

    text = rcim("--program", target, "check")
    assert text.code == 0, text.output
    assert "ABC Logistics" in text.stdout
    assert "shipment-tracking" in text.stdout
    assert "staging → production" in text.stdout

    as_json = rcim("--program", target, "check", "--format", "json")
    assert as_json.code == 0, as_json.output
    summary = json.loads(as_json.stdout)
    assert summary["ok"] is True
    assert [env["name"] for env in summary["environments"]] == ["staging", "production"]
    assert len(summary["services"]) >= 4
    assert {p["id"] for p in summary["people"]} >= {"eva", "martin", "jana"}
    assert rcim("--format", "json", "--program", target, "check").stdout == as_json.stdout


def test_init_skeleton_is_a_valid_program(tmp_path: Path, rcim: Callable[..., Run]) -> None:
    target = tmp_path / "skeleton"
    assert rcim("init", target).code == 0
    assert "# " in (target / "rcim.yaml").read_text(encoding="utf-8")  # commented
    checked = rcim("check", cwd=target)
    assert checked.code == 0, checked.output


def test_init_refuses_a_non_empty_directory(tmp_path: Path, rcim: Callable[..., Run]) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "keep.txt").write_text("mine", encoding="utf-8")
    result = rcim("init", tmp_path / "busy", "--example", "abc")
    assert result.code == 2
    assert "not empty" in result.stderr
    assert (tmp_path / "busy" / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "busy" / "rcim.yaml").exists()


def test_init_unknown_example(tmp_path: Path, rcim: Callable[..., Run]) -> None:
    result = rcim("init", tmp_path / "x", "--example", "xyz")
    assert result.code == 2
    assert "unknown example 'xyz'" in result.stderr


def test_check_finds_the_program_from_a_subdirectory(
    abc_program: Path, rcim: Callable[..., Run]
) -> None:
    result = rcim("check", cwd=abc_program / "services")
    assert result.code == 0, result.output


def test_check_without_a_program(tmp_path: Path, rcim: Callable[..., Run]) -> None:
    result = rcim("check", cwd=tmp_path)
    assert result.code == 2
    assert "no rcim.yaml" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("relative", "old", "new", "expected"),
    [
        ("services/booking-web.yaml", "tier: 2", "tier: [2", "invalid YAML"),
        ("services/booking-web.yaml", "depends_on:", "depend_on:", "did you mean 'depends_on'?"),
        ("services/booking-web.yaml", "tier: 2", "tier: two", "expected an integer"),
        ("services/vpn-gateway.yaml", "owner: platform", "owner: nobody", "unknown team 'nobody'"),
    ],
)
def test_check_reports_bad_input_with_exit_2(
    abc_program: Path,
    rcim: Callable[..., Run],
    relative: str,
    old: str,
    new: str,
    expected: str,
) -> None:
    path = abc_program / relative
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    result = rcim("--program", abc_program, "check")
    assert result.code == 2
    assert "Traceback" not in result.output
    assert f"{relative}:" in result.stderr
    assert expected in result.stderr
    assert result.stdout == ""


def test_debug_shows_the_traceback(abc_program: Path, rcim: Callable[..., Run]) -> None:
    path = abc_program / "services" / "booking-web.yaml"
    path.write_text("", encoding="utf-8")
    result = rcim("--debug", "--program", abc_program, "check")
    assert result.code == 2
    assert "Traceback" in result.stderr


def test_version(rcim: Callable[..., Run]) -> None:
    result = rcim("--version")
    assert result.code == 0
    assert result.stdout.startswith("rcim ")


def test_usage_error_exits_2(rcim: Callable[..., Run]) -> None:
    result = rcim("check", "--no-such-option")
    assert result.code == 2
    assert "No such option" in result.stderr
