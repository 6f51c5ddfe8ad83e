"""Post-incident review: root cause by five whys, contributing factors, actions, and a
knowledge-base article so the next runbook generation lists the lesson as a known error."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rcim.errors import InvalidInputError
from rcim.incidents.kb import Lesson, article_name, render_article
from rcim.incidents.lifecycle import require_transition
from rcim.incidents.records import incident_row, read_events, record_event, to_incident

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from rcim.incidents.records import Incident, TimelineEvent
    from rcim.store import Store

MAX_WHYS = 5


@dataclass(frozen=True)
class ReviewInput:
    """What the review found; ``root_cause`` defaults to the last why, ``symptom`` to the
    incident's title and ``fix`` to what mitigated or resolved it."""

    whys: tuple[str, ...]
    factors: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    root_cause: str | None = None
    symptom: str | None = None
    fix: str | None = None


@dataclass(frozen=True)
class ReviewResult:
    incident: Incident
    article: Path


def review_incident(
    store: Store, incident_id: str, review: ReviewInput, *, kb_dir: Path, at: datetime, actor: str
) -> ReviewResult:
    """Record the review and write its KB article, together: if either fails, neither stays."""
    whys = _checked_whys(review.whys)
    path = kb_dir / f"{article_name(incident_id)}.md"
    written = False
    try:
        with store.transaction() as session:
            row = incident_row(session, incident_id)
            require_transition(incident_id, row.state, "reviewed")
            if path.exists():
                raise InvalidInputError(f"{path}: a KB article for {incident_id} already exists")
            events = read_events(session, incident_id)
            lesson = _lesson(to_incident(row), review, whys, events)
            row.state = "reviewed"
            record_event(
                session, incident_id, "reviewed", actor, lesson.cause, _data(lesson, path), at
            )
            text = render_article(to_incident(row), lesson, events)
            _write(path, text)
            written = True
            return ReviewResult(to_incident(row), path)
    except BaseException:
        if written:
            with contextlib.suppress(OSError):
                path.unlink()
        raise


def _checked_whys(whys: tuple[str, ...]) -> tuple[str, ...]:
    cleaned = tuple(" ".join(why.split()) for why in whys if why.strip())
    if not 1 <= len(cleaned) <= MAX_WHYS:
        raise InvalidInputError(f"--why: give between 1 and {MAX_WHYS} answers (five whys)")
    return cleaned


def _lesson(
    incident: Incident, review: ReviewInput, whys: tuple[str, ...], events: list[TimelineEvent]
) -> Lesson:
    fixes = [
        str(e.data["note"])
        for e in events
        if e.kind in ("mitigated", "resolved") and e.data.get("note")
    ]
    return Lesson(
        symptom=review.symptom or incident.title,
        cause=review.root_cause or whys[-1],
        fix=review.fix or (fixes[-1] if fixes else "See the incident timeline."),
        whys=whys,
        factors=review.factors,
        actions=review.actions,
    )


def _data(lesson: Lesson, path: Path) -> dict[str, object]:
    return {
        "whys": list(lesson.whys),
        "root_cause": lesson.cause,
        "factors": list(lesson.factors),
        "actions": list(lesson.actions),
        "symptom": lesson.symptom,
        "fix": lesson.fix,
        "article": path.name,
    }


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InvalidInputError(f"{path}: cannot write: {error.strerror or error}") from None
