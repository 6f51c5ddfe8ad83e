"""Finding the repository and resolving names in it.

GitPython does discovery and single rev look-ups; anything done for many commits at once
goes through one ``git`` subprocess instead (see ``scan.py`` and ``existing_commits``).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import git

from rcim.errors import InvalidInputError, NotFoundError, ToolMissingError

GIT_INSTALL_HINT = "apt-get install git (Debian/Ubuntu) or see https://git-scm.com/downloads"
FULL_SHA_LENGTHS = (40, 64)


def git_executable() -> str:
    """The ``git`` program, or ``ToolMissingError`` naming how to install it."""
    found = shutil.which("git")
    if found is None:
        raise ToolMissingError("git", GIT_INSTALL_HINT)
    return found


def repository_root(path: Path) -> Path:
    """The top directory of the git repository that holds ``path`` (itself or a parent)."""
    try:
        repo = git.Repo(path, search_parent_directories=True)
    except git.NoSuchPathError:
        raise NotFoundError(f"{path}: no such directory") from None
    except git.InvalidGitRepositoryError:
        raise InvalidInputError(
            f"{path}: not inside a git repository (point --repo at the application repository)"
        ) from None
    try:
        top = repo.working_tree_dir or repo.git_dir
        return Path(top)
    finally:
        repo.close()


def resolve_commit(repo_path: Path, ref: str) -> str:
    """The full SHA of the commit ``ref`` names (branch, tag, abbreviated SHA, ``HEAD~2``...)."""
    repo = git.Repo(repository_root(repo_path))
    try:
        return str(repo.commit(ref).hexsha)
    except (git.BadName, ValueError, git.GitCommandError):
        raise NotFoundError(f"{repo_path}: '{ref}' does not name a commit") from None
    finally:
        repo.close()


def has_commits(repo_path: Path) -> bool:
    """Whether the repository has at least one commit on any ref (a fresh ``git init`` has none)."""
    repo = git.Repo(repository_root(repo_path))
    try:
        return any(True for _ in repo.refs) or repo.head.is_valid()
    finally:
        repo.close()


def existing_commits(repo_path: Path, shas: list[str]) -> set[str]:
    """Which of ``shas`` are commits in the repository, asked in one ``git cat-file`` pass."""
    wanted = list(dict.fromkeys(shas))
    if not wanted:
        return set()
    proc = subprocess.run(
        [git_executable(), "-C", str(repository_root(repo_path)), "cat-file", "--batch-check"],
        input="\n".join(wanted) + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise InvalidInputError(f"{repo_path}: git cat-file failed: {proc.stderr.strip()}")
    found: set[str] = set()
    for line in proc.stdout.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] == "commit":
            found.add(fields[0])
    return found
