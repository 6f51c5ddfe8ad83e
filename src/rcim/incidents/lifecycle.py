"""The incident state machine.

``open`` → ``acknowledged`` → ``mitigated`` → ``resolved`` → ``reviewed``; acknowledging and
mitigating may be skipped (an incident can be resolved straight away), nothing goes back, and
``reviewed`` is final. Notes and change links are allowed in every state; runbooks run while
the incident is ``open``, ``acknowledged`` or ``mitigated``.
"""

from __future__ import annotations

from typing import Literal

from rcim.errors import TransitionError

State = Literal["open", "acknowledged", "mitigated", "resolved", "reviewed"]
TRANSITIONS: dict[str, tuple[State, ...]] = {
    "open": ("acknowledged", "mitigated", "resolved"),
    "acknowledged": ("mitigated", "resolved"),
    "mitigated": ("resolved",),
    "resolved": ("reviewed",),
    "reviewed": (),
}
ACTIVE_STATES = frozenset({"open", "acknowledged", "mitigated"})


def require_transition(incident_id: str, current: str, target: State) -> None:
    allowed = TRANSITIONS.get(current, ())
    if target not in allowed:
        options = ", ".join(allowed) if allowed else "none (the incident is closed)"
        raise TransitionError(
            f"{incident_id}: cannot go from {current} to {target}; allowed next states: {options}"
        )


def require_active(incident_id: str, current: str) -> None:
    if current not in ACTIVE_STATES:
        raise TransitionError(
            f"{incident_id} is {current}; runbooks run on open, acknowledged or mitigated incidents"
        )
