"""Release notes: the commits between two refs, grouped by the change record that covers them.

Groups come in a stable order (change IDs ascending, then standard-change templates, then
commits no change covers) so the notes of one range are the same text on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from rcim.release.linkage import covering_template

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from rcim.changes.model import ChangeRecord
    from rcim.gitscan import Commit
    from rcim.program.policy import StandardChange

GroupKind = Literal["change", "standard", "unlinked"]


@dataclass(frozen=True)
class NoteGroup:
    kind: GroupKind
    key: str | None
    title: str
    change_type: str | None
    services: tuple[str, ...]
    commits: tuple[Commit, ...]


@dataclass(frozen=True)
class ReleaseNotes:
    since: str | None
    until: str
    groups: tuple[NoteGroup, ...]


def release_notes(
    commits: Sequence[Commit],
    records: Mapping[str, ChangeRecord],
    templates: Sequence[StandardChange],
    *,
    since: str | None,
    until: str,
) -> ReleaseNotes:
    by_change: dict[str, list[Commit]] = {}
    by_template: dict[str, list[Commit]] = {}
    unlinked: list[Commit] = []
    for commit in reversed(commits):  # oldest first reads like a story
        if commit.is_merge:
            continue
        for change_id in commit.change_ids:
            by_change.setdefault(change_id, []).append(commit)
        template = None if commit.change_ids else covering_template(commit, templates, None)
        if template is not None:
            by_template.setdefault(template, []).append(commit)
        elif not commit.change_ids:
            unlinked.append(commit)
    titles = {t.id: t.title for t in templates}
    groups = [_change_group(i, by_change[i], records.get(i)) for i in sorted(by_change)]
    groups += [
        NoteGroup("standard", t, titles[t], "standard", (), tuple(by_template[t]))
        for t in sorted(by_template)
    ]
    if unlinked:
        groups.append(
            NoteGroup("unlinked", None, "Not linked to any change", None, (), tuple(unlinked))
        )
    return ReleaseNotes(since, until, tuple(groups))


def notes_markdown(notes: ReleaseNotes) -> str:
    since = notes.since[:12] if notes.since else "the beginning"
    lines = [f"# Release notes: {since} → {notes.until[:12]}", ""]
    if not notes.groups:
        lines.append("No commits in this range.")
    for group in notes.groups:
        lines.append(f"## {_heading(group)}")
        lines.append("")
        if group.services:
            lines += [f"Services: {', '.join(group.services)}", ""]
        lines += [f"- {c.subject} (`{c.sha[:12]}`, {c.author_name})" for c in group.commits]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def notes_json(notes: ReleaseNotes) -> dict[str, Any]:
    return {
        "from": notes.since,
        "to": notes.until,
        "groups": [
            {
                "kind": g.kind,
                "id": g.key,
                "title": g.title,
                "type": g.change_type,
                "services": list(g.services),
                "commits": [
                    {"sha": c.sha, "subject": c.subject, "author": c.author_name} for c in g.commits
                ],
            }
            for g in notes.groups
        ],
    }


def _change_group(change_id: str, commits: list[Commit], record: ChangeRecord | None) -> NoteGroup:
    if record is None:
        return NoteGroup("change", change_id, "(no change record file)", None, (), tuple(commits))
    return NoteGroup(
        "change", change_id, record.title, record.type, record.services, tuple(commits)
    )


def _heading(group: NoteGroup) -> str:
    if group.kind == "change":
        kind = f" ({group.change_type})" if group.change_type else ""
        return f"{group.key}: {group.title}{kind}"
    if group.kind == "standard":
        return f"Standard change {group.key}: {group.title}"
    return group.title
