"""One bulk ``git log`` pass that turns a commit range into ``Commit`` records.

Every field is asked for with a machine-readable ``--format``: each record starts with RS
(0x1e) and its fields end with US (0x1f); trailers are parsed by git itself and joined with
GS (0x1d) between trailers and FS (0x1c) between key and value. With ``-z`` the optional
``--numstat`` part that follows the fields is NUL-separated, so no path is ever quoted.
Subjects are single lines and trailer values are unfolded, so none of them can hold these
separators in practice.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from datetime import datetime
from typing import IO, TYPE_CHECKING

from rcim.errors import InvalidInputError, NotFoundError
from rcim.gitscan.bulk import paused_gc
from rcim.gitscan.commit import DEFAULT_TRAILER_KEY, Commit, PathChange, change_ids_of
from rcim.gitscan.repo import existing_commits, git_executable, has_commits, repository_root

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

RECORD = "\x1e"
FIELD = "\x1f"
TRAILER = "\x1d"
KEY_VALUE = "\x1c"
_FIELDS = ("%H", "%P", "%an", "%ae", "%aI", "%cI", "%s")
_TRAILERS = "%(trailers:only,unfold,separator=%x1d,key_value_separator=%x1c)"
LOG_FORMAT = "%x1e" + "".join(f"{code}%x1f" for code in (*_FIELDS, _TRAILERS))
# Without trailers the field stays, empty: git skips parsing every message.
LOG_FORMAT_NO_TRAILERS = "%x1e" + "".join(f"{code}%x1f" for code in (*_FIELDS, ""))
_FIELD_COUNT = len(_FIELDS) + 1
_CHUNK = 1 << 20
_NOT_FOUND = ("bad revision", "unknown revision", "bad object", "Invalid revision range")


def scan_range(
    repo_path: Path,
    since_sha: str | None,
    until_ref: str,
    *,
    with_paths: bool = False,
    trailer_key: str | None = DEFAULT_TRAILER_KEY,
) -> list[Commit]:
    """Commits reachable from ``until_ref`` but not from ``since_sha``, children before parents.

    ``since_sha=None`` means the whole history up to ``until_ref``. ``trailer_key=None``
    skips trailers and change IDs (left empty), for callers that need only the graph and
    times: git then does not parse the messages, which makes large scans faster.
    """
    revs = [until_ref] if since_sha is None else [f"{since_sha}..{until_ref}"]
    return _scan(repo_path, revs, with_paths=with_paths, trailer_key=trailer_key)


def scan_all(
    repo_path: Path,
    *,
    extra_commits: Iterable[str] = (),
    with_paths: bool = False,
    trailer_key: str | None = DEFAULT_TRAILER_KEY,
) -> list[Commit]:
    """Every commit reachable from any ref, plus from ``extra_commits`` that exist.

    Deployed commits may sit on deleted branches or detached tags; passing them as
    ``extra_commits`` keeps their history in the scan. Unknown SHAs are left out silently
    (``existing_commits`` tells which they are), so one stale record cannot fail the scan.
    """
    extra = sorted(existing_commits(repo_path, list(extra_commits)))
    if not has_commits(repo_path) and not extra:
        return []
    return _scan(repo_path, extra, with_paths=with_paths, trailer_key=trailer_key, all_refs=True)


def git_log_command(
    repo_root: Path, *, with_paths: bool, all_refs: bool = False, trailers: bool = True
) -> list[str]:
    """The ``git log`` command line the scanner runs (revisions are fed on stdin, because
    a deployment history can name more commits than a command line holds)."""
    command = [
        git_executable(),
        "-C",
        str(repo_root),
        "-c",
        "log.showSignature=false",
        "log",
        "-z",
        "--topo-order",
        f"--format={LOG_FORMAT if trailers else LOG_FORMAT_NO_TRAILERS}",
        "--stdin",
    ]
    if with_paths:
        command[-1:-1] = ["--numstat", "--no-renames"]
    if all_refs:
        # git 2.39 does not read pseudo-options such as --all from stdin.
        command.append("--all")
    return command


def _scan(
    repo_path: Path,
    revs: list[str],
    *,
    with_paths: bool,
    trailer_key: str | None,
    all_refs: bool = False,
) -> list[Commit]:
    """Run git and parse its output while it is still being written: on two cores the
    parsing then hides behind git's own work instead of adding to it."""
    root = repository_root(repo_path)
    parser = _RecordParser(with_paths=with_paths, trailer_key=trailer_key)
    with tempfile.TemporaryFile() as stderr, paused_gc():
        proc = subprocess.Popen(
            git_log_command(
                root, with_paths=with_paths, all_refs=all_refs, trailers=trailer_key is not None
            ),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            encoding="utf-8",
            errors="surrogateescape",
        )
        assert proc.stdin is not None
        assert proc.stdout is not None
        proc.stdin.write("\n".join(revs) + "\n")
        proc.stdin.close()
        commits = parser.parse_stream(proc.stdout)
        if proc.wait() != 0:
            stderr.seek(0)
            raise _scan_error(repo_path, revs, stderr.read().decode("utf-8", "replace"))
    return commits


def parse_log(output: str, *, with_paths: bool, trailer_key: str | None) -> list[Commit]:
    """Parse the whole output of ``git_log_command`` into commits, in output order."""
    return _RecordParser(with_paths=with_paths, trailer_key=trailer_key).parse_stream(
        io.StringIO(output)
    )


class _RecordParser:
    """Turns RS-separated records into commits, chunk by chunk."""

    def __init__(self, *, with_paths: bool, trailer_key: str | None) -> None:
        self._with_paths = with_paths
        self._trailer_key = trailer_key

    def parse_stream(self, stream: IO[str]) -> list[Commit]:
        commits: list[Commit] = []
        pending = ""
        while chunk := stream.read(_CHUNK):
            records = (pending + chunk).split(RECORD)
            pending = records.pop()
            # The output starts with RS, so the first chunk yields one empty record.
            commits.extend(map(self._parse_record, filter(None, records)))
        if pending:
            commits.append(self._parse_record(pending))
        return commits

    def _parse_record(self, record: str) -> Commit:
        sha, parents, name, email, authored, committed, subject, raw_trailers, tail = record.split(
            FIELD, _FIELD_COUNT
        )
        trailers = _parse_trailers(raw_trailers) if raw_trailers else ()
        if self._trailer_key is not None and ("[" in subject or trailers):
            change_ids = change_ids_of(subject, trailers, self._trailer_key)
        else:
            change_ids = ()
        return Commit(
            sha,
            tuple(parents.split()),
            name,
            email,
            datetime.fromisoformat(authored),
            datetime.fromisoformat(committed),
            subject,
            trailers,
            change_ids,
            _parse_numstat(tail) if self._with_paths else None,
        )


def _parse_trailers(raw: str) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    for item in raw.split(TRAILER):
        key, _, value = item.partition(KEY_VALUE)
        pairs.append((key.strip(), value.strip()))
    return tuple(pairs)


def _parse_numstat(tail: str) -> tuple[PathChange, ...]:
    changes: list[PathChange] = []
    for entry in tail.split("\0"):
        entry = entry.lstrip("\n")
        if not entry:
            continue
        added, deleted, path = entry.split("\t", 2)
        changes.append(PathChange(path, _count(added), _count(deleted)))
    return tuple(changes)


def _count(text: str) -> int | None:
    return None if text == "-" else int(text)


def _scan_error(repo_path: Path, revs: list[str], stderr: str) -> InvalidInputError:
    message = stderr.strip().splitlines()[0] if stderr.strip() else "git log failed"
    if any(sign in message for sign in _NOT_FOUND):
        return NotFoundError(f"{repo_path}: {message} (revisions: {' '.join(revs[:3])})")
    return InvalidInputError(f"{repo_path}: {message}")
