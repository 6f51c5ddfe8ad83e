"""Ancestry over scanned commits, without one ``git`` call per question.

``CommitGraph.claim`` answers "which commits does this tip bring that earlier tips did not?"
by walking parents from the tip and stopping at commits already claimed. Because the set of
claimed commits is always closed under "ancestor of", stopping there is exact, and a whole
deployment history is answered in one walk over the graph: each commit is visited once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rcim.gitscan.commit import Commit


class CommitGraph:
    """Parent links of scanned commits, plus the set claimed so far by ``claim``."""

    def __init__(self, commits: Iterable[Commit]) -> None:
        self._parents: dict[str, tuple[str, ...]] = {c.sha: c.parents for c in commits}
        self._claimed: set[str] = set()

    def __contains__(self, sha: object) -> bool:
        return sha in self._parents

    def __len__(self) -> int:
        return len(self._parents)

    def claim(self, tip: str) -> list[str]:
        """The commits reachable from ``tip`` (itself included) not claimed before, now claimed.

        A tip outside the scanned history claims nothing. Parents missing from the scan
        (a shallow clone's boundary) end the walk there.
        """
        if tip not in self._parents or tip in self._claimed:
            return []
        claimed = self._claimed
        parents = self._parents
        found: list[str] = []
        stack = [tip]
        claimed.add(tip)
        while stack:
            sha = stack.pop()
            found.append(sha)
            for parent in parents.get(sha, ()):
                if parent not in claimed and parent in parents:
                    claimed.add(parent)
                    stack.append(parent)
        return found

    def is_claimed(self, sha: str) -> bool:
        return sha in self._claimed
