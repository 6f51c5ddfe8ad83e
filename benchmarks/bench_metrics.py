"""Metrics over a generated history vs a raw ``git log`` of the same history.

History: the bench_gitscan repository (``RCIM_BENCH_COMMITS``, default 200,000 commits) and
``RCIM_BENCH_DEPLOYMENTS`` (default 20,000) production deployments of 20 services in a
SQLite store, each deploying the newest commit an hour before it, 5 % rolled back, plus one
incident per 50 deployments. Measured: reading the store and git, lead times, and the
metrics of the whole history and of its last 90 days. Baseline: ``git log --all``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_gitscan import (
    COMMITS,
    MINUTES_BETWEEN_COMMITS,
    best_pair,
    commit_time,
    history_repo,
    raw_git_log,
)

from rcim.metrics import Period, Scope, compute_metrics, load_history
from rcim.store import Store, open_store
from rcim.store.schema import DeploymentRow, IncidentRow

DEPLOYMENTS = int(os.environ.get("RCIM_BENCH_DEPLOYMENTS", "20000"))
SERVICES = tuple(f"svc-{index:02d}" for index in range(20))
SCOPE = Scope("production", SERVICES)


def fill_store(store: Store, shas: list[str]) -> None:
    step = max(1, len(shas) // DEPLOYMENTS)
    deployments, incidents = [], []
    for number in range(DEPLOYMENTS):
        index = min(len(shas) - 1, (number + 1) * step - 1)
        deployed = commit_time(index) + timedelta(minutes=MINUTES_BETWEEN_COMMITS * 6)
        deployments.append(
            {
                "id": f"dep-{number:06d}",
                "service": SERVICES[number % len(SERVICES)],
                "env": "production",
                "version": f"1.{number}",
                "commit_sha": shas[index],
                "change_id": None,
                "strategy": "rolling",
                "started_at": deployed - timedelta(minutes=10),
                "finished_at": deployed,
                "result": "rolled_back" if number % 20 == 7 else "succeeded",
                "source": "import",
            }
        )
        if number % 50 == 3:
            incidents.append(_incident(number, deployed))
    with store.transaction() as session:
        session.execute(insert(DeploymentRow), deployments)
        session.execute(insert(IncidentRow), incidents)


def _incident(number: int, deployed: object) -> dict[str, object]:
    assert hasattr(deployed, "tzinfo")
    opened = deployed + timedelta(minutes=30)  # type: ignore[operator]
    return {
        "id": f"INC-{number:06d}",
        "service": SERVICES[number % len(SERVICES)],
        "priority": "P2",
        "title": "bench",
        "state": "resolved",
        "impact": True,
        "opened_at": opened,
        "acknowledged_at": None,
        "mitigated_at": None,
        "resolved_at": opened + timedelta(minutes=45),
        "caused_by_change": None,
        "caused_by_deployment": f"dep-{number:06d}",
    }


def run_metrics(store: Store, repo: Path, whole: Period, recent: Period) -> int:
    with store.transaction() as session:
        history = load_history(session, SCOPE, repo)
    for period in (whole, recent):
        compute_metrics(history, SCOPE, period, ZoneInfo("UTC"))
    assert history.lead_times is not None
    return len(history.lead_times.samples)


def main() -> None:
    repo, shas = history_repo()
    end = commit_time(len(shas)) + timedelta(days=1)
    whole = Period(commit_time(0).astimezone(UTC), end)
    recent = Period(end - timedelta(days=90), end)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'rcim.db'}")
        try:
            fill_store(store, shas)
            samples = run_metrics(store, repo, whole, recent)
            baseline, ours = best_pair(
                lambda: raw_git_log(repo), lambda: run_metrics(store, repo, whole, recent)
            )
        finally:
            store.close()
    print(f"commits: {COMMITS}  deployments: {DEPLOYMENTS}  lead-time samples: {samples}")
    print(f"git log --all (baseline): {baseline:.3f}s")
    print(f"rcim metrics (2 periods): {ours:.3f}s")
    print(f"ratio metrics/git log: {ours / baseline:.2f}")


if __name__ == "__main__":
    main()
