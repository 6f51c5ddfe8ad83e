"""Reading a JSON Lines file into validated models, collecting every bad line.

Nothing is stored from a file with errors, so all of its problems are gathered first and
reported together as ``FILE:LINE: message`` (exit 2).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ValidationError

from rcim.errors import ConfigError, InvalidInputError, Problem

if TYPE_CHECKING:
    from pathlib import Path

ModelT = TypeVar("ModelT", bound=BaseModel)
CHANGE_ID = re.compile(r"^CHG-\d{4}-\d{4,}$")
FULL_SHA = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")


def _aware_datetime(value: Any) -> Any:  # noqa: ANN401 - pydantic validator input
    """ISO 8601 text with an explicit offset: a history without offsets is ambiguous."""
    if not isinstance(value, str):
        raise ValueError("expected an ISO 8601 date-time string like 2026-03-02T09:30:00+01:00")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"'{value}' is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        raise ValueError(f"'{value}' has no UTC offset; add one, e.g. +00:00 or Z")
    return parsed


def _full_sha(value: Any) -> Any:  # noqa: ANN401 - pydantic validator input
    if not isinstance(value, str) or not FULL_SHA.match(value):
        raise ValueError(f"{value!r} is not a full commit SHA (40 or 64 lower-case hex digits)")
    return value


def _change_id(value: Any) -> Any:  # noqa: ANN401 - pydantic validator input
    if not isinstance(value, str) or not CHANGE_ID.match(value):
        raise ValueError(f"{value!r} is not a change ID like CHG-2026-0042")
    return value


AwareDateTime = Annotated[datetime, BeforeValidator(_aware_datetime)]
CommitSha = Annotated[str, BeforeValidator(_full_sha)]
ChangeId = Annotated[str, BeforeValidator(_change_id)]


@dataclass(frozen=True)
class Parsed(Generic[ModelT]):
    """One valid line: where it came from and what it says."""

    line: int
    record: ModelT


@dataclass(frozen=True)
class SourceFile:
    """The file as read: its display name, SHA-256 and raw lines."""

    display: str
    sha256: str
    lines: tuple[str, ...]


def read_source(path: Path) -> SourceFile:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInputError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInputError(f"{path}: not UTF-8 text ({error.reason})") from None
    return SourceFile(str(path), hashlib.sha256(data).hexdigest(), tuple(text.splitlines()))


def parse_lines(
    source: SourceFile, model: type[ModelT]
) -> tuple[list[Parsed[ModelT]], list[Problem]]:
    """Every non-blank line validated against ``model``; problems for the others."""
    parsed: list[Parsed[ModelT]] = []
    problems: list[Problem] = []
    for number, text in enumerate(source.lines, start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            problems.append(Problem(source.display, number, None, f"not JSON: {error.msg}"))
            continue
        if not isinstance(data, dict):
            problems.append(Problem(source.display, number, None, "expected a JSON object"))
            continue
        try:
            # Validating the JSON text (not the decoded dict) lets strict mode accept
            # JSON arrays for tuples, as JSON has no other way to write them.
            parsed.append(Parsed(number, model.model_validate_json(text)))
        except ValidationError as error:
            problems.extend(
                Problem(source.display, number, None, message) for message in _messages(error)
            )
    return parsed, problems


def raise_if_problems(problems: list[Problem]) -> None:
    if problems:
        raise ConfigError(problems)


def _messages(error: ValidationError) -> list[str]:
    messages = []
    for detail in error.errors():
        field = ".".join(str(part) for part in detail["loc"])
        text = str(detail["msg"]).removeprefix("Value error, ")
        if detail["type"] == "extra_forbidden":
            text = "unknown field"
        messages.append(f"{field}: {text}" if field else text)
    return messages
