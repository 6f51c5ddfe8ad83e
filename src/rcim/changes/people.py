"""Who is acting: a person of ``rcim.yaml``, named with ``--as`` or found by git e-mail."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

from rcim.errors import InvalidInputError, NotFoundError

if TYPE_CHECKING:
    from pathlib import Path

    from rcim.program.organization import Person, ProgramConfig


def person_by_id(config: ProgramConfig, person_id: str) -> Person:
    for person in config.people:
        if person.id == person_id:
            return person
    known = ", ".join(p.id for p in config.people)
    raise NotFoundError(f"unknown person '{person_id}' (people in rcim.yaml: {known})")


def acting_person(config: ProgramConfig, person_id: str | None, repo: Path) -> Person:
    """The named person, else the one whose e-mail is ``git config user.email``."""
    if person_id is not None:
        return person_by_id(config, person_id)
    email = git_user_email(repo)
    for person in config.people:
        if email and person.email.casefold() == email.casefold():
            return person
    shown = f"'{email}'" if email else "not set"
    raise InvalidInputError(
        f"cannot tell who you are: git user.email is {shown} and matches no person in "
        "rcim.yaml; pass --as PERSON"
    )


def git_user_email(repo: Path) -> str | None:
    proc = subprocess.run(
        ["git", "-C", str(repo), "config", "user.email"],
        capture_output=True,
        text=True,
        check=False,
    )
    email = proc.stdout.strip()
    return email or None


def emails_of(config: ProgramConfig, person_id: str) -> frozenset[str]:
    """A person's e-mail, case-folded, for matching commit authors."""
    return frozenset(p.email.casefold() for p in config.people if p.id == person_id)
