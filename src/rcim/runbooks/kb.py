"""Knowledge-base articles (``runbooks/kb/<id>.md``) as the generator reads them.

Post-incident reviews write the articles; the next generation lists each one under the known
errors of its service's incident and alert runbooks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rcim.errors import ConfigError, Problem
from rcim.runbooks.markdown import read_runbook_text

if TYPE_CHECKING:
    from pathlib import Path

KB_DIR = "kb"


@dataclass(frozen=True)
class KbArticle:
    name: str
    title: str
    service: str
    incident: str
    symptom: str
    cause: str
    fix: str


def load_articles(runbooks_dir: Path) -> list[KbArticle]:
    """Every article under ``kb/``, sorted by name; a malformed one is a ``ConfigError``."""
    folder = runbooks_dir / KB_DIR
    articles: list[KbArticle] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        article, found = _article(path)
        problems.extend(found)
        if article is not None:
            articles.append(article)
    if problems:
        raise ConfigError(problems)
    return articles


def articles_of(articles: list[KbArticle], service: str) -> list[KbArticle]:
    return [article for article in articles if article.service == service]


def _article(path: Path) -> tuple[KbArticle | None, list[Problem]]:
    parsed = read_runbook_text(path.read_text(encoding="utf-8"), str(path))
    if parsed.runbook is None:
        return None, parsed.problems
    front = parsed.runbook.front
    fields = (front.service, front.incident, front.symptom, front.cause, front.fix)
    if front.kind != "kb" or any(value is None for value in fields):
        message = "a KB article needs kind: kb, service, incident, symptom, cause and fix"
        return None, [Problem(str(path), 1, 1, message)]
    return KbArticle(
        path.stem,
        front.title,
        front.service or "",
        front.incident or "",
        front.symptom or "",
        front.cause or "",
        front.fix or "",
    ), []
