"""Linking commits to change records and standard-change templates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rcim.changes.paths import matches_any
from rcim.gitscan import Commit, PathChange
from rcim.program.policy import StandardChange
from rcim.release.linkage import covering_template, link_commits

T = datetime(2026, 6, 1, tzinfo=UTC)
DOCS = StandardChange(id="std-docs", title="Docs", paths=("docs/**", "**/*.md"))
ALERTS = StandardChange(
    id="std-alerts",
    title="Alerts",
    paths=("monitoring/alertmanager.yml",),
    services=("vpn-gateway",),
)


def _commit(
    sha: str, paths: tuple[str, ...], ids: tuple[str, ...] = (), parents: int = 1
) -> Commit:
    changes = tuple(PathChange(p, 1, 0) for p in paths)
    return Commit(sha, ("p",) * parents, "a", "a@x", T, T, "s", (), ids, changes)


@pytest.mark.parametrize(
    ("path", "globs", "expected"),
    [
        ("README.md", ("**/*.md",), True),
        ("docs/a/b.txt", ("docs/**",), True),
        ("app/migrations/0001.sql", ("**/migrations/**",), True),
        ("app/migrationsx/1.sql", ("**/migrations/**",), False),
        ("app/x.py", ("*.py",), False),
        ("x.py", ("*.py",), True),
    ],
)
def test_globs(path: str, globs: tuple[str, ...], expected: bool) -> None:
    assert matches_any(path, globs) is expected


def test_standard_template_covers_only_commits_entirely_in_scope() -> None:
    assert covering_template(_commit("1", ("docs/a.md", "README.md")), [DOCS], None) == "std-docs"
    assert covering_template(_commit("2", ("docs/a.md", "app/x.py")), [DOCS], None) is None
    assert covering_template(_commit("3", ()), [DOCS], None) is None


def test_template_service_scope_is_respected() -> None:
    commit = _commit("1", ("monitoring/alertmanager.yml",))
    assert covering_template(commit, [ALERTS], "vpn-gateway") == "std-alerts"
    assert covering_template(commit, [ALERTS], "booking-web") is None


def test_links_prefer_change_ids_and_skip_merges() -> None:
    links = link_commits(
        [
            _commit("1", ("docs/a.md",), ("CHG-2026-0001",)),
            _commit("2", (), parents=2),
            _commit("3", ("app/x.py",)),
        ],
        [DOCS],
        None,
    )
    assert [(link.commit.sha, link.change_ids, link.standard, link.covered) for link in links] == [
        ("1", ("CHG-2026-0001",), None, True),
        ("3", (), None, False),
    ]
