"""``rcim import deployments``: backfill deployment history from a JSON Lines file.

All or nothing: every line is validated (format, names, duplicates, conflicts with the
store) before anything is written; then every new row and one audit entry are written in
one transaction. Re-importing a file is a no-op: a line whose ``id`` is already stored with
the same content is skipped, one whose ``id`` is stored with other content is an error.
Lines without ``id`` get one derived from their content, so they are recognised too.
"""

from __future__ import annotations

import hashlib
from datetime import UTC
from typing import TYPE_CHECKING

from sqlalchemy import select

from rcim.errors import Problem
from rcim.gitscan import existing_commits
from rcim.imports.common import (
    IMPORT_SOURCE,
    ImportContext,
    ImportResult,
    audit_payload,
    name_problems,
)
from rcim.imports.lines import parse_lines, raise_if_problems, read_source
from rcim.imports.models import DeploymentLine
from rcim.store.audit import append_audit
from rcim.store.schema import DeploymentHostRow, DeploymentRow

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.orm import Session

    from rcim.imports.lines import Parsed, SourceFile
    from rcim.store import Store

ACTION = "import.deployments"


def deployment_id(line: DeploymentLine) -> str:
    """The line's ``id``, or a stable one derived from what identifies the deployment."""
    if line.id is not None:
        return line.id
    started = line.started_at.astimezone(UTC).isoformat()
    key = "\x1f".join((line.service, line.env, line.version, line.commit, started))
    return "dep-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def import_deployments(store: Store, path: Path, context: ImportContext) -> ImportResult:
    source = read_source(path)
    parsed, problems = parse_lines(source, DeploymentLine)
    for item in parsed:
        problems.extend(
            name_problems(source, item.line, item.record.service, item.record.env, context)
        )
    problems.extend(_duplicate_ids(source, parsed))
    raise_if_problems(problems)
    with store.transaction() as session:
        existing = _existing(session, [deployment_id(p.record) for p in parsed])
        fresh, conflicts = _split_new(source, parsed, existing)
        raise_if_problems(conflicts)
        result = ImportResult(
            "deployments",
            source.display,
            source.sha256,
            len(fresh),
            len(parsed) - len(fresh),
            _unknown_commit_warnings(source, fresh, context),
        )
        if fresh:
            _insert(session, [p.record for p in fresh])
            append_audit(
                session,
                actor=context.actor,
                action=ACTION,
                subject=path.name,
                payload=audit_payload(result),
                at=context.at,
            )
    return result


def _duplicate_ids(source: SourceFile, parsed: list[Parsed[DeploymentLine]]) -> list[Problem]:
    first_line: dict[str, int] = {}
    problems: list[Problem] = []
    for item in parsed:
        key = deployment_id(item.record)
        if key in first_line:
            message = f"id: deployment '{key}' already appears on line {first_line[key]}"
            problems.append(Problem(source.display, item.line, None, message))
        else:
            first_line[key] = item.line
    return problems


def _existing(session: Session, ids: list[str]) -> dict[str, DeploymentRow]:
    found: dict[str, DeploymentRow] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = session.scalars(select(DeploymentRow).where(DeploymentRow.id.in_(chunk)))
        found.update((row.id, row) for row in rows)
    return found


def _split_new(
    source: SourceFile, parsed: list[Parsed[DeploymentLine]], existing: dict[str, DeploymentRow]
) -> tuple[list[Parsed[DeploymentLine]], list[Problem]]:
    fresh: list[Parsed[DeploymentLine]] = []
    conflicts: list[Problem] = []
    for item in parsed:
        stored = existing.get(deployment_id(item.record))
        if stored is None:
            fresh.append(item)
        elif _fields(stored) != _fields(_row(item.record)):
            message = (
                f"id: deployment '{stored.id}' is already in the store with different content "
                f"(source '{stored.source}'); give this line another id"
            )
            conflicts.append(Problem(source.display, item.line, None, message))
    return fresh, conflicts


def _unknown_commit_warnings(
    source: SourceFile, fresh: list[Parsed[DeploymentLine]], context: ImportContext
) -> tuple[str, ...]:
    if context.repo is None:
        return ()
    known = existing_commits(context.repo, [item.record.commit for item in fresh])
    return tuple(
        f"{source.display}:{item.line}: commit {item.record.commit} is not in the repository; "
        "its lead time cannot be measured"
        for item in fresh
        if item.record.commit not in known
    )


def _insert(session: Session, lines: list[DeploymentLine]) -> None:
    rows = [_row(line) for line in lines]
    session.add_all(rows)
    session.flush()
    session.add_all(
        DeploymentHostRow(
            deployment_id=row.id,
            host=host,
            outcome=line.result,
            started_at=line.started_at,
            finished_at=line.finished_at,
            detail="imported",
        )
        for row, line in zip(rows, lines, strict=True)
        for host in line.hosts
    )


def _row(line: DeploymentLine) -> DeploymentRow:
    return DeploymentRow(
        id=deployment_id(line),
        service=line.service,
        env=line.env,
        version=line.version,
        commit_sha=line.commit,
        change_id=line.change,
        strategy=line.strategy,
        started_at=line.started_at.astimezone(UTC),
        finished_at=line.finished_at.astimezone(UTC),
        result=line.result,
        source=IMPORT_SOURCE,
    )


def _fields(row: DeploymentRow) -> tuple[object, ...]:
    return (
        row.service,
        row.env,
        row.version,
        row.commit_sha,
        row.change_id,
        row.started_at,
        row.finished_at,
        row.result,
    )
