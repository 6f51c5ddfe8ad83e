"""The report formats: the JSON contract, table rows and Markdown."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import TYPE_CHECKING

from rcim.decide import analyse
from rcim.decide.report import as_json, as_markdown, fixed, ranking_rows, sensitivity_rows

if TYPE_CHECKING:
    from collections.abc import Callable

    from rcim.decide import DecisionTable


def test_json_contract_for_the_budget_example(docking_budget: DecisionTable) -> None:
    report = as_json(analyse(docking_budget))
    assert list(report) == [
        "title", "scale", "criteria", "ranking", "winner", "sensitivity", "warnings",
    ]  # fmt: skip
    assert report["scale"] == [1.0, 10.0]
    assert report["criteria"][0] == {"name": "price", "weight": 0.3, "min": 5.0, "max": None}
    assert report["ranking"] == [
        {"option": "Y", "score": 6.6, "excluded_by": []},
        {"option": "X", "score": 4.8, "excluded_by": []},
        {"option": "Z", "score": 6.7, "excluded_by": ["price >= 5"]},
    ]
    assert report["winner"] == "Y"
    assert report["sensitivity"][0] == {
        "criterion": "price",
        "weight": 0.3,
        "delta": 0.2625,
        "new_weight": 0.5625,
        "new_winner": "X",
    }
    assert report["sensitivity"][1]["delta"] is None
    assert report["warnings"] == []
    json.dumps(report)  # serialisable as it stands


def test_json_rounds_to_four_places(table_of: Callable[[str], DecisionTable]) -> None:
    table = table_of(
        """
        criteria: [{name: a, weight: 1}, {name: b, weight: 2}]
        options: [{name: p, scores: {a: 1, b: 2}}]
        """
    )
    report = as_json(analyse(table))
    assert [c["weight"] for c in report["criteria"]] == [0.3333, 0.6667]
    assert report["ranking"][0]["score"] == 1.6667
    assert report["warnings"] == ["weights sum to 3, not 1; normalised them to sum to 1"]


def test_rows_show_excluded_options_without_a_rank(docking_budget: DecisionTable) -> None:
    analysis = analyse(docking_budget)
    assert ranking_rows(analysis) == [
        ("1", "Y", "6.60", "eligible"),
        ("2", "X", "4.80", "eligible"),
        ("-", "Z", "6.70", "excluded: price >= 5"),
    ]
    assert sensitivity_rows(analysis)[:2] == [
        ("price", "0.3000", "+0.2625", "0.5625", "X"),
        ("warranty_and_service", "0.2000", "none", "-", "-"),
    ]


def test_fixed_rounds_exact_halves_to_even() -> None:
    assert fixed(Fraction("6.665"), 2) == "6.66"
    assert fixed(Fraction("6.675"), 2) == "6.68"
    assert fixed(Fraction(-1, 14), 4, signed=True) == "-0.0714"


def test_markdown_escapes_pipes_in_names(table_of: Callable[[str], DecisionTable]) -> None:
    table = table_of(
        """
        title: "A | B"
        criteria: [{name: "speed|latency", weight: 1}]
        options: [{name: "fast|cheap", scores: {"speed|latency": 3}}]
        """
    )
    markdown = as_markdown(analyse(table))
    assert markdown.startswith("# A \\| B\n")
    assert "| 1 | fast\\|cheap | 3.00 | eligible |" in markdown
    assert "| speed\\|latency | 1.0000 | none | - | - |" in markdown
    assert "**Winner: fast\\|cheap (score 3.00)**" in markdown
