"""Rollout strategies: the order and grouping in which hosts receive a release (pure)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypeVar

from rcim.errors import InvalidInputError

if TYPE_CHECKING:
    from collections.abc import Sequence

Strategy = Literal["rolling", "canary"]
STRATEGIES: tuple[Strategy, ...] = ("rolling", "canary")
T = TypeVar("T")


def plan_batches(hosts: Sequence[T], strategy: str, batch: int) -> tuple[tuple[T, ...], ...]:
    """``rolling``: batches of ``batch`` hosts in order. ``canary``: the first host alone,
    verified before the rest follow in batches of ``batch``."""
    if strategy not in STRATEGIES:
        raise InvalidInputError(f"--strategy: unknown strategy '{strategy}' (rolling, canary)")
    if batch < 1:
        raise InvalidInputError(f"--batch: must be at least 1, not {batch}")
    if strategy == "canary" and hosts:
        return ((hosts[0],), *_chunks(hosts[1:], batch))
    return _chunks(hosts, batch)


def _chunks(hosts: Sequence[T], size: int) -> tuple[tuple[T, ...], ...]:
    return tuple(tuple(hosts[i : i + size]) for i in range(0, len(hosts), size))
