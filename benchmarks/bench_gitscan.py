"""The bulk commit scanner vs a raw ``git log`` of the same history.

The history is generated once with ``git fast-import`` and cached under the temp dir.
Size: ``RCIM_BENCH_COMMITS`` (default 200,000 commits; generation takes ~20 s the first time).
Baseline: ``git log --all`` with its default format, read to the end through a pipe.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rcim.gitscan import scan_all
from rcim.gitscan.fastimport import NewCommit, import_history

COMMITS = int(os.environ.get("RCIM_BENCH_COMMITS", "200000"))
ROUNDS = 3
T0 = datetime(2020, 1, 6, 9, 0, tzinfo=UTC)
MINUTES_BETWEEN_COMMITS = 10


def commit_time(index: int) -> datetime:
    return T0 + timedelta(minutes=MINUTES_BETWEEN_COMMITS * index)


def history_repo(commits: int = COMMITS) -> tuple[Path, list[str]]:
    """A linear history with a merge every 50 commits and change trailers; cached."""
    repo = Path(tempfile.gettempdir()) / f"rcim-bench-history-{commits}"
    shas_file = repo / ".git" / "rcim-bench-shas"
    if shas_file.is_file():
        return repo, shas_file.read_text(encoding="ascii").split()
    started = time.perf_counter()
    shas = import_history(repo, _commits(commits))
    shas_file.write_text("\n".join(shas), encoding="ascii")
    print(f"generated {commits} commits in {time.perf_counter() - started:.1f}s at {repo}")
    return repo, shas


def _commits(count: int) -> object:
    for index in range(count):
        service = f"svc-{index % 20:02d}"
        message = f"{service}: change {index}\n\nChange: CHG-2020-{index % 9000 + 1:04d}\n"
        parents = (index - 1, index - 25) if index % 50 == 49 else None
        yield NewCommit(message, commit_time(index), {f"{service}/app.txt": f"{index}\n"}, parents)


def raw_git_log(repo: Path) -> None:
    subprocess.run(["git", "-C", str(repo), "log", "--all"], stdout=subprocess.PIPE, check=True)


def best_pair(baseline: object, ours: object) -> tuple[float, float]:
    """Best of ROUNDS for each, interleaved so that background load hits both alike."""
    assert callable(baseline)
    assert callable(ours)
    base_times, our_times = [], []
    for _ in range(ROUNDS):
        for action, times in ((baseline, base_times), (ours, our_times)):
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
    return min(base_times), min(our_times)


def main() -> None:
    repo, shas = history_repo()
    baseline, ours = best_pair(lambda: raw_git_log(repo), lambda: scan_all(repo))
    with_paths = min(_timed(lambda: scan_all(repo, with_paths=True)) for _ in range(ROUNDS))
    print(f"commits: {len(shas)}")
    print(f"git log --all (baseline): {baseline:.3f}s")
    print(f"rcim scan_all:            {ours:.3f}s")
    print(f"rcim scan_all with paths: {with_paths:.3f}s")
    print(f"ratio scan/git log: {ours / baseline:.2f}")


def _timed(action: object) -> float:
    assert callable(action)
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
