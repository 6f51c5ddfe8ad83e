"""The change lifecycle tables, without a store."""

from __future__ import annotations

import pytest

from rcim.changes.lifecycle import allowed_verbs, next_state
from rcim.errors import TransitionError


@pytest.mark.parametrize(
    ("change_type", "path"),
    [
        ("normal", ["submit", "assess", "schedule", "implement", "complete", "close"]),
        ("standard", ["submit", "implement", "complete", "close"]),
        ("emergency", ["submit", "implement", "complete", "close"]),
    ],
)
def test_each_type_reaches_closed(change_type: str, path: list[str]) -> None:
    state = "new"
    for verb in path:
        state = next_state(change_type, state, verb)  # type: ignore[arg-type]
    assert state == "closed"


def test_standard_changes_skip_assess_and_authorize() -> None:
    assert next_state("standard", "new", "submit") == "scheduled"
    assert next_state("emergency", "new", "submit") == "authorize"
    assert next_state("normal", "new", "submit") == "assess"


def test_an_invalid_step_names_the_allowed_next_states() -> None:
    with pytest.raises(TransitionError) as caught:
        next_state("normal", "assess", "implement")
    assert "allowed next: assess → authorize, cancel → cancelled" in caught.value.message
    assert caught.value.exit_code == 2


def test_final_states_allow_nothing() -> None:
    for state in ("closed", "failed", "cancelled"):
        assert allowed_verbs("normal", state) == []
        with pytest.raises(TransitionError, match="it is final"):
            next_state("normal", state, "cancel")


def test_implementation_can_fail() -> None:
    assert next_state("normal", "implement", "fail") == "failed"
    assert next_state("normal", "review", "fail") == "failed"
