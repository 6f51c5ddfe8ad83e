"""Properties of scoring and sensitivity over generated decision tables."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from rcim.decide import (
    Criterion,
    DecisionTable,
    Option,
    decide,
    reweighted,
    weight_sensitivity,
)
from rcim.decide.scoring import best_eligible, rank_table

EPSILON = Fraction(1, 10**12)
GRID = [Fraction(i, 40) for i in range(41)]


@st.composite
def tables(draw: st.DrawFn) -> DecisionTable:
    """Small tables on the default 1..10 scale, with some weights zero and some limits set."""
    names = [f"c{i}" for i in range(draw(st.integers(1, 4)))]
    weights = draw(st.lists(st.integers(0, 10), min_size=len(names), max_size=len(names)))
    if not any(weights):
        weights[0] = 1
    criteria = tuple(
        Criterion(name=name, weight=weight / 10, min=draw(st.none() | st.integers(1, 3)))
        for name, weight in zip(names, weights, strict=True)
    )
    count = draw(st.integers(1, 5))
    options = tuple(
        Option(name=f"o{i}", scores={name: draw(st.integers(1, 10)) for name in names})
        for i in range(count)
    )
    return DecisionTable(criteria=criteria, options=options)


def winner_when(table: DecisionTable, index: int, weight: Fraction) -> str | None:
    weights = reweighted(decide(table).weights, index, weight)
    return best_eligible(rank_table(table, weights))


# Factors that keep one-place decimals short and exact: a weight of 1/3 cannot be written in YAML.
FACTORS = [Fraction(1, 10), Fraction(1, 2), Fraction(2), Fraction(7, 2), Fraction(10)]


@given(tables(), st.sampled_from(FACTORS))
def test_scaling_every_weight_keeps_the_ranking(table: DecisionTable, factor: Fraction) -> None:
    scaled = table.model_copy(
        update={
            "criteria": tuple(
                c.model_copy(update={"weight": float(Fraction(str(c.weight)) * factor)})
                for c in table.criteria
            )
        }
    )
    before, after = decide(table), decide(scaled)
    assert [r.option for r in after.ranking] == [r.option for r in before.ranking]
    assert after.winner == before.winner


@given(tables())
def test_the_delta_is_exactly_where_the_winner_changes(table: DecisionTable) -> None:
    decision = decide(table)
    for index, entry in enumerate(weight_sensitivity(decision)):
        if entry.delta is None or entry.new_weight is None:
            continue
        assert 0 <= entry.new_weight <= 1
        assert entry.new_winner != decision.winner
        for side in _sides(entry.delta):
            beyond = entry.new_weight + side * EPSILON
            if 0 <= beyond <= 1 and winner_when(table, index, beyond) == entry.new_winner:
                break
        else:  # no room beyond the limit of the range: the tie there already favours the rival
            assert winner_when(table, index, entry.new_weight) == entry.new_winner
        if entry.delta != 0:
            short = entry.new_weight - _sides(entry.delta)[0] * EPSILON
            assert winner_when(table, index, short) == decision.winner


@given(tables())
def test_no_smaller_change_on_a_grid_changes_the_winner(table: DecisionTable) -> None:
    assume(len(table.criteria) > 1)  # a lone criterion's weight is 1 and cannot move
    decision = decide(table)
    for index, entry in enumerate(weight_sensitivity(decision)):
        reach = None if entry.delta is None else abs(entry.delta)
        for weight in GRID:
            if reach is None or abs(weight - entry.weight) < reach:
                assert winner_when(table, index, weight) == decision.winner


def _sides(delta: Fraction) -> tuple[int, ...]:
    """The direction(s) the weight moved; a change of zero (a present tie) may go either way."""
    if delta > 0:
        return (1,)
    if delta < 0:
        return (-1,)
    return (1, -1)
