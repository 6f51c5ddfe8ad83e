"""Resource labels: who owns a resource, what it serves, and which change put it there.

Hetzner Cloud (like Kubernetes) accepts label keys and values of at most 63 characters made of
letters, digits, ``-``, ``_`` and ``.``, starting and ending with a letter or digit. rcim writes
them in lower case so that a label selector never misses a resource over capitalisation.
"""

from __future__ import annotations

import re

MAX_LABEL = 63
NO_CHANGE = "none"
REQUIRED_LABELS = ("service", "team", "environment", "tier", "change")

_NOT_ALLOWED = re.compile(r"[^a-z0-9._-]+")
_EDGES = re.compile(r"^[^a-z0-9]+|[^a-z0-9]+$")


def sanitise_label(value: str) -> str:
    """``value`` as a valid label value: lower case, other characters as ``-``, trimmed."""
    cleaned = _NOT_ALLOWED.sub("-", value.strip().lower())
    return _EDGES.sub("", cleaned[:MAX_LABEL]) or NO_CHANGE


def standard_labels(
    *, service: str, team: str, environment: str, tier: int, change: str | None
) -> dict[str, str]:
    """The labels every platform resource carries (see ``REQUIRED_LABELS``)."""
    return {
        "service": sanitise_label(service),
        "team": sanitise_label(team),
        "environment": sanitise_label(environment),
        "tier": str(tier),
        "change": sanitise_label(change) if change else NO_CHANGE,
    }
