"""Generate the ABC Logistics example history: an application repository and the matching
deployments.jsonl and incidents.jsonl, before and after the release program started.

    python examples/history/generate.py --repo /tmp/abc-apps

builds the application repository with ``git fast-import`` (fixed times and contents, so the
commit SHAs are always the same) and rewrites the two JSON Lines files next to this script.
The periods to compare are 2025-07-07..2025-12-28 (before) and 2026-01-05..2026-06-28 (after),
25 weeks each; the data show the seed's kind of results: downtime down about 70 %, change
failure rate down about 50 %, release frequency up 25 %.
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from rcim.gitscan.fastimport import NewCommit, import_history

HERE = Path(__file__).resolve().parent
PRAGUE = ZoneInfo("Europe/Prague")
SERVICES = ("booking-web", "shipment-tracking", "records-archive", "vpn-gateway")
HISTORY_START = datetime(2025, 5, 5, 9, 0, tzinfo=PRAGUE)
HISTORY_END = datetime(2026, 6, 28, 18, 0, tzinfo=PRAGUE)
BASELINE_DEPLOY = datetime(2025, 7, 1, 10, 0, tzinfo=PRAGUE)
# (first day, weeks, successful deploys, rolled back, deploys that cause an incident)
PERIODS = (
    (datetime(2025, 7, 7, tzinfo=PRAGUE), 25, 36, 4, 4),
    (datetime(2026, 1, 5, tzinfo=PRAGUE), 25, 45, 3, 2),
)
# Incidents not caused by a deployment: (opened, minutes, priority, service)
OTHER_INCIDENTS = (
    (datetime(2025, 8, 19, 14, 5, tzinfo=PRAGUE), 200, "P1", "vpn-gateway"),
    (datetime(2025, 11, 3, 7, 40, tzinfo=PRAGUE), 100, "P2", "records-archive"),
    (datetime(2026, 2, 17, 16, 20, tzinfo=PRAGUE), 100, "P2", "vpn-gateway"),
    (datetime(2026, 5, 12, 9, 10, tzinfo=PRAGUE), 50, "P2", "records-archive"),
)
CAUSED_MINUTES = ((180, 240, 150, 130), (90, 60))


def commits() -> list[NewCommit]:
    """Commits on workdays every few hours, each touching one service's code."""
    rng = random.Random(8)
    made: list[NewCommit] = []
    moment = HISTORY_START
    while moment < HISTORY_END:
        service = SERVICES[len(made) % len(SERVICES)]
        number = len(made) + 1
        message = f"{service}: improvement {number}\n\nChange: CHG-{moment.year}-{number:04d}\n"
        files = {f"{service}/app.txt": f"revision {number}\n"}
        made.append(NewCommit(message, moment, files, author=("ABC Developer", "dev@abc.example")))
        moment += timedelta(hours=rng.choice((3, 5, 7, 20, 26)))
        if moment.weekday() >= 5:
            moment += timedelta(days=7 - moment.weekday())
    return made


def deployments(history: list[NewCommit], shas: list[str]) -> list[dict[str, object]]:
    rng = random.Random(20)
    lines = [
        _deployment("dep-baseline", "booking-web", BASELINE_DEPLOY, history, shas, "succeeded")
    ]
    for first_day, weeks, ok, rolled_back, causing in PERIODS:
        results = ["succeeded"] * ok + ["rolled_back"] * rolled_back
        rng.shuffle(results)
        spacing = timedelta(days=weeks * 7) / len(results)
        causing_left = causing
        for index, result in enumerate(results):
            start = first_day + spacing * index + timedelta(hours=10 + rng.randint(0, 6))
            service = SERVICES[index % len(SERVICES)]
            ident = f"dep-{start:%Y%m%d-%H%M}-{service}"
            lines.append(_staging(ident, service, start, history, shas))
            line = _deployment(ident, service, start, history, shas, result)
            if result == "succeeded" and causing_left and index % 7 == 3:
                line["causes_incident"] = True
                causing_left -= 1
            lines.append(line)
    return lines


def _deployment(
    ident: str,
    service: str,
    start: datetime,
    history: list[NewCommit],
    shas: list[str],
    result: str,
) -> dict[str, object]:
    """Deploy the newest commit authored two hours before ``start``."""
    index = max(i for i, c in enumerate(history) if c.author_time <= start - timedelta(hours=2))
    return {
        "id": ident,
        "service": service,
        "env": "production",
        "version": f"1.{index}.0",
        "commit": shas[index],
        "started_at": start.isoformat(),
        "finished_at": (start + timedelta(minutes=12)).isoformat(),
        "result": result,
        "change": f"CHG-{history[index].author_time.year}-{index + 1:04d}",
    }


def _staging(
    ident: str, service: str, start: datetime, history: list[NewCommit], shas: list[str]
) -> dict[str, object]:
    line = _deployment(ident, service, start, history, shas, "succeeded")
    staged = start - timedelta(hours=20)
    line.update(
        id=f"{ident}-staging",
        env="staging",
        started_at=staged.isoformat(),
        finished_at=(staged + timedelta(minutes=9)).isoformat(),
    )
    return line


def incidents(deploys: list[dict[str, object]]) -> list[dict[str, object]]:
    lines: list[dict[str, object]] = []
    causing = [d for d in deploys if d.pop("causes_incident", False)]
    minutes = [m for period in CAUSED_MINUTES for m in period]
    for number, (deploy, length) in enumerate(zip(causing, minutes, strict=True), start=1):
        opened = datetime.fromisoformat(str(deploy["finished_at"])) + timedelta(minutes=25)
        cause = str(deploy["change"]) if number % 3 == 0 else str(deploy["id"])
        lines.append(
            _incident(f"INC-{number:04d}", str(deploy["service"]), "P1", opened, length, cause)
        )
    for number, (opened, length, priority, service) in enumerate(OTHER_INCIDENTS, start=101):
        lines.append(_incident(f"INC-{number:04d}", service, priority, opened, length, None))
    lines.append(
        _incident(
            "INC-0201", "booking-web", "P3", datetime(2026, 3, 3, 11, 0, tzinfo=PRAGUE), 45, None
        )
        | {"impact": False}
    )
    return sorted(lines, key=lambda line: str(line["opened_at"]))


def _incident(
    ident: str, service: str, priority: str, opened: datetime, minutes: int, cause: str | None
) -> dict[str, object]:
    line: dict[str, object] = {
        "id": ident,
        "service": service,
        "priority": priority,
        "title": f"{service} unavailable for users",
        "opened_at": opened.isoformat(),
        "acknowledged_at": (opened + timedelta(minutes=min(10, minutes))).isoformat(),
        "resolved_at": (opened + timedelta(minutes=minutes)).isoformat(),
        "impact": True,
    }
    if cause is not None:
        line["caused_by"] = cause
    return line


def write_jsonl(path: Path, lines: list[dict[str, object]]) -> None:
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    path.write_text(text, encoding="utf-8")


def generate(repo: Path, out_dir: Path) -> None:
    history = commits()
    shas = import_history(repo, history)
    deploys = deployments(history, shas)
    incident_lines = incidents(deploys)
    write_jsonl(out_dir / "deployments.jsonl", deploys)
    write_jsonl(out_dir / "incidents.jsonl", incident_lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, required=True, help="where to build the app repo")
    parser.add_argument("--out", type=Path, default=HERE, help="where to write the JSONL files")
    args = parser.parse_args()
    generate(args.repo, args.out)


if __name__ == "__main__":
    main()
