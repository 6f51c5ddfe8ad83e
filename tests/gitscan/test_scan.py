"""The bulk scanner against real repositories written with git fast-import."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING

import pytest

from rcim.errors import InvalidInputError, NotFoundError
from rcim.gitscan import CommitGraph, existing_commits, resolve_commit, scan_all, scan_range
from rcim.gitscan.fastimport import NewCommit, import_history

if TYPE_CHECKING:
    from pathlib import Path

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, list[str]]:
    """main: c0 - c1 - c3(merge of c1 and c2); feature: c1 - c2; plus c4 on main."""
    commits = [
        NewCommit("[CHG-2026-0001] first\n", T0, {"a.txt": "1\n"}),
        NewCommit(
            "second\n\nBody text.\n\nChange: CHG-2026-0002\nReviewed-by: Eva <eva@x>\n",
            T0 + timedelta(hours=1),
            {"a.txt": "2\n", "dir/b c.txt": "b\n"},
        ),
        NewCommit("feature work\n", T0 + timedelta(hours=2), {"f.txt": "f\n"}, branch="feature"),
        NewCommit("Merge feature\n", T0 + timedelta(hours=3), {}, parents=(1, 2)),
        NewCommit(
            "[CHG-2026-0004] fix\n\nchange: CHG-2026-0004\n",
            datetime(2026, 3, 2, 12, 0, tzinfo=UTC),
            {"a.txt": "4\n"},
            parents=(3,),
        ),
    ]
    repo = tmp_path / "repo"
    return repo, import_history(repo, commits)


def test_scan_all_reads_every_field(history: tuple[Path, list[str]]) -> None:
    repo, shas = history
    by_sha = {c.sha: c for c in scan_all(repo)}
    assert set(by_sha) == set(shas)
    second = by_sha[shas[1]]
    assert second.parents == (shas[0],)
    assert second.subject == "second"
    assert second.author_name == "rcim"
    assert second.author_time == T0 + timedelta(hours=1)
    assert second.author_time.utcoffset() == timedelta(hours=1)
    assert second.trailers == (("Change", "CHG-2026-0002"), ("Reviewed-by", "Eva <eva@x>"))
    assert second.change_ids == ("CHG-2026-0002",)
    assert second.changes is None
    assert by_sha[shas[0]].change_ids == ("CHG-2026-0001",)
    # Subject tag and a lower-case trailer naming the same change count once.
    assert by_sha[shas[4]].change_ids == ("CHG-2026-0004",)
    assert by_sha[shas[3]].is_merge


def test_children_come_before_parents(history: tuple[Path, list[str]]) -> None:
    repo, _ = history
    order = [c.sha for c in scan_all(repo)]
    for commit in scan_all(repo):
        for parent in commit.parents:
            assert order.index(commit.sha) < order.index(parent)


def test_scan_range_excludes_what_since_reaches(history: tuple[Path, list[str]]) -> None:
    repo, shas = history
    found = [c.sha for c in scan_range(repo, shas[1], "main")]
    assert sorted(found) == sorted([shas[2], shas[3], shas[4]])
    assert [c.sha for c in scan_range(repo, None, shas[1])] == [shas[1], shas[0]]


def test_paths_and_line_counts_in_the_same_pass(history: tuple[Path, list[str]]) -> None:
    repo, shas = history
    second = next(c for c in scan_range(repo, shas[0], shas[1], with_paths=True))
    assert second.paths == ("a.txt", "dir/b c.txt")
    assert [(p.added, p.deleted) for p in second.changes or ()] == [(1, 1), (1, 0)]


def test_custom_trailer_key(history: tuple[Path, list[str]]) -> None:
    repo, shas = history
    second = next(c for c in scan_all(repo, trailer_key="Reviewed-by") if c.sha == shas[1])
    assert second.change_ids == ()


def test_scan_all_includes_unreferenced_extra_commits(history: tuple[Path, list[str]]) -> None:
    repo, shas = history
    subprocess.run(["git", "-C", str(repo), "branch", "-D", "feature"], check=True)
    assert shas[2] in {c.sha for c in scan_all(repo)}  # still reachable through the merge
    subprocess.run(["git", "-C", str(repo), "reset", "-q", "--hard", shas[1]], check=True)
    assert shas[4] not in {c.sha for c in scan_all(repo)}
    found = {c.sha for c in scan_all(repo, extra_commits=[shas[4], "0" * 40])}
    assert shas[4] in found


def test_existing_commits_and_resolve(history: tuple[Path, list[str]]) -> None:
    repo, shas = history
    assert existing_commits(repo, [shas[0], "f" * 40]) == {shas[0]}
    assert resolve_commit(repo, "main") == shas[4]
    with pytest.raises(NotFoundError, match="does not name a commit"):
        resolve_commit(repo, "no-such-branch")


def test_bad_range_and_not_a_repository(history: tuple[Path, list[str]], tmp_path: Path) -> None:
    repo, _ = history
    with pytest.raises(NotFoundError):
        scan_range(repo, "1" * 40, "main")
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(InvalidInputError, match="not inside a git repository"):
        scan_all(plain)


def test_empty_repository_has_no_commits(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path / "empty")], check=True)
    assert scan_all(tmp_path / "empty") == []


def test_graph_claims_each_commit_once(history: tuple[Path, list[str]]) -> None:
    repo, shas = history
    graph = CommitGraph(scan_all(repo))
    assert sorted(graph.claim(shas[1])) == sorted(shas[:2])
    assert sorted(graph.claim(shas[4])) == sorted(shas[2:5])
    assert graph.claim(shas[3]) == []
    assert graph.claim("0" * 40) == []
    assert graph.is_claimed(shas[2])


def test_scan_without_trailers_reads_graph_and_times(history: tuple[Path, list[str]]) -> None:
    repo, shas = history
    commits = {c.sha: c for c in scan_all(repo, trailer_key=None)}
    assert commits[shas[1]].trailers == ()
    assert commits[shas[1]].change_ids == ()
    assert commits[shas[3]].parents == (shas[1], shas[2])
    assert commits[shas[4]].author_time == datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
