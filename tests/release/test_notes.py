"""Release notes grouped by change record: golden Markdown and JSON from a fixed repository."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from rcim.changes.model import ChangeRecord
from rcim.gitscan import scan_range
from rcim.program.policy import StandardChange
from rcim.release.notes import notes_json, notes_markdown, release_notes
from release.conftest import ok, ready_change

if TYPE_CHECKING:
    from release.conftest import Program

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "release"
TEMPLATES = (
    StandardChange(id="std-docs", title="Documentation wording", paths=("docs/**", "**/*.md")),
)


def _git(repo: Path, *args: str, when: str) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Tomáš Novák",
        "GIT_AUTHOR_EMAIL": "tomas@example.org",
        "GIT_COMMITTER_NAME": "ci",
        "GIT_COMMITTER_EMAIL": "ci@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    proc = subprocess.run(
        ["git", "-C", str(repo), *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return proc.stdout.strip()


def _fixed_repo(repo: Path) -> None:
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main", when="2026-06-01T10:00:00+02:00")
    history = [
        ("app/a.py", "Start", ""),
        ("app/b.py", "Faster tracking search", "\n\nChange: CHG-2026-0001"),
        ("docs/guide.md", "Explain the tracking page", ""),
        ("app/c.py", "[CHG-2026-0002] Fix label printing", ""),
        ("app/d.py", "Tune cache", "\n\nChange: CHG-2026-0001"),
        ("app/e.py", "Unlinked tweak", ""),
    ]
    for day, (path, subject, trailer) in enumerate(history, start=1):
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(f"{subject}\n", encoding="utf-8")
        when = f"2026-06-{day:02d}T10:00:00+02:00"
        _git(repo, "add", path, when=when)
        _git(repo, "commit", "-q", "-m", subject + trailer, when=when)


def _record(ident: str, title: str) -> ChangeRecord:
    return ChangeRecord.model_validate(
        {
            "id": ident,
            "type": "normal",
            "title": title,
            "services": ("shipment-tracking",),
            "author": "tomas",
        }
    )


def _compare(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("RCIM_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_release_notes_golden(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    _fixed_repo(repo)
    start = _git(repo, "rev-list", "--max-parents=0", "HEAD", when="2026-06-01T10:00:00Z")
    head = _git(repo, "rev-parse", "HEAD", when="2026-06-01T10:00:00Z")
    commits = scan_range(repo, start, head, with_paths=True)
    records = {"CHG-2026-0001": _record("CHG-2026-0001", "Faster tracking")}
    notes = release_notes(commits, records, TEMPLATES, since=start, until=head)
    _compare("notes.md", notes_markdown(notes))
    _compare("notes.json", json.dumps(notes_json(notes), indent=2, ensure_ascii=False) + "\n")
    kinds = [(g.kind, g.key) for g in notes.groups]
    assert kinds == [
        ("change", "CHG-2026-0001"),
        ("change", "CHG-2026-0002"),
        ("standard", "std-docs"),
        ("unlinked", None),
    ]


@pytest.mark.slow
def test_release_notes_cli_groups_by_change(program: Program) -> None:
    change, _ = ready_change(program, approvers=())
    markdown = ok(program.rcim("release", "notes", "--from", "rcim-baseline")).stdout
    assert f"## {change}: Improve shipment-tracking (normal)" in markdown
    assert "- Speed up (" in markdown
    data = json.loads(ok(program.rcim("release", "notes", "--format", "json")).stdout)
    assert [g["kind"] for g in data["groups"]] == ["change", "unlinked"]
