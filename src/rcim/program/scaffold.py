"""Writing a new program directory: the ABC Logistics example or a commented skeleton."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

import git

from rcim.errors import InvalidInputError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable
    from pathlib import Path

EXAMPLES = {"abc": "abc"}
SKELETON = "skeleton"
BASELINE_TAG = "rcim-baseline"
GITIGNORE = ".rcim/\n__pycache__/\n"
# Package plumbing that is not part of a program (infra/__main__.py is, so it is kept).
_SKIPPED = frozenset({"__pycache__", "__init__.py"})
_FALLBACK_AUTHOR = git.Actor("rcim", "rcim@localhost")


@dataclass(frozen=True)
class ScaffoldResult:
    root: Path
    files: tuple[str, ...]
    commit: str


def scaffold(dest: Path, example: str | None) -> ScaffoldResult:
    """Write the example (or the skeleton) into ``dest`` as a new git repository."""
    source = _source(example)
    _require_empty(dest)
    dest.mkdir(parents=True, exist_ok=True)
    written = sorted(_copy_tree(source, dest, ""))
    (dest / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    commit = _initial_commit(dest, [*written, ".gitignore"], example)
    return ScaffoldResult(root=dest, files=tuple(written), commit=commit)


def _source(example: str | None) -> Traversable:
    if example is not None and example not in EXAMPLES:
        known = ", ".join(sorted(EXAMPLES))
        raise InvalidInputError(f"--example: unknown example '{example}' (known: {known})")
    name = EXAMPLES[example] if example else SKELETON
    return resources.files("rcim.examples").joinpath(name)


def _require_empty(dest: Path) -> None:
    if dest.exists() and not dest.is_dir():
        raise InvalidInputError(f"{dest}: exists and is not a directory")
    if dest.is_dir() and any(dest.iterdir()):
        raise InvalidInputError(f"{dest}: directory is not empty; choose a new or empty directory")


def _copy_tree(source: Traversable, dest: Path, prefix: str) -> list[str]:
    written: list[str] = []
    for entry in source.iterdir():
        if entry.name in _SKIPPED or entry.name.startswith(".") or entry.name.endswith(".pyc"):
            continue
        relative = f"{prefix}{entry.name}"
        if entry.is_dir():
            (dest / relative).mkdir(exist_ok=True)
            written.extend(_copy_tree(entry, dest, f"{relative}/"))
        else:
            (dest / relative).write_bytes(entry.read_bytes())
            written.append(relative)
    return written


def _initial_commit(dest: Path, files: list[str], example: str | None) -> str:
    repo = git.Repo.init(dest, initial_branch="main")
    repo.index.add(files)
    author, committer = _author(repo)
    what = f"the {example} example" if example else "a skeleton"
    message = f"Start the release program from {what}\n\nWritten by rcim init."
    commit = repo.index.commit(message, author=author, committer=committer)
    # History before this commit was released without rcim: the gate's first range starts here.
    repo.create_tag(BASELINE_TAG, ref=commit)
    return commit.hexsha


def _author(repo: git.Repo) -> tuple[git.Actor, git.Actor]:
    """The user's git identity (environment, then config), or a neutral rcim identity."""
    reader = repo.config_reader()
    has_identity = reader.has_option("user", "name") or "GIT_AUTHOR_NAME" in os.environ
    if not has_identity:
        return _FALLBACK_AUTHOR, _FALLBACK_AUTHOR
    return git.Actor.author(reader), git.Actor.committer(reader)
