"""Writing imported OpenSLO SLOs and notification targets into the program's files.

Plan, then write: ``plan_catalog_import`` computes the new text of every file it touches
(``services/<name>.yaml`` for SLOs, ``rcim.yaml`` for team contacts), edits only the list items
concerned (see ``yamledit``), and validates the whole program as it would be, with the same
models and cross-checks as ``load_program``, before anything is written. ``write_catalog_import``
then replaces the files; nothing is written when anything is invalid.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rcim.errors import ConfigError, InvalidInputError, Problem
from rcim.monitoring.yamledit import upsert_item
from rcim.program.crosscheck import cross_check
from rcim.program.loader import PROGRAM_FILE
from rcim.program.organization import ProgramConfig
from rcim.program.service import Service
from rcim.program.validation import validate_model
from rcim.program.yamlsource import parse_yaml, require_mapping

if TYPE_CHECKING:
    from rcim.monitoring.openslo import OpenSloImport
    from rcim.monitoring.openslo_alerts import ImportedTarget
    from rcim.monitoring.openslo_docs import Document
    from rcim.monitoring.openslo_slo import ImportedSlo
    from rcim.program.loader import Program
    from rcim.program.service import Slo

Action = Literal["added", "replaced", "unchanged"]


@dataclass(frozen=True)
class CatalogChange:
    """One SLO or contact and what the import does to it."""

    what: str
    action: Action
    file: str
    origin: str


@dataclass(frozen=True)
class FileEdit:
    path: Path
    before: str
    after: str


@dataclass(frozen=True)
class CatalogImport:
    changes: tuple[CatalogChange, ...]
    edits: tuple[FileEdit, ...]
    unsupported: tuple[Problem, ...]


def plan_catalog_import(program: Program, imported: OpenSloImport) -> CatalogImport:
    """The changes and new file texts; raises ``ConfigError`` if the result would be invalid."""
    _check_services(program, imported)
    texts = _Texts({})
    changes = [_import_slo(program, texts, item) for item in imported.slos]
    seen: set[tuple[str, str]] = set()
    changes.extend(_import_target(program, texts, target, seen) for target in imported.targets)
    _validate(program, texts.edited)
    edits = tuple(
        FileEdit(Path(path), before, after)
        for path, (before, after) in texts.edited.items()
        if before != after
    )
    return CatalogImport(tuple(changes), edits, imported.unsupported)


def write_catalog_import(plan: CatalogImport) -> None:
    """Replace every edited file; refuse if one changed on disk since it was planned."""
    for edit in plan.edits:
        if _read(edit.path) != edit.before:
            raise InvalidInputError(f"{edit.path}: changed while importing; run the import again")
    for edit in plan.edits:
        _replace(edit.path, edit.after)


@dataclass(frozen=True)
class _Texts:
    """The original and current text of each file being edited."""

    edited: dict[str, tuple[str, str]]

    def get(self, path: str) -> str:
        if path not in self.edited:
            original = _read(Path(path))
            self.edited[path] = (original, original)
        return self.edited[path][1]

    def set(self, path: str, text: str) -> None:
        self.edited[path] = (self.edited[path][0], text)


def _check_services(program: Program, imported: OpenSloImport) -> None:
    """Imports never create services: an unknown one is an error naming the document."""
    problems = [
        item.document.problem(("spec", "service"), _unknown(item.service))
        for item in imported.slos
        if item.service not in program.services
    ]
    problems.extend(
        document.problem(("metadata", "name"), _unknown(document.name))
        for document in imported.services
        if document.name not in program.services
    )
    if problems:
        raise ConfigError(list(dict.fromkeys(problems)))


def _unknown(service: str) -> str:
    return f"service '{service}' is not in the catalog; add services/{service}.yaml first"


def _import_slo(program: Program, texts: _Texts, item: ImportedSlo) -> CatalogChange:
    path = program.service_files[item.service]
    text = texts.get(path)
    current = _current_slo(text, path, item.slo.name)
    if current == item.slo:
        action: Action = "unchanged"
    else:
        action = "added" if current is None else "replaced"
        texts.set(path, upsert_item(text, path, ("slos",), slo_data(item.slo), "name"))
    return CatalogChange(
        f"SLO {item.service}/{item.slo.name}", action, path, _origin(item.document)
    )


def slo_data(slo: Slo) -> dict[str, Any]:
    """The SLO as services/*.yaml spells it: defaults left out, but the period always shown."""
    data = slo.model_dump(mode="json", exclude_defaults=True)
    ordered: dict[str, Any] = {key: data[key] for key in ("name", "objective") if key in data}
    ordered["period"] = slo.period
    ordered.update((key, value) for key, value in data.items() if key not in ordered)
    return ordered


def _current_slo(text: str, path: str, name: str) -> Slo | None:
    data, source = parse_yaml(text, path)
    service = validate_model(Service, require_mapping(data, source), source)
    return next((slo for slo in service.slos if slo.name == name), None)


def _import_target(
    program: Program, texts: _Texts, target: ImportedTarget, seen: set[tuple[str, str]]
) -> CatalogChange:
    owner = program.services[target.service].owner
    index = next(i for i, team in enumerate(program.config.teams) if team.id == owner)
    team = program.config.teams[index]
    path = program.display(PROGRAM_FILE)
    contact = target.contact.model_dump(mode="json")
    key = (owner, repr(sorted(contact.items())))
    what = f"contact {target.contact.kind} of team {owner} ({target.name})"
    if target.contact in team.contacts or key in seen:
        return CatalogChange(what, "unchanged", path, _origin(target.document))
    seen.add(key)
    texts.set(path, upsert_item(texts.get(path), path, ("teams", index, "contacts"), contact))
    return CatalogChange(what, "added", path, _origin(target.document))


def _validate(program: Program, edited: dict[str, tuple[str, str]]) -> None:
    """Parse, validate and cross-check the program as it would be after the import."""
    config = program.config
    services = dict(program.services)
    sources = dict(program.sources)
    for path, (_, text) in edited.items():
        data, source = parse_yaml(text, path)
        sources[path] = source
        mapping = require_mapping(data, source)
        if path == program.display(PROGRAM_FILE):
            config = validate_model(ProgramConfig, mapping, source)
        else:
            service = validate_model(Service, mapping, source)
            services[service.name] = service
    after = replace(program, config=config, services=services, sources=sources)
    problems = cross_check(after)
    if problems:
        raise ConfigError(problems)


def _origin(document: Document) -> str:
    mark = document.source.value_mark(())
    return f"{document.source.file}:{mark.line}:{mark.column}"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInputError(f"{path}: cannot read: {error}") from None


def _replace(path: Path, text: str) -> None:
    """Write next to the file, then rename: a crash never leaves half a file."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        Path(temporary).chmod(path.stat().st_mode & 0o777)
        Path(temporary).replace(path)
    except OSError as error:
        raise InvalidInputError(f"{path}: cannot write: {error.strerror or error}") from None
