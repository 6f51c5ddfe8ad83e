"""Order statistics that answer "no data" (``None``) instead of failing on empty input."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


def percentile(values: Iterable[float], fraction: float) -> float | None:
    """The ``fraction`` percentile with linear interpolation between closest ranks (the
    method of SQL's ``PERCENTILE_CONT``, which the Four Keys dashboard uses); ``None`` when
    there are no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    lower = math.floor(position)
    upper = math.ceil(position)
    weight = position - lower
    return ordered[lower] + (ordered[upper] - ordered[lower]) * weight


def median(values: Iterable[float]) -> float | None:
    return percentile(values, 0.5)


def ratio(part: float, whole: float) -> float | None:
    """``part / whole``, or ``None`` when there is nothing to divide by."""
    return part / whole if whole else None


def relative_change(before: float | None, after: float | None) -> float | None:
    """``(after - before) / before``; ``None`` when either side has no data or before is 0."""
    if before is None or after is None or before == 0:
        return None
    return (after - before) / before
