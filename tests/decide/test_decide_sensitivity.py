"""Weight sensitivity, checked against crossings worked out by hand."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

import pytest

from rcim.decide import decide, reweighted, weight_sensitivity

if TYPE_CHECKING:
    from collections.abc import Callable

    from rcim.decide import DecisionTable

F = Fraction


def deltas(table: DecisionTable) -> dict[str, tuple[Fraction | None, str | None]]:
    return {s.criterion: (s.delta, s.new_winner) for s in weight_sensitivity(decide(table))}


def test_two_criteria_by_hand(table_of: Callable[[str], DecisionTable]) -> None:
    # p = 8t + 2(1-t) = 2 + 6t and q = 4t + 5(1-t) = 5 - t meet at t = 3/7 when a's weight is t;
    # symmetrically b's weight must reach 4/7.
    table = table_of(
        """
        criteria:
          - {name: a, weight: 0.5}
          - {name: b, weight: 0.5}
        options:
          - {name: p, scores: {a: 8, b: 2}}
          - {name: q, scores: {a: 4, b: 5}}
        """
    )
    assert deltas(table) == {"a": (F(-1, 14), "q"), "b": (F(1, 14), "q")}


def test_others_are_rescaled_proportionally(table_of: Callable[[str], DecisionTable]) -> None:
    # p = (10, 2, 2) scores 6.0 and q = (4, 8, 6) scores 5.6 under weights 0.5, 0.3, 0.2.
    # Varying a to t keeps b:c at 3:2, so p = 2 + 8t and q = 7.2 - 3.2t: t = 13/28.
    # Varying b keeps a:c at 5:2 (p rest 54/7, q rest 32/7): t = 11/32, a change of 7/160.
    # Varying c keeps a:b at 5:3 (p rest 7, q rest 5.5): t = 3/11, a change of 4/55.
    table = table_of(
        """
        criteria:
          - {name: a, weight: 0.5}
          - {name: b, weight: 0.3}
          - {name: c, weight: 0.2}
        options:
          - {name: p, scores: {a: 10, b: 2, c: 2}}
          - {name: q, scores: {a: 4, b: 8, c: 6}}
        """
    )
    assert deltas(table) == {"a": (F(-1, 28), "q"), "b": (F(7, 160), "q"), "c": (F(4, 55), "q")}


def test_seed_example_sensitivity(docking: DecisionTable, docking_budget: DecisionTable) -> None:
    # Z beats Y by only 0.1: raising price from 0.3 to 19/61 (+7/610, about 0.0115) hands it to Y.
    assert deltas(docking) == {
        "price": (F(7, 610), "Y"),
        "warranty_and_service": (F(-4, 95), "Y"),
        "user_experience_and_security": (F(-4, 95), "Y"),
        "port_health_and_data_transfer": (F(-4, 195), "Y"),
        "it_documentation_and_feedback": (F(-9, 290), "Y"),
    }
    # Under the budget only a price weight of 0.5625 lets the cheap X overtake Y.
    budget = deltas(docking_budget)
    assert budget["price"] == (F(21, 80), "X")
    assert all(budget[name] == (None, None) for name in budget if name != "price")


def test_a_dominant_winner_is_insensitive(table_of: Callable[[str], DecisionTable]) -> None:
    table = table_of(
        """
        criteria:
          - {name: a, weight: 0.7}
          - {name: b, weight: 0.3}
        options:
          - {name: p, scores: {a: 9, b: 9}}
          - {name: q, scores: {a: 1, b: 1}}
        """
    )
    assert deltas(table) == {"a": (None, None), "b": (None, None)}


@pytest.mark.parametrize(
    ("incumbent", "rival", "expected"),
    [
        # At a = 1 both score 5; the tie goes to the name first in order.
        ("b", "a", {"a": (F(1, 2), "a"), "b": (F(-1, 2), "a")}),
        ("a", "b", {"a": (None, None), "b": (None, None)}),
    ],
)
def test_a_tie_at_the_end_of_the_range_changes_the_winner_only_by_name(
    table_of: Callable[[str], DecisionTable],
    incumbent: str,
    rival: str,
    expected: dict[str, tuple[Fraction | None, str | None]],
) -> None:
    table = table_of(
        f"""
        criteria:
          - {{name: a, weight: 0.5}}
          - {{name: b, weight: 0.5}}
        options:
          - {{name: {incumbent}, scores: {{a: 5, b: 9}}}}
          - {{name: {rival}, scores: {{a: 5, b: 1}}}}
        """
    )
    assert decide(table).winner == incumbent
    assert deltas(table) == expected


def test_zero_weights_share_equally(table_of: Callable[[str], DecisionTable]) -> None:
    # With a = t, b gets 1 - t: p = 1 + 5t and q = 10 - 5t meet at 0.9; with b = t, a gets 1 - t.
    table = table_of(
        """
        criteria:
          - {name: a, weight: 1}
          - {name: b, weight: 0}
        options:
          - {name: p, scores: {a: 6, b: 1}}
          - {name: q, scores: {a: 5, b: 10}}
        """
    )
    assert deltas(table) == {"a": (F(-1, 10), "q"), "b": (F(1, 10), "q")}


def test_a_current_tie_needs_no_change(table_of: Callable[[str], DecisionTable]) -> None:
    table = table_of(
        """
        criteria:
          - {name: a, weight: 0.5}
          - {name: b, weight: 0.5}
        options:
          - {name: p, scores: {a: 1, b: 3}}
          - {name: q, scores: {a: 3, b: 1}}
        """
    )
    assert deltas(table) == {"a": (F(0), "q"), "b": (F(0), "q")}


def test_nothing_to_shift_with_one_criterion_or_no_winner(
    table_of: Callable[[str], DecisionTable],
) -> None:
    single = table_of(
        """
        criteria: [{name: a, weight: 1}]
        options: [{name: p, scores: {a: 2}}, {name: q, scores: {a: 3}}]
        """
    )
    assert deltas(single) == {"a": (None, None)}
    excluded = table_of(
        """
        criteria: [{name: a, weight: 0.5, min: 9}, {name: b, weight: 0.5}]
        options: [{name: p, scores: {a: 2, b: 9}}]
        """
    )
    assert deltas(excluded) == {"a": (None, None), "b": (None, None)}


def test_reweighted_keeps_proportions_and_total() -> None:
    assert reweighted((F(1, 2), F(3, 10), F(1, 5)), 0, F(3, 4)) == (F(3, 4), F(3, 20), F(1, 10))
    assert reweighted((F(1), F(0), F(0)), 0, F(1, 2)) == (F(1, 2), F(1, 4), F(1, 4))
