"""Every kind of bad decision table is reported at file:line:col, all problems at once."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from rcim.decide import load_table
from rcim.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")

ONE_OPTION = "options:\n  - {name: a, scores: {price: 5}}\n"
GOOD_CRITERIA = """criteria:
  - {name: price, weight: 0.6}
  - {name: speed, weight: 0.4}
"""


def single(criterion: str) -> str:
    """A table with one criterion (written inline on line 2, from column 5) and one option."""
    return f"criteria:\n  - {{{criterion}}}\n" + ONE_OPTION


def problems(path: Path) -> list[tuple[int, int, str]]:
    with pytest.raises(ConfigError) as caught:
        load_table(path)
    found = []
    for line in caught.value.lines():
        match = LOCATED.match(line)
        assert match, f"not located as file:line:col: {line}"
        assert match["file"] == str(path)
        found.append((int(match["line"]), int(match["col"]), match["message"]))
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            GOOD_CRITERIA + "options:\n  - {name: a, scores: {price: 11, speed: 3}}\n",
            (
                5,
                31,
                "options[0].scores.price: score 11 of option 'a' on criterion 'price' "
                "is outside the scale [1, 10]",
            ),
            id="score-above-scale",
        ),
        pytest.param(
            "scale: [0, 5]\n"
            + GOOD_CRITERIA
            + "options:\n  - {name: a, scores: {price: -1, speed: 3}}\n",
            (
                6,
                31,
                "options[0].scores.price: score -1 of option 'a' on criterion 'price' "
                "is outside the scale [0, 5]",
            ),
            id="score-below-scale",
        ),
        pytest.param(
            GOOD_CRITERIA + "options:\n  - name: a\n    scores: {price: 5}\n",
            (6, 13, "options[0].scores: option 'a' has no score for criterion 'speed'"),
            id="missing-score",
        ),
        pytest.param(
            GOOD_CRITERIA + "options:\n  - {name: a, scores: {price: 5, sped: 3}}\n",
            (5, 34, "options[0].scores.sped: unknown criterion 'sped'; did you mean 'speed'?"),
            id="unknown-criterion-with-suggestion",
        ),
        pytest.param(
            GOOD_CRITERIA + "options:\n  - {name: a, scores: {price: 5, speed: 3, zzz: 1}}\n",
            (5, 44, "options[0].scores.zzz: unknown criterion 'zzz'; criteria are: price, speed"),
            id="unknown-criterion",
        ),
        pytest.param(
            GOOD_CRITERIA + "options:\n  - {name: a, scores: {price: 5, speed: 3}}\n"
            "  - {name: a, scores: {price: 6, speed: 3}}\n",
            (6, 12, "options[1].name: duplicate option name 'a' (first defined at line 5)"),
            id="duplicate-option",
        ),
        pytest.param(
            "criteria:\n  - {name: price, weight: 0.5}\n  - {name: price, weight: 0.5}\n"
            + ONE_OPTION,
            (3, 12, "criteria[1].name: duplicate criterion name 'price' (first defined at line 2)"),
            id="duplicate-criterion",
        ),
        pytest.param(
            single("name: price, weight: -0.5"),
            (2, 27, "criteria[0].weight: must not be negative, got -0.5"),
            id="negative-weight",
        ),
        pytest.param(
            single("name: price, weight: 0"),
            (2, 3, "criteria: all weights are zero; give one a weight > 0"),
            id="all-zero-weights",
        ),
        pytest.param(
            single("name: price, weight: 1, min: 0"),
            (2, 35, "criteria[0].min: 0 is outside the scale [1, 10]"),
            id="min-outside-scale",
        ),
        pytest.param(
            single("name: price, weight: 1, max: 12.5"),
            (2, 35, "criteria[0].max: 12.5 is outside the scale [1, 10]"),
            id="max-outside-scale",
        ),
        pytest.param(
            single("name: price, weight: 1, min: 8, max: 5"),
            (2, 35, "criteria[0].min: min 8 is above max 5; no option could satisfy both"),
            id="min-above-max",
        ),
        pytest.param(
            "scale: [10, 1]\n" + single("name: price, weight: 1"),
            (1, 8, "scale: the low end 10 must be below the high end 1"),
            id="scale-reversed",
        ),
        pytest.param(
            "criteria:\n  - {name: price, weight: 1}\noptions: []\n",
            (3, 10, "options: at least one option is required"),
            id="no-options",
        ),
        pytest.param(
            "criteria: []\noptions:\n  - {name: a, scores: {}}\n",
            (1, 11, "criteria: at least one criterion is required"),
            id="no-criteria",
        ),
        pytest.param(
            GOOD_CRITERIA + "optoins: []\n",
            (4, 1, "optoins: unknown key 'optoins'; did you mean 'options'?"),
            id="misspelt-key",
        ),
        pytest.param(
            single("name: price, weight: high"),
            (2, 27, "criteria[0].weight: expected a number, got str 'high'"),
            id="weight-not-a-number",
        ),
        pytest.param(
            single("name: price, weight: .nan"),
            (2, 27, "criteria[0].weight: input should be a finite number"),
            id="weight-not-finite",
        ),
        pytest.param(
            "scale: [1, 5, 10]\n" + single("name: price, weight: 1"),
            (1, 8, "scale: tuple should have at most 2 items after validation, not 3"),
            id="scale-not-a-pair",
        ),
    ],
)
def test_bad_table_is_located(
    write_table: Callable[[str], Path], text: str, expected: tuple[int, int, str]
) -> None:
    assert expected in problems(write_table(text))


def test_all_problems_are_reported_together(write_table: Callable[[str], Path]) -> None:
    path = write_table(
        """
        criteria:
          - {name: price, weight: -1}
          - {name: price, weight: 2, min: 0}
        options:
          - {name: a, scores: {price: 11, colour: 3}}
          - {name: a, scores: {price: 5}}
        """
    )
    found = problems(path)
    assert [(line, message.split(":")[0]) for line, _, message in found] == [
        (2, "criteria[0].weight"),
        (3, "criteria[1].name"),
        (3, "criteria[1].min"),
        (5, "options[0].scores.price"),
        (5, "options[0].scores.colour"),
        (6, "options[1].name"),
    ]


def test_missing_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as caught:
        load_table(missing)
    assert caught.value.lines() == [f"{missing}: file not found"]
    assert caught.value.exit_code == 2
