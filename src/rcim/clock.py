"""The one source of "now" in rcim.

``RCIM_NOW`` (ISO 8601, with or without offset; naive values are read as UTC) fixes the
current time for every command, which makes simulations, backfills and tests reproducible.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from rcim.errors import InvalidInputError

ENV_VAR = "RCIM_NOW"


def parse_instant(text: str, *, what: str = "time") -> datetime:
    """Parse an ISO 8601 instant; a value without offset is taken as UTC."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInputError(
            f"{what}: '{text}' is not an ISO 8601 time (e.g. 2026-12-04T10:00:00+01:00)"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def now() -> datetime:
    """The current instant, timezone-aware, honouring ``RCIM_NOW``."""
    fixed = os.environ.get(ENV_VAR)
    if fixed:
        return parse_instant(fixed, what=ENV_VAR)
    return datetime.now(UTC)
