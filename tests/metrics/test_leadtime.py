"""Lead time over a real repository: containment through merges, baseline, unknown commits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from rcim.gitscan import scan_all
from rcim.gitscan.fastimport import NewCommit, import_history
from rcim.metrics.leadtime import lead_times
from rcim.metrics.records import Deployment

if TYPE_CHECKING:
    from pathlib import Path

T0 = datetime(2026, 2, 2, 8, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


@pytest.fixture
def repo_and_shas(tmp_path: Path) -> tuple[Path, list[str]]:
    """c0 c1 on main; c2 on a branch; c3 on main; c4 merges c2 into c3; c5 on main."""
    commits = [
        NewCommit("c0\n", at(0), {"f": "0"}),
        NewCommit("c1\n", at(1), {"f": "1"}),
        NewCommit("c2\n", at(2), {"g": "2"}, parents=(1,), branch="topic"),
        NewCommit("c3\n", at(3), {"f": "3"}, parents=(1,)),
        NewCommit("c4\n", at(4), {}, parents=(3, 2)),
        NewCommit("c5\n", at(5), {"f": "5"}, parents=(4,)),
    ]
    repo = tmp_path / "app"
    return repo, import_history(repo, commits)


def deployment(ident: str, sha: str, finished: datetime, result: str = "succeeded") -> Deployment:
    return Deployment(ident, "web", "production", "v", sha, finished, finished, result)


def test_each_commit_is_measured_at_its_first_containing_deployment(
    repo_and_shas: tuple[Path, list[str]],
) -> None:
    repo, shas = repo_and_shas
    deployments = [
        deployment("base", shas[1], at(10)),  # baseline: c0, c1 are not measured
        deployment("failed", shas[5], at(11), "rolled_back"),  # not successful: brings nothing
        deployment("d1", shas[3], at(20)),  # brings c3
        deployment("d2", shas[4], at(30)),  # brings c4 and c2 (through the merge)
        deployment("again", shas[3], at(31)),  # already deployed: nothing new
        deployment("d3", shas[5], at(40)),  # brings c5
        deployment("lost", "9" * 40, at(41)),  # not in the repository
    ]
    result = lead_times(scan_all(repo), deployments)
    measured = {(s.commit, s.deployment_id): s.hours for s in result.samples}
    assert measured == {
        (shas[3], "d1"): 17,
        (shas[2], "d2"): 28,
        (shas[4], "d2"): 26,
        (shas[5], "d3"): 35,
    }
    assert result.baseline_commits == 2
    assert result.unknown_commits == ("9" * 40,)


def test_deployments_are_walked_in_finish_order_not_input_order(
    repo_and_shas: tuple[Path, list[str]],
) -> None:
    repo, shas = repo_and_shas
    deployments = [
        deployment("late", shas[5], at(50)),
        deployment("early", shas[3], at(20)),
        deployment("base", shas[0], at(9)),
    ]
    result = lead_times(scan_all(repo), deployments)
    brought = {s.commit: s.deployment_id for s in result.samples}
    assert brought[shas[1]] == "early"
    assert brought[shas[3]] == "early"
    assert brought[shas[5]] == "late"
    assert brought[shas[2]] == "late"


def test_commit_times_keep_their_offsets(tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    tokyo = ZoneInfo("Asia/Tokyo")
    commits = [
        NewCommit("base\n", datetime(2026, 2, 2, 9, 0, tzinfo=tokyo), {"f": "0"}),
        NewCommit("change\n", datetime(2026, 2, 2, 17, 0, tzinfo=tokyo), {"f": "1"}),
    ]
    shas = import_history(tmp_path / "tz", commits)
    deployments = [
        deployment("base", shas[0], datetime(2026, 2, 2, 1, 0, tzinfo=UTC)),
        deployment("d", shas[1], datetime(2026, 2, 2, 10, 0, tzinfo=UTC)),  # 19:00 in Tokyo
    ]
    (sample,) = lead_times(scan_all(tmp_path / "tz"), deployments).samples
    assert sample.hours == 2


def test_no_successful_deployment_means_no_samples(repo_and_shas: tuple[Path, list[str]]) -> None:
    repo, shas = repo_and_shas
    result = lead_times(scan_all(repo), [deployment("x", shas[5], at(9), "failed")])
    assert result.samples == ()
    assert result.baseline_commits == 0
