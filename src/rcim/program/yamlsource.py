"""Reading YAML so that every value remembers where it came from.

Program files are composed into YAML nodes, turned into plain Python data (mappings become
dicts, sequences become tuples so that strict frozen models accept them) and a ``SourceMap``
from each key path to its ``line:column``. Validation errors are mapped back through it, so
every problem names ``file:line:column``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from rcim.errors import ConfigError, Problem

if TYPE_CHECKING:
    from pathlib import Path

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    """A 1-based position in a file."""

    line: int
    column: int


@dataclass
class SourceMap:
    """Positions of every value (and every mapping key) of one YAML document."""

    file: str
    values: dict[KeyPath, Mark] = field(default_factory=dict)
    keys: dict[KeyPath, Mark] = field(default_factory=dict)

    def value_mark(self, path: KeyPath) -> Mark:
        """The position of the value at ``path``, or of its nearest recorded ancestor."""
        for length in range(len(path), -1, -1):
            mark = self.values.get(path[:length])
            if mark is not None:
                return mark
        return Mark(1, 1)

    def key_mark(self, path: KeyPath) -> Mark:
        """The position of the key that introduces ``path`` (falls back to the value)."""
        return self.keys.get(path) or self.value_mark(path)

    def problem(self, path: KeyPath, message: str, *, at_key: bool = False) -> Problem:
        mark = self.key_mark(path) if at_key else self.value_mark(path)
        return Problem(self.file, mark.line, mark.column, message)


def load_yaml(path: Path, display: str) -> tuple[Any, SourceMap]:
    """Read one YAML document; raise ``ConfigError`` for syntax errors or an empty file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([Problem(display, None, None, "file not found")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError([Problem(display, None, None, f"cannot read file: {error}")]) from None
    return parse_yaml(text, display)


def parse_yaml(text: str, display: str) -> tuple[Any, SourceMap]:
    """Parse YAML text into plain data plus its ``SourceMap``."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        raise ConfigError([_syntax_problem(display, error)]) from None
    except yaml.YAMLError as error:
        raise ConfigError([Problem(display, None, None, f"invalid YAML: {error}")]) from None
    if node is None:
        raise ConfigError([Problem(display, 1, 1, "file is empty; expected a mapping")])
    source = SourceMap(display)
    builder = _Builder(source)
    data = builder.build(node, ())
    if builder.problems:
        raise ConfigError(builder.problems)
    return data, source


def require_mapping(data: Any, source: SourceMap) -> dict[str, Any]:  # noqa: ANN401
    """Top-level documents must be mappings."""
    if isinstance(data, dict):
        return data
    kind = "a list" if isinstance(data, tuple) else f"a {type(data).__name__} value"
    raise ConfigError([source.problem((), f"expected a mapping at the top level, got {kind}")])


def _syntax_problem(display: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    message = (
        "invalid YAML: " + " ".join(part for part in (error.context, error.problem) if part).strip()
    )
    if mark is None:
        return Problem(display, None, None, message)
    return Problem(display, mark.line + 1, mark.column + 1, message)


class _Builder:
    """Turns a node tree into dicts, tuples and scalars, recording marks."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self._constructor = SafeConstructor()

    def build(self, node: Node, path: KeyPath) -> Any:  # noqa: ANN401 - YAML data
        self.source.values[path] = _mark_of(node)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return tuple(self.build(item, (*path, i)) for i, item in enumerate(node.value))
        return self._scalar(node)

    def _mapping(self, node: MappingNode, path: KeyPath) -> dict[Any, Any]:
        try:
            self._constructor.flatten_mapping(node)
        except ConstructorError as error:
            self.problems.append(_constructor_problem(self.source.file, error))
            return {}
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node) if isinstance(key_node, ScalarNode) else None
            if key is None or isinstance(key, dict | tuple):
                mark = _mark_of(key_node)
                self.problems.append(
                    Problem(self.source.file, mark.line, mark.column, "keys must be plain scalars")
                )
                continue
            if key in result:
                mark = _mark_of(key_node)
                first = self.source.keys[(*path, key)]
                self.problems.append(
                    Problem(
                        self.source.file,
                        mark.line,
                        mark.column,
                        f"duplicate key '{key}' (first defined at line {first.line})",
                    )
                )
                continue
            self.source.keys[(*path, key)] = _mark_of(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: Node) -> Any:  # noqa: ANN401 - YAML scalar
        try:
            return self._constructor.construct_object(node, deep=True)
        except (ConstructorError, ValueError) as error:
            mark = _mark_of(node)
            self.problems.append(
                Problem(self.source.file, mark.line, mark.column, f"invalid value: {error}")
            )
            return None


def _constructor_problem(display: str, error: ConstructorError) -> Problem:
    mark = error.problem_mark
    message = f"invalid YAML: {error.problem}"
    if mark is None:
        return Problem(display, None, None, message)
    return Problem(display, mark.line + 1, mark.column + 1, message)


def _mark_of(node: Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)
