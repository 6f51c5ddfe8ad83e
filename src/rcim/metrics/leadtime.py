"""Lead time for changes: from each commit's author time to the first successful deployment
to the environment whose deployed commit contains it.

"Contains" means the commit is the deployed commit or one of its ancestors. Deployments are
walked in the order they finished over one bulk scan of the history (``CommitGraph.claim``),
so each commit is visited once and git is called once, however many deployments there are.

The first successful deployment of a stream is its *baseline*: it brings every commit
written before rcim (or the imported history) started recording, so its commits say
nothing about the release process and are not measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rcim.gitscan import CommitGraph
from rcim.metrics.records import LeadSample

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import datetime

    from rcim.gitscan import Commit
    from rcim.metrics.records import Deployment


@dataclass(frozen=True)
class LeadTimes:
    """Every measured commit of one deployment stream, and what could not be measured."""

    samples: tuple[LeadSample, ...]
    baseline_commits: int
    unknown_commits: tuple[str, ...]


def lead_times(commits: Iterable[Commit], deployments: Iterable[Deployment]) -> LeadTimes:
    """Lead time samples for the successful ``deployments`` (one env, possibly several
    services), given the scanned ``commits``."""
    scanned = list(commits)
    authored = {commit.sha: commit.author_time for commit in scanned}
    graph = CommitGraph(scanned)
    ordered = sorted((d for d in deployments if d.succeeded), key=lambda d: (d.finished_at, d.id))
    samples: list[LeadSample] = []
    unknown: list[str] = []
    baseline: int | None = None
    for deployment in ordered:
        if deployment.commit not in graph:
            unknown.append(deployment.commit)
            continue
        brought = graph.claim(deployment.commit)
        if baseline is None:
            baseline = len(brought)
            continue
        samples.extend(_samples(brought, authored, deployment))
    return LeadTimes(tuple(samples), baseline or 0, tuple(dict.fromkeys(unknown)))


def _samples(
    shas: list[str], authored: Mapping[str, datetime], deployment: Deployment
) -> Iterable[LeadSample]:
    finished = deployment.finished_at
    assert finished is not None  # succeeded deployments always have finished
    for sha in shas:
        author_time = authored[sha]
        # Commits authored after the deployment finished come from skewed clocks; a
        # negative lead time would only hide real ones.
        if author_time <= finished:
            hours = (finished - author_time).total_seconds() / 3600
            yield LeadSample(sha, deployment.id, author_time, finished, hours)
