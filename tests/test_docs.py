"""The README cannot drift: every documented command has --help, every exit code is real."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from rcim import errors

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import Run

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(name: str) -> str:
    match = re.search(rf"<!-- {name}:.*?-->(.*?)<!-- end {name} -->", README, re.S)
    assert match, f"README has no {name} section"
    return match.group(1)


def documented_commands() -> list[list[str]]:
    return [
        match.group(1).split()[1:]
        for match in re.finditer(r"^\| `(rcim [a-z -]+)` \|", section("commands"), re.M)
    ]


def test_readme_documents_commands() -> None:
    assert len(documented_commands()) >= 5


@pytest.mark.parametrize("command", documented_commands(), ids=" ".join)
def test_every_documented_command_has_help(command: list[str], rcim: Callable[..., Run]) -> None:
    result = rcim(*command, "--help")
    assert result.code == 0, result.output
    assert "Usage:" in result.stdout


def test_exit_code_table_matches_the_code() -> None:
    rows = dict(re.findall(r"^\| (\d) \| (.+) \|$", section("exit-codes"), re.M))
    assert {int(code) for code in rows} == {
        errors.EXIT_OK,
        errors.EXIT_FAILED,
        errors.EXIT_INVALID,
        errors.EXIT_INTERNAL,
        errors.EXIT_TOOL_MISSING,
    }
    assert errors.InvalidInputError.exit_code == 2
    assert errors.CheckFailedError.exit_code == 1
    assert errors.ToolMissingError.exit_code == 4
    assert errors.InternalError.exit_code == 3


def test_readme_make_targets_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in re.findall(r"^make (\w+)", README, re.M):
        assert re.search(rf"^{target}:", makefile, re.M), f"make {target} is documented but missing"


def test_root_example_is_the_packaged_example() -> None:
    """The repository root is the ABC example; `rcim init --example abc` writes the same files."""
    packaged = ROOT / "src" / "rcim" / "examples" / "abc"
    for name in ("rcim.yaml", "services", "release"):
        assert (ROOT / name).resolve() == (packaged / name).resolve()
