"""OpenSLO v1 objects as read from files, and the references between them.

Files may hold several documents (``---``) or a YAML list of objects, as the OpenSLO examples
do. Every object must be ``openslo/v1`` with one of the v1 kinds; anything else is malformed
and reported as ``file:line:column``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from rcim.errors import ConfigError, Problem
from rcim.program.validation import validate_model
from rcim.program.yamlsource import SourceMap, parse_yaml

if TYPE_CHECKING:
    from pathlib import Path

    from rcim.program.yamlsource import KeyPath

Kind = Literal[
    "Service",
    "SLO",
    "SLI",
    "DataSource",
    "AlertPolicy",
    "AlertCondition",
    "AlertNotificationTarget",
]
_DOC_SPLIT = re.compile(r"^---[ \t]*$", re.M)


class _Metadata(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    name: str
    annotations: dict[str, str] = {}


class _Envelope(BaseModel):
    """What every OpenSLO object has; each kind's ``spec`` is read by its converter."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    apiVersion: Literal["openslo/v1"]
    kind: Kind
    metadata: _Metadata
    spec: dict[str, Any]


@dataclass(frozen=True)
class Document:
    """One OpenSLO object with the positions of its keys (paths relative to the object)."""

    kind: Kind
    name: str
    annotations: dict[str, str]
    spec: dict[str, Any]
    source: SourceMap

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}"

    def problem(self, path: KeyPath, message: str) -> Problem:
        return self.source.problem(path, f"{self.label}: {message}")


@dataclass(frozen=True)
class Library:
    """Documents by kind and name, so that references (``indicatorRef`` ...) resolve."""

    documents: tuple[Document, ...]
    used: set[tuple[str, str]]

    @classmethod
    def of(cls, documents: list[Document]) -> Library:
        return cls(tuple(documents), set())

    def of_kind(self, kind: Kind) -> tuple[Document, ...]:
        return tuple(d for d in self.documents if d.kind == kind)

    def resolve(self, kind: Kind, name: str, referrer: Document, path: KeyPath) -> Document:
        """The ``kind`` document called ``name``; a dangling reference is malformed input."""
        for document in self.documents:
            if document.kind == kind and document.name == name:
                self.used.add((kind, name))
                return document
        message = f"no {kind} named '{name}' in the given files"
        raise ConfigError([referrer.problem(path, message)])


def inline_document(data: dict[str, Any], kind: Kind, parent: Document, path: KeyPath) -> Document:
    """An object written inside another (an inline AlertPolicy, condition or target)."""
    source = sub_source(parent.source, path)
    envelope = validate_model(_Inline, data, source)
    metadata = envelope.metadata or _Metadata(name=f"(inline in {parent.label})")
    return Document(kind, metadata.name, metadata.annotations, envelope.spec, source)


class _Inline(BaseModel):
    """Inline objects may leave out ``metadata`` (exporters often do for indicators)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    metadata: _Metadata | None = None
    spec: dict[str, Any]


def sub_source(source: SourceMap, prefix: KeyPath) -> SourceMap:
    """The positions below ``prefix``, re-keyed so that paths start at that node."""
    size = len(prefix)
    return SourceMap(
        source.file,
        {path[size:]: mark for path, mark in source.values.items() if path[:size] == prefix},
        {path[size:]: mark for path, mark in source.keys.items() if path[:size] == prefix},
    )


def read_documents(paths: list[Path]) -> list[Document]:
    documents: list[Document] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            documents.extend(_read_file(path))
        except ConfigError as error:
            problems.extend(error.problems)
    if problems:
        raise ConfigError(problems)
    return documents


def _read_file(path: Path) -> list[Document]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError([Problem(str(path), None, None, f"cannot read file: {error}")]) from None
    documents: list[Document] = []
    offset = 0
    for chunk in _DOC_SPLIT.split(text):
        if _has_content(chunk):
            # Leading newlines keep every position relative to the whole file.
            data, source = parse_yaml("\n" * offset + chunk, str(path))
            documents.extend(_objects(data, source))
        offset += chunk.count("\n")  # the separator line ends with the next chunk's "\n"
    return documents


def _objects(data: Any, source: SourceMap) -> list[Document]:  # noqa: ANN401 - YAML data
    """A document is one object or a list of objects."""
    items = list(enumerate(data)) if isinstance(data, tuple) else [(None, data)]
    documents = []
    for index, item in items:
        item_source = source if index is None else sub_source(source, (index,))
        if not isinstance(item, dict):
            message = "expected an OpenSLO object (apiVersion, kind, metadata, spec)"
            raise ConfigError([item_source.problem((), message)])
        envelope = validate_model(_Envelope, item, item_source)
        metadata = envelope.metadata
        documents.append(
            Document(envelope.kind, metadata.name, metadata.annotations, envelope.spec, item_source)
        )
    return documents


def _has_content(chunk: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in chunk.splitlines())
