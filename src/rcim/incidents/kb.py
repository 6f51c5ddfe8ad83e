"""Knowledge-base articles written by post-incident reviews (``runbooks/kb/<id>.md``).

The front matter is the runbook front matter of kind ``kb``; the generator reads ``symptom``,
``cause`` and ``fix`` from it and lists the article under its service's known errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from rcim.incidents.records import Incident, TimelineEvent

KB_FOLDER = "kb"


@dataclass(frozen=True)
class Lesson:
    """What a review learned: the known error, and how it was found."""

    symptom: str
    cause: str
    fix: str
    whys: tuple[str, ...]
    factors: tuple[str, ...]
    actions: tuple[str, ...]


def article_name(incident_id: str) -> str:
    """``INC-2026-0007`` -> ``KB-2026-0007``: one article per reviewed incident."""
    return "KB-" + incident_id.removeprefix("INC-")


def render_article(incident: Incident, lesson: Lesson, events: list[TimelineEvent]) -> str:
    name = article_name(incident.id)
    front = {
        "id": f"{KB_FOLDER}/{name}",
        "kind": "kb",
        "title": f"{incident.service}: {lesson.symptom}",
        "service": incident.service,
        "incident": incident.id,
        "symptom": lesson.symptom,
        "cause": lesson.cause,
        "fix": lesson.fix,
    }
    parts = [
        "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=100) + "---\n",
        f"# {name}: {lesson.symptom}\n",
        f"Learned from {incident.id} ({incident.priority}, {incident.service}): {incident.title}\n",
        f"## Symptom\n\n{lesson.symptom}\n",
        f"## Cause\n\n{lesson.cause}\n",
        f"## Fix\n\n{lesson.fix}\n",
        "## Five whys\n\n" + _numbered(lesson.whys),
        "## Contributing factors\n\n" + _bullets(lesson.factors),
        "## Actions\n\n" + _bullets(lesson.actions),
        "## Timeline\n\n" + _timeline(events),
    ]
    return "\n".join(parts)


def _numbered(items: tuple[str, ...]) -> str:
    return "".join(f"{i}. Why? {item}\n" for i, item in enumerate(items, start=1))


def _bullets(items: tuple[str, ...]) -> str:
    return "".join(f"- {item}\n" for item in items) if items else "- none recorded\n"


def _timeline(events: list[TimelineEvent]) -> str:
    lines = ["| time (UTC) | event | by | what |", "|---|---|---|---|"]
    for event in events:
        what = " ".join(event.text.split()).replace("|", "\\|")
        lines.append(f"| {event.at:%Y-%m-%d %H:%M:%S} | {event.kind} | {event.actor} | {what} |")
    return "\n".join(lines) + "\n"
