"""The change lifecycle as a state machine, one transition table per change type.

Normal changes go new → assess → authorize → scheduled → implement → review → closed.
Standard changes are pre-authorised by their template, so they skip assess and authorize.
Emergency changes skip assess and are authorised by the ECAB. Any open change can be
cancelled; an implemented change can fail instead of reaching review.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from rcim.errors import TransitionError

if TYPE_CHECKING:
    from rcim.program.types import ChangeType

State = Literal[
    "new",
    "assess",
    "authorize",
    "scheduled",
    "implement",
    "review",
    "closed",
    "failed",
    "cancelled",
]
Verb = Literal["submit", "assess", "schedule", "implement", "complete", "fail", "close", "cancel"]

TERMINAL: frozenset[str] = frozenset({"closed", "failed", "cancelled"})
# States in which a change's commits may be released (the gate's change_record rule).
RELEASABLE: frozenset[str] = frozenset({"scheduled", "implement"})
# States in which approvers may decide on a change.
DECIDABLE: frozenset[str] = frozenset({"authorize", "scheduled", "implement"})

_COMMON: dict[str, dict[str, State]] = {
    "scheduled": {"implement": "implement"},
    "implement": {"complete": "review", "fail": "failed"},
    "review": {"close": "closed", "fail": "failed"},
}
_TABLES: dict[ChangeType, dict[str, dict[str, State]]] = {
    "normal": {
        "new": {"submit": "assess"},
        "assess": {"assess": "authorize"},
        "authorize": {"schedule": "scheduled"},
        **_COMMON,
    },
    "standard": {"new": {"submit": "scheduled"}, **_COMMON},
    "emergency": {
        "new": {"submit": "authorize"},
        "authorize": {"schedule": "scheduled", "implement": "implement"},
        **_COMMON,
    },
}


def allowed_verbs(change_type: ChangeType, state: str) -> list[str]:
    """What can be done to a change in ``state``, in lifecycle order."""
    if state in TERMINAL:
        return []
    verbs = list(_TABLES[change_type].get(state, {}))
    return [*verbs, "cancel"]


def next_state(change_type: ChangeType, state: str, verb: Verb) -> State:
    """The state ``verb`` leads to, or ``TransitionError`` naming what is allowed instead."""
    if verb == "cancel" and state not in TERMINAL:
        return "cancelled"
    target = _TABLES[change_type].get(state, {}).get(verb)
    if target is None:
        raise TransitionError(_refusal(change_type, state, verb))
    return target


def _refusal(change_type: ChangeType, state: str, verb: Verb) -> str:
    verbs = allowed_verbs(change_type, state)
    table = _TABLES[change_type]
    targets = ["cancelled" if v == "cancel" else table[state][v] for v in verbs]
    if not verbs:
        return f"cannot {verb} a {change_type} change in state '{state}': it is final"
    options = ", ".join(f"{v} → {t}" for v, t in zip(verbs, targets, strict=True))
    return f"cannot {verb} a {change_type} change in state '{state}'; allowed next: {options}"
