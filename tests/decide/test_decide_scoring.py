"""Weighted-sum scoring, normalisation, constraints and ranking."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from rcim.decide import decide

if TYPE_CHECKING:
    from collections.abc import Callable

    from rcim.decide import Decision, DecisionTable


def scores(decision: Decision) -> dict[str, Fraction]:
    return {ranked.option: ranked.score for ranked in decision.ranking}


def order(decision: Decision) -> list[str]:
    return [ranked.option for ranked in decision.ranking]


def test_seed_table_3_scores_exactly(docking: DecisionTable) -> None:
    decision = decide(docking)
    assert scores(decision) == {"X": Fraction("4.8"), "Y": Fraction("6.6"), "Z": Fraction("6.7")}
    assert order(decision) == ["Z", "Y", "X"]
    assert decision.winner == "Z"
    assert decision.warnings == ()
    assert sum(decision.weights) == 1


def test_budget_constraint_excludes_z_and_y_wins(docking_budget: DecisionTable) -> None:
    decision = decide(docking_budget)
    assert order(decision) == ["Y", "X", "Z"]
    assert decision.winner == "Y"
    excluded = {r.option: r.excluded_by for r in decision.ranking}
    assert excluded == {"Y": (), "X": (), "Z": ("price >= 5",)}
    assert scores(decision)["Z"] == Fraction("6.7")  # excluded, but its score is still shown


def test_weights_not_summing_to_one_are_normalised_with_a_warning(
    table_of: Callable[[str], DecisionTable],
) -> None:
    decision = decide(
        table_of(
            """
            criteria:
              - {name: a, weight: 3}
              - {name: b, weight: 1}
            options:
              - {name: p, scores: {a: 2, b: 10}}
            """
        )
    )
    assert decision.weights == (Fraction(3, 4), Fraction(1, 4))
    assert decision.warnings == ("weights sum to 4, not 1; normalised them to sum to 1",)
    assert scores(decision) == {"p": Fraction(4)}


def test_decimal_weights_that_sum_to_one_need_no_normalising(
    table_of: Callable[[str], DecisionTable],
) -> None:
    # Ten times 0.1 is 0.9999999999999999 in binary floating point; the user meant exactly 1.
    criteria = "\n".join(f"  - {{name: c{i}, weight: 0.1}}" for i in range(10))
    values = ", ".join(f"c{i}: 5" for i in range(10))
    option = f"  - {{name: p, scores: {{{values}}}}}"
    decision = decide(table_of(f"criteria:\n{criteria}\noptions:\n{option}\n"))
    assert decision.warnings == ()
    assert scores(decision) == {"p": Fraction(5)}


def test_min_and_max_exclude_and_limits_themselves_are_allowed(
    table_of: Callable[[str], DecisionTable],
) -> None:
    decision = decide(
        table_of(
            """
            criteria:
              - {name: quality, weight: 0.5, min: 4}
              - {name: cost, weight: 0.5, max: 6}
            options:
              - {name: cheap-junk, scores: {quality: 3, cost: 2}}
              - {name: gold-plated, scores: {quality: 10, cost: 9}}
              - {name: both-wrong, scores: {quality: 1, cost: 10}}
              - {name: on-the-limits, scores: {quality: 4, cost: 6}}
            """
        )
    )
    excluded = {r.option: r.excluded_by for r in decision.ranking}
    assert excluded == {
        "on-the-limits": (),
        "gold-plated": ("cost <= 6",),
        "both-wrong": ("quality >= 4", "cost <= 6"),
        "cheap-junk": ("quality >= 4",),
    }
    assert decision.winner == "on-the-limits"
    # Excluded options follow the eligible ones, best score first, however high they scored.
    assert order(decision) == ["on-the-limits", "gold-plated", "both-wrong", "cheap-junk"]


def test_ties_are_broken_by_name(table_of: Callable[[str], DecisionTable]) -> None:
    decision = decide(
        table_of(
            """
            criteria:
              - {name: a, weight: 0.5}
              - {name: b, weight: 0.5, min: 2}
            options:
              - {name: delta, scores: {a: 1, b: 1}}
              - {name: charlie, scores: {a: 1, b: 1}}
              - {name: bravo, scores: {a: 6, b: 4}}
              - {name: alpha, scores: {a: 4, b: 6}}
            """
        )
    )
    assert order(decision) == ["alpha", "bravo", "charlie", "delta"]
    assert decision.winner == "alpha"


def test_no_eligible_option_means_no_winner(table_of: Callable[[str], DecisionTable]) -> None:
    decision = decide(
        table_of(
            """
            criteria:
              - {name: a, weight: 1, min: 9}
            options:
              - {name: p, scores: {a: 5}}
              - {name: q, scores: {a: 8}}
            """
        )
    )
    assert decision.winner is None
    assert order(decision) == ["q", "p"]
