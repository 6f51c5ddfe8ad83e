"""``rcim runbook lint``: every alert has a runbook, every runbook names real alerts and
services, and every step block and check is well-formed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.errors import Problem
from rcim.monitoring.naming import alerts_for_service
from rcim.runbooks.generate import INDEX
from rcim.runbooks.markdown import read_runbook_text
from rcim.runbooks.model import RUNBOOK_KINDS

if TYPE_CHECKING:
    from pathlib import Path

    from rcim.program.loader import Program
    from rcim.runbooks.model import Runbook


def lint_runbooks(program: Program, directory: Path) -> list[Problem]:
    """Every problem of the runbooks in ``directory``, sorted by file and line."""
    alerts = {a.name: a.service for s in program.services.values() for a in alerts_for_service(s)}
    problems: list[Problem] = []
    for path in _runbook_files(directory):
        problems.extend(_file_problems(program, alerts, directory, path))
    for name in sorted(alerts):
        expected = directory / "alerts" / f"{name}.md"
        if not expected.is_file():
            message = (
                f"alert {name} of service {alerts[name]} has no runbook "
                "(run 'rcim runbook generate')"
            )
            problems.append(Problem(str(expected), None, None, message))
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or 0, p.message))


def _runbook_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(
        p for p in directory.rglob("*.md") if p.relative_to(directory).as_posix() != INDEX
    )


def _file_problems(
    program: Program, alerts: dict[str, str], directory: Path, path: Path
) -> list[Problem]:
    display = str(path)
    relative = path.relative_to(directory).as_posix()
    folder = relative.rpartition("/")[0]
    if folder not in RUNBOOK_KINDS:
        kinds = ", ".join(RUNBOOK_KINDS)
        return [Problem(display, None, None, f"runbooks live in one of {kinds}; not '{folder}/'")]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [Problem(display, None, None, f"cannot read: {error}")]
    parsed = read_runbook_text(text, display)
    if parsed.runbook is None:
        return parsed.problems
    return _reference_problems(program, alerts, parsed.runbook, relative[:-3])


def _reference_problems(
    program: Program, alerts: dict[str, str], runbook: Runbook, expected_id: str
) -> list[Problem]:
    front = runbook.front
    found: list[str] = []
    if front.id != expected_id:
        found.append(f"id: '{front.id}' does not match the file's place '{expected_id}'")
    if front.kind != expected_id.partition("/")[0]:
        found.append(f"kind: '{front.kind}' does not match the folder of the file")
    if front.service is not None and front.service not in program.services:
        found.append(f"service: unknown service '{front.service}'")
    if front.alert is not None and front.alert not in alerts:
        found.append(f"alert: no service has an alert named '{front.alert}'")
    elif front.alert is not None and front.service not in (None, alerts[front.alert]):
        found.append(f"alert: {front.alert} belongs to {alerts[front.alert]}, not {front.service}")
    if front.kind == "alerts" and front.alert is None:
        found.append("alert: an alert runbook must name its alert")
    return [Problem(runbook.path, 1, 1, message) for message in found]
