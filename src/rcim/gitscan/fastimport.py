"""Writing a whole history into a repository at once with ``git fast-import``.

Backfills, examples and benchmarks need histories of known shape (hundreds of thousands of
commits, fixed times, merges); committing one at a time would take hours, while fast-import
streams them in seconds. With fixed times and contents the resulting SHAs are reproducible.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple

from rcim.errors import InvalidInputError
from rcim.gitscan.repo import git_executable

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import datetime

DEFAULT_AUTHOR = ("rcim", "rcim@localhost")


class NewCommit(NamedTuple):
    """A commit to write. ``parents`` are indexes of earlier commits in the same import;
    ``None`` means "the commit before this one" (none for the first)."""

    message: str
    author_time: datetime
    files: Mapping[str, str]
    parents: tuple[int, ...] | None = None
    branch: str = "main"
    author: tuple[str, str] = DEFAULT_AUTHOR


def import_history(repo_path: Path, commits: Iterable[NewCommit]) -> list[str]:
    """Create (or extend) the repository at ``repo_path`` with ``commits``; return their SHAs
    in the given order. ``HEAD`` points at ``main``."""
    git = git_executable()
    repo_path.mkdir(parents=True, exist_ok=True)
    subprocess.run([git, "init", "-q", "-b", "main", str(repo_path)], check=True)
    with tempfile.TemporaryDirectory(prefix="rcim-fast-import-") as tmp:
        marks = Path(tmp) / "marks"
        proc = subprocess.Popen(
            [git, "-C", str(repo_path), "fast-import", "--quiet", f"--export-marks={marks}"],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdin is not None
        assert proc.stderr is not None
        count = _write_stream(proc.stdin, commits)
        proc.stdin.close()
        error = proc.stderr.read().decode("utf-8", "replace")
        if proc.wait() != 0:
            raise InvalidInputError(f"{repo_path}: git fast-import failed: {error.strip()}")
        return _read_marks(marks, count)


def _write_stream(stream: IO[bytes], commits: Iterable[NewCommit]) -> int:
    count = 0
    for index, commit in enumerate(commits):
        stream.write(_commit_block(index, commit))
        count = index + 1
    return count


def _commit_block(index: int, commit: NewCommit) -> bytes:
    parents = commit.parents if commit.parents is not None else ((index - 1,) if index else ())
    if any(parent >= index or parent < 0 for parent in parents):
        raise ValueError(f"commit {index}: parents must be earlier commits, got {parents}")
    name, email = commit.author
    stamp = f"{int(commit.author_time.timestamp())} {_offset(commit.author_time)}"
    message = commit.message.encode("utf-8")
    lines = [
        f"commit refs/heads/{commit.branch}\nmark :{index + 1}\n".encode(),
        f"author {name} <{email}> {stamp}\ncommitter {name} <{email}> {stamp}\n".encode(),
        b"data %d\n%s\n" % (len(message), message),
    ]
    if parents:
        lines.append(f"from :{parents[0] + 1}\n".encode())
        lines.extend(f"merge :{parent + 1}\n".encode() for parent in parents[1:])
    else:
        lines.append(b"deleteall\n")
    for path, content in commit.files.items():
        data = content.encode("utf-8")
        lines.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))
    return b"".join(lines)


def _offset(moment: datetime) -> str:
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError(f"commit time {moment.isoformat()} has no offset")
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _read_marks(marks: Path, count: int) -> list[str]:
    by_mark: dict[int, str] = {}
    for line in marks.read_text(encoding="ascii").splitlines():
        mark, sha = line.split()
        by_mark[int(mark.lstrip(":"))] = sha
    return [by_mark[index + 1] for index in range(count)]
