"""Editing a block list of a YAML program file as text, so that everything else survives.

rcim has no round-trip YAML library, and program files are full of comments that explain
decisions. So an import rewrites only the lines of the list item it adds or replaces: the
positions come from the ``SourceMap`` of the current text, the new item is rendered as block
YAML at the indentation of its siblings. A list written in flow style (``slos: []``) is
rewritten as a block list; a layout rcim cannot place an item in is reported, not guessed.
"""

from __future__ import annotations

from typing import Any

import yaml

from rcim.errors import ConfigError
from rcim.program.yamlsource import KeyPath, SourceMap, parse_yaml


def upsert_item(
    text: str,
    display: str,
    list_path: KeyPath,
    item: dict[str, Any],
    match_key: str | None = None,
) -> str:
    """``text`` with ``item`` replacing the list item whose ``match_key`` equals the item's,
    or appended to the list at ``list_path`` (created when missing)."""
    data, source = parse_yaml(text, display)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    current = _value_at(data, list_path)
    if current is None and list_path not in source.keys:
        return "".join(_add_list(lines, source, list_path, item))
    current = () if current is None else current
    if not isinstance(current, tuple):
        raise ConfigError([source.problem(list_path, f"{_dotted(list_path)}: expected a list")])
    index = _matching(current, match_key, item)
    if not current or _is_flow(lines, source, list_path):
        items = [*current]
        if index is None:
            items.append(item)
        else:
            items[index] = item
        return "".join(_rewrite_list(lines, source, list_path, items))
    if index is not None:
        start, end, indent = _item_span(lines, source, (*list_path, index))
        return "".join([*lines[:start], *render_items([item], indent), *lines[end:]])
    _, end, indent = _item_span(lines, source, (*list_path, len(current) - 1))
    return "".join([*lines[:end], *render_items([item], indent), *lines[end:]])


def render_items(items: list[Any], indent: int) -> list[str]:
    """Block YAML for list items, each line indented by ``indent`` spaces."""
    text = yaml.safe_dump(
        [_plain(item) for item in items],
        sort_keys=False,
        allow_unicode=True,
        width=1000,
        default_flow_style=False,
    )
    return [" " * indent + line for line in text.splitlines(keepends=True)]


def _matching(items: tuple[Any, ...], key: str | None, item: dict[str, Any]) -> int | None:
    if key is None:
        return None
    wanted = item.get(key)
    found = (i for i, v in enumerate(items) if isinstance(v, dict) and v.get(key) == wanted)
    return next(found, None)


def _value_at(data: Any, path: KeyPath) -> Any:  # noqa: ANN401 - YAML data
    for part in path:
        if isinstance(part, str) and isinstance(data, dict):
            data = data.get(part)
        elif isinstance(part, int) and isinstance(data, tuple) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _item_span(lines: list[str], source: SourceMap, path: KeyPath) -> tuple[int, int, int]:
    """Line range [start, end) of a block list item and the column of its dash."""
    start = source.value_mark(path).line - 1
    line = lines[start]
    indent = len(line) - len(line.lstrip(" "))
    if not line[indent:].startswith("-"):
        raise _layout(source, path)
    return start, _block_end(lines, start, indent), indent


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """The first line after ``start`` that is back at ``indent`` or left of it.

    Comment and blank lines just before that line belong to what follows, not to the block.
    """
    end = start + 1
    while end < len(lines):
        stripped = lines[end].strip()
        content = bool(stripped) and not stripped.startswith("#")
        if content and len(lines[end]) - len(lines[end].lstrip(" ")) <= indent:
            break
        end += 1
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip()[0] == "#"):
        end -= 1
    return end


def _is_flow(lines: list[str], source: SourceMap, path: KeyPath) -> bool:
    mark = source.value_mark(path)
    return lines[mark.line - 1][mark.column - 1 :].startswith("[")


def _rewrite_list(
    lines: list[str], source: SourceMap, path: KeyPath, items: list[Any]
) -> list[str]:
    """Replace a flow or empty list (``key: []``) by a block list under the same key."""
    key = source.key_mark(path)
    start, column = key.line - 1, key.column - 1
    if lines[start][:column].strip() not in ("", "-"):
        raise _layout(source, path)
    end = _block_end(lines, start, column)
    head = lines[start][:column] + f"{path[-1]}:\n"
    return [*lines[:start], head, *render_items(items, column + 2), *lines[end:]]


def _add_list(
    lines: list[str], source: SourceMap, path: KeyPath, item: dict[str, Any]
) -> list[str]:
    """Add ``key:`` with one item: at the end of the file, or at the end of a list item."""
    key = path[-1]
    if len(path) == 1:
        return [*lines, f"{key}:\n", *render_items([item], 2)]
    parent = path[:-1]
    if not isinstance(parent[-1], int):
        raise _layout(source, path)
    _, end, _ = _item_span(lines, source, parent)
    column = source.value_mark(parent).column - 1
    added = [" " * column + f"{key}:\n", *render_items([item], column + 2)]
    return [*lines[:end], *added, *lines[end:]]


def _plain(value: Any) -> Any:  # noqa: ANN401 - YAML data
    """Tuples (how program data is read) as lists, which the safe dumper can write."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _layout(source: SourceMap, path: KeyPath) -> ConfigError:
    message = f"{_dotted(path)}: rcim can only edit block lists here; edit this file by hand"
    return ConfigError([source.problem(path, message)])


def _dotted(path: KeyPath) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
