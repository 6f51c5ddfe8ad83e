"""Path globs of the policy (``**/migrations/**``, ``docs/**``, ``**/*.md``) matched exactly.

``fnmatch`` lets ``*`` cross ``/`` and cannot say "any depth, including none", so the globs are
compiled to regular expressions: ``**/`` is zero or more directories, ``**`` anything,
``*`` anything within one path segment, ``?`` one character of a segment.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def compile_glob(glob: str) -> re.Pattern[str]:
    parts: list[str] = []
    index = 0
    while index < len(glob):
        if glob.startswith("**/", index):
            parts.append("(?:.*/)?")
            index += 3
        elif glob.startswith("**", index):
            parts.append(".*")
            index += 2
        elif glob[index] == "*":
            parts.append("[^/]*")
            index += 1
        elif glob[index] == "?":
            parts.append("[^/]")
            index += 1
        else:
            parts.append(re.escape(glob[index]))
            index += 1
    return re.compile("".join(parts) + r"\Z")


def matches_any(path: str, globs: tuple[str, ...]) -> bool:
    return any(compile_glob(glob).match(path) for glob in globs)
