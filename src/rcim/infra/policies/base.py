"""The contract every platform policy satisfies, and the records it produces."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from rcim.infra.resources import Assessed

Enforcement = Literal["advisory", "mandatory"]


@dataclass(frozen=True)
class PolicyContext:
    """What a policy may know beyond the resources: the environment and its limits."""

    env: str
    production: bool
    allowed_server_types: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    """One resource breaking one policy, with the way to fix it."""

    resource: str
    message: str
    fix: str


@dataclass(frozen=True)
class Violation:
    """A finding with the policy that raised it and how strictly that policy is enforced."""

    resource: str
    policy: str
    level: Enforcement
    message: str
    fix: str


@dataclass(frozen=True)
class Policy:
    """A named check over every planned resource of one environment.

    ``level`` is the default enforcement: ``mandatory`` violations fail ``rcim infra plan``
    (exit 1) and would block a CrossGuard run; ``advisory`` ones are reported only. A stack can
    change the level (or disable a policy) under ``policies:`` in its settings.
    """

    name: str
    description: str
    level: Enforcement
    check: Callable[[Sequence[Assessed], PolicyContext], Iterable[Finding]]
