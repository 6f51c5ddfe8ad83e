"""The commit record the bulk scanner produces, and how change IDs are read from a message.

Records are ``NamedTuple``s: immutable like frozen dataclasses but several times cheaper to
build, which matters when one scan yields hundreds of thousands of them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from datetime import datetime

DEFAULT_TRAILER_KEY = "Change"
CHANGE_ID = re.compile(r"CHG-\d{4}-\d{4,}")
_SUBJECT_TAG = re.compile(r"\[(CHG-\d{4}-\d{4,})\]")


class PathChange(NamedTuple):
    """One file a commit touched; ``added``/``deleted`` are ``None`` for binary files."""

    path: str
    added: int | None
    deleted: int | None


class Commit(NamedTuple):
    """One commit as read by a single ``git log`` pass.

    ``trailers`` keeps every trailer (key as written, value unfolded) in message order;
    ``change_ids`` are the change records the commit names, from ``[CHG-YYYY-NNNN]`` tags in
    the subject and from trailers whose key matches the policy's trailer key (case-insensitive),
    without duplicates. ``changes`` is ``None`` unless the scan was asked for paths.
    """

    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    author_time: datetime
    committer_time: datetime
    subject: str
    trailers: tuple[tuple[str, str], ...]
    change_ids: tuple[str, ...]
    changes: tuple[PathChange, ...] | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        """The paths the commit touched (empty when the scan did not read paths)."""
        return tuple(change.path for change in self.changes or ())

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


def change_ids_of(
    subject: str, trailers: tuple[tuple[str, str], ...], trailer_key: str
) -> tuple[str, ...]:
    """Change IDs named by a commit: subject tags first, then matching trailers, deduplicated."""
    found = _SUBJECT_TAG.findall(subject) if "[" in subject else []
    wanted = trailer_key.casefold()
    for key, value in trailers:
        if key.casefold() == wanted:
            found.extend(CHANGE_ID.findall(value))
    return tuple(dict.fromkeys(found))
