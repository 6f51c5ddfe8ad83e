"""Reading git history in bulk: commit ranges, trailers and change tags, ancestry.

One ``git log`` subprocess reads a whole range (``scan_range``/``scan_all``); GitPython is used
only to find the repository and resolve single names. Shared by the release gate (which
commits does a deployment bring?) and by metrics (when did each commit reach production?).
"""

from rcim.gitscan.ancestry import CommitGraph
from rcim.gitscan.bulk import paused_gc
from rcim.gitscan.commit import DEFAULT_TRAILER_KEY, Commit, PathChange, change_ids_of
from rcim.gitscan.repo import existing_commits, repository_root, resolve_commit
from rcim.gitscan.scan import scan_all, scan_range

__all__ = [
    "DEFAULT_TRAILER_KEY",
    "Commit",
    "CommitGraph",
    "PathChange",
    "change_ids_of",
    "existing_commits",
    "paused_gc",
    "repository_root",
    "resolve_commit",
    "scan_all",
    "scan_range",
]
