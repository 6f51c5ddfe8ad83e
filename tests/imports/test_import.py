"""History import: validation of every line first, all-or-nothing writes, idempotency, audit."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select

from rcim.errors import ConfigError
from rcim.imports import ImportContext, deployment_id, import_deployments, import_incidents
from rcim.imports.models import DeploymentLine
from rcim.store import iter_audit, open_store
from rcim.store.schema import DeploymentHostRow, DeploymentRow, IncidentEventRow, IncidentRow

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from rcim.store import Store

NOW = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
SHA = "ab" * 20
CONTEXT = ImportContext(
    at=NOW,
    services=frozenset({"web", "api"}),
    environments=frozenset({"staging", "production"}),
)


def deployment_line(**changes: object) -> dict[str, object]:
    line: dict[str, object] = {
        "service": "web",
        "env": "production",
        "version": "1.2.0",
        "commit": SHA,
        "started_at": "2026-03-02T10:00:00+01:00",
        "finished_at": "2026-03-02T10:12:00+01:00",
        "result": "succeeded",
    }
    line.update(changes)
    return line


def incident_line(**changes: object) -> dict[str, object]:
    line: dict[str, object] = {
        "id": "INC-1",
        "service": "web",
        "priority": "P1",
        "opened_at": "2026-03-02T11:00:00+01:00",
        "resolved_at": "2026-03-02T12:30:00+01:00",
        "impact": True,
    }
    line.update(changes)
    return line


def write(path: Path, *lines: dict[str, object] | str) -> Path:
    text = "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'rcim.db'}")
    try:
        yield opened
    finally:
        opened.close()


def count(store: Store, table: type) -> int:
    with store.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_import_deployments_and_audit(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "d.jsonl",
        deployment_line(id="dep-1", hosts=["web-1", "web-2"], change="CHG-2026-0001"),
        "",
        deployment_line(version="1.3.0", result="rolled_back"),
    )
    result = import_deployments(store, path, CONTEXT)
    assert (result.imported, result.skipped) == (2, 0)
    with store.transaction() as session:
        rows = {row.id: row for row in session.scalars(select(DeploymentRow))}
        entries = list(iter_audit(session))
    assert rows["dep-1"].source == "import"
    assert rows["dep-1"].started_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert rows["dep-1"].change_id == "CHG-2026-0001"
    derived = deployment_id(DeploymentLine.model_validate(deployment_line(version="1.3.0")))
    assert derived.startswith("dep-")
    assert rows[derived].result == "rolled_back"
    assert count(store, DeploymentHostRow) == 2
    (entry,) = entries
    assert entry.action == "import.deployments"
    assert entry.payload["count"] == 2
    assert entry.payload["sha256"] == result.sha256


def test_reimport_is_a_no_op(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "d.jsonl", deployment_line(id="dep-1"), deployment_line(version="2"))
    import_deployments(store, path, CONTEXT)
    again = import_deployments(store, path, CONTEXT)
    assert (again.imported, again.skipped) == (0, 2)
    assert count(store, DeploymentRow) == 2
    with store.transaction() as session:
        assert len(list(iter_audit(session))) == 1


def test_same_id_with_other_content_is_an_error(store: Store, tmp_path: Path) -> None:
    import_deployments(store, write(tmp_path / "a.jsonl", deployment_line(id="dep-1")), CONTEXT)
    other = write(
        tmp_path / "b.jsonl", deployment_line(id="dep-2"), deployment_line(id="dep-1", version="9")
    )
    with pytest.raises(ConfigError) as raised:
        import_deployments(store, other, CONTEXT)
    assert raised.value.lines() == [
        f"{other}:2: id: deployment 'dep-1' is already in the store with different content "
        "(source 'import'); give this line another id"
    ]
    assert count(store, DeploymentRow) == 1


def test_every_bad_line_is_reported_and_nothing_stored(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "bad.jsonl",
        deployment_line(id="ok-1"),
        "{not json",
        deployment_line(commit="abc123"),
        deployment_line(started_at="2026-03-02T10:00:00"),
        deployment_line(result="done", colour="red"),
        deployment_line(service="nope", env="qa"),
        deployment_line(id="ok-1"),
        "[1, 2]",
        deployment_line(finished_at="2026-03-02T09:00:00+01:00"),
    )
    with pytest.raises(ConfigError) as raised:
        import_deployments(store, path, CONTEXT)
    lines = raised.value.lines()
    assert [line.split(":")[1] for line in lines] == [
        "2",
        "3",
        "4",
        "5",
        "5",
        "6",
        "6",
        "7",
        "8",
        "9",
    ]
    text = "\n".join(lines)
    assert f"{path}:3: commit: 'abc123' is not a full commit SHA" in text
    assert "has no UTC offset" in text
    assert f"{path}:5: colour: unknown field" in text
    assert "unknown service 'nope' (api, web)" in text
    assert "unknown environment 'qa'" in text
    assert "already appears on line 1" in text
    assert "finished_at is before started_at" in text
    assert count(store, DeploymentRow) == 0
    with store.transaction() as session:
        assert list(iter_audit(session)) == []


def test_import_incidents_with_causes_and_timeline(store: Store, tmp_path: Path) -> None:
    import_deployments(store, write(tmp_path / "d.jsonl", deployment_line(id="dep-1")), CONTEXT)
    path = write(
        tmp_path / "i.jsonl",
        incident_line(caused_by="dep-1", acknowledged_at="2026-03-02T11:05:00+01:00"),
        incident_line(id="INC-2", caused_by="CHG-2026-0007", resolved_at=None, priority="P3"),
    )
    result = import_incidents(store, path, CONTEXT)
    assert result.imported == 2
    with store.transaction() as session:
        rows = {row.id: row for row in session.scalars(select(IncidentRow))}
        kinds = sorted((e.incident_id, e.kind) for e in session.scalars(select(IncidentEventRow)))
    assert rows["INC-1"].caused_by_deployment == "dep-1"
    assert rows["INC-1"].state == "resolved"
    assert rows["INC-2"].caused_by_change == "CHG-2026-0007"
    assert rows["INC-2"].state == "open"
    assert kinds == [
        ("INC-1", "acknowledged"),
        ("INC-1", "opened"),
        ("INC-1", "resolved"),
        ("INC-2", "opened"),
    ]
    assert import_incidents(store, path, CONTEXT).skipped == 2


def test_incident_cause_must_exist(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "i.jsonl", incident_line(caused_by="dep-404"))
    with pytest.raises(ConfigError, match=r"i\.jsonl:1: caused_by: 'dep-404' is neither"):
        import_incidents(store, path, CONTEXT)
    assert count(store, IncidentRow) == 0


def test_incident_line_rules(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "i.jsonl",
        incident_line(priority="P5"),
        incident_line(id="INC-2", resolved_at="2026-03-02T10:00:00+01:00"),
        incident_line(id="INC-3", impact="yes"),
    )
    with pytest.raises(ConfigError) as raised:
        import_incidents(store, path, CONTEXT)
    assert [line.split(":")[1] for line in raised.value.lines()] == ["1", "2", "3"]
    assert "resolved_at is before opened_at" in raised.value.lines()[1]
