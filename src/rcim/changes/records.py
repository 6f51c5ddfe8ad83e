"""Change record files: reading them (located errors), writing new ones, allocating IDs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml

from rcim.changes.model import CHANGE_ID_PATTERN, CHANGES_DIR, ChangeRecord
from rcim.errors import ConfigError, InvalidInputError, NotFoundError, Problem
from rcim.program import read_only_model

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

# Two `rcim change new` at once may pick the same number; the loser retries with the next one.
_MAX_ID_ATTEMPTS = 50


def change_path(program_root: Path, change_id: str) -> Path:
    return program_root / CHANGES_DIR / f"{change_id}.yaml"


def read_change(path: Path) -> ChangeRecord:
    """Parse one record file; problems name ``file:line:column``; the ID must match the name."""
    record, source = read_only_model(path, ChangeRecord)
    if path.stem != record.id:
        message = f"id: '{record.id}' does not match the file name {path.name}"
        raise ConfigError([source.problem(("id",), message)])
    return record


def load_change(program_root: Path, change_id: str) -> ChangeRecord:
    path = change_path(program_root, change_id)
    if not path.is_file():
        raise NotFoundError(f"unknown change {change_id}: no file {path}")
    return read_change(path)


def load_all_changes(program_root: Path) -> dict[str, ChangeRecord]:
    """Every record under ``release/changes/``; all problems are reported together."""
    folder = program_root / CHANGES_DIR
    records: dict[str, ChangeRecord] = {}
    problems: list[Problem] = []
    for path in sorted(folder.glob("CHG-*.yaml")) if folder.is_dir() else []:
        try:
            record = read_change(path)
        except ConfigError as error:
            problems.extend(error.problems)
            continue
        records[record.id] = record
    if problems:
        raise ConfigError(problems)
    return records


def next_change_id(program_root: Path, year: int, taken: Iterable[str]) -> str:
    """The next free ``CHG-<year>-NNNN`` after every file and every ID in ``taken``."""
    folder = program_root / CHANGES_DIR
    names = [p.stem for p in folder.glob("CHG-*.yaml")] if folder.is_dir() else []
    highest = 0
    for ident in [*names, *taken]:
        match = CHANGE_ID_PATTERN.match(ident)
        if match and int(match.group(1)) == year:
            highest = max(highest, int(match.group(2)))
    return f"CHG-{year}-{highest + 1:04d}"


def write_new_change(
    program_root: Path, record: ChangeRecord, year: int, stored_ids: Iterable[str] = ()
) -> ChangeRecord:
    """Write ``record`` under the next free ID after every file and every ID in the store
    (its own ``id`` is replaced); never overwrites."""
    folder = program_root / CHANGES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set(stored_ids)
    for _ in range(_MAX_ID_ATTEMPTS):
        ident = next_change_id(program_root, year, taken)
        numbered = record.model_copy(update={"id": ident})
        try:
            with (folder / f"{ident}.yaml").open("x", encoding="utf-8") as stream:
                stream.write(render_change(numbered))
        except FileExistsError:
            taken.add(ident)
            continue
        return numbered
    raise InvalidInputError(f"{folder}: could not allocate a free change ID; try again")


def render_change(record: ChangeRecord) -> str:
    """The YAML text of a record, keys in a fixed, readable order."""
    data: dict[str, Any] = record.model_dump(mode="json", exclude_none=True)
    for key in ("links", "fixes"):
        if not data.get(key):
            data.pop(key, None)
    header = f"# Change record {record.id}: edit freely until it is submitted.\n"
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return header + body
