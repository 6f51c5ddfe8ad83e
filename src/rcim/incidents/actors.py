"""Who does something: a person of ``rcim.yaml``, given with ``--as`` or ``RCIM_USER``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.errors import InvalidInputError

if TYPE_CHECKING:
    from rcim.program.organization import ProgramConfig

USER_ENV = "RCIM_USER"


def resolve_actor(config: ProgramConfig, given: str | None, from_env: str | None) -> str:
    """The person ID acting; ``given`` (``--as``) wins over ``RCIM_USER``."""
    actor = given or from_env
    if not actor:
        raise InvalidInputError(f"who is acting? pass --as PERSON or set {USER_ENV}")
    known = sorted(person.id for person in config.people)
    if actor not in known:
        source = "--as" if given else USER_ENV
        raise InvalidInputError(
            f"{source}: '{actor}' is not a person in rcim.yaml (known: {', '.join(known)})"
        )
    return actor
