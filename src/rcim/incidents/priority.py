"""ITIL priority: impact (how much of the business is hit) × urgency (how fast it hurts).

========  ===========  =============  ==========
impact    urgency high  urgency medium  urgency low
========  ===========  =============  ==========
high      P1           P2             P3
medium    P2           P3             P4
low       P3           P4             P4
========  ===========  =============  ==========
"""

from __future__ import annotations

from typing import Literal, get_args

from rcim.errors import InvalidInputError

Grade = Literal["high", "medium", "low"]
Priority = Literal["P1", "P2", "P3", "P4"]
GRADES: tuple[Grade, ...] = get_args(Grade)
PRIORITIES: tuple[Priority, ...] = get_args(Priority)

MATRIX: dict[tuple[Grade, Grade], Priority] = {
    ("high", "high"): "P1",
    ("high", "medium"): "P2",
    ("high", "low"): "P3",
    ("medium", "high"): "P2",
    ("medium", "medium"): "P3",
    ("medium", "low"): "P4",
    ("low", "high"): "P3",
    ("low", "medium"): "P4",
    ("low", "low"): "P4",
}


def priority_of(impact: Grade, urgency: Grade) -> Priority:
    return MATRIX[(impact, urgency)]


def parse_grade(text: str, what: str) -> Grade:
    value = text.strip().lower()
    if value not in GRADES:
        raise InvalidInputError(f"{what}: '{text}' is not one of {', '.join(GRADES)}")
    return GRADES[GRADES.index(value)]


def parse_priority(text: str) -> Priority:
    value = text.strip().upper()
    if value not in PRIORITIES:
        raise InvalidInputError(f"--priority: '{text}' is not one of {', '.join(PRIORITIES)}")
    return PRIORITIES[PRIORITIES.index(value)]


def choose_priority(
    priority: str | None, impact: str | None, urgency: str | None
) -> tuple[Priority, Grade | None, Grade | None]:
    """The priority given directly, or from impact × urgency; exactly one way must be used."""
    if priority is not None and (impact is not None or urgency is not None):
        raise InvalidInputError("give either --priority or --impact with --urgency, not both")
    if priority is not None:
        return parse_priority(priority), None, None
    if impact is None or urgency is None:
        raise InvalidInputError("give --priority P1..P4, or both --impact and --urgency")
    grade_i, grade_u = parse_grade(impact, "--impact"), parse_grade(urgency, "--urgency")
    return priority_of(grade_i, grade_u), grade_i, grade_u


def default_service_impact(priority: Priority, impact: Grade | None) -> bool:
    """Whether users saw the service down or degraded (what downtime metrics count), unless
    the operator says otherwise: high or medium impact, or P1/P2 when given directly."""
    if impact is not None:
        return impact in ("high", "medium")
    return priority in ("P1", "P2")
