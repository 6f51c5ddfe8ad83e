"""The fast YAML writer of generated files writes what PyYAML's plain safe dumper writes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from rcim.monitoring import plan_monitoring
from rcim.monitoring.render import to_yaml
from rcim.program import load_program

EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "rcim" / "examples" / "abc"
CLOCK = re.compile(r"\d+:\d+(:\d+)?")


class PlainDumper(yaml.SafeDumper):
    """The reference: pure-Python PyYAML, no aliases, literal blocks, quoted clock times."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "'" if CLOCK.fullmatch(value) else "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


PlainDumper.add_representer(str, _str)


def reference(data: object) -> str:
    return yaml.dump(
        data, Dumper=PlainDumper, sort_keys=False, allow_unicode=True, width=1000,
        default_flow_style=False,
    )  # fmt: skip


def body(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))


def test_every_generated_file_of_the_example_matches_the_reference() -> None:
    for generated in plan_monitoring(load_program(EXAMPLE)).files:
        data = yaml.safe_load(generated.text)
        assert body(generated.text) == reference(data), generated.path


@pytest.mark.parametrize(
    "value",
    ["08:00", "true", "1e3", "a: b", "#x", "- x", "two\nlines", "tail\n", "", "null", "ü", "[x]"],
)
def test_awkward_strings_round_trip_like_the_reference(value: str) -> None:
    data = {"k": [value, {"n": 1, "f": 0.5, "b": False, "e": [], "d": {}}]}
    text = to_yaml(data, source="x")
    assert body(text) == reference(data)
    assert yaml.safe_load(text) == data
